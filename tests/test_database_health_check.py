"""A persistent PostgreSQL connection is checked before each request's first query (Django's
CONN_HEALTH_CHECKS), so a connection the server has ended is replaced, not a failed request."""

import time

import psycopg
import pytest
from django.db import close_old_connections, connection

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _admin():
    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"],
        host=settings["HOST"], port=settings["PORT"], autocommit=True,
    )  # fmt: skip


def _next_request():
    """What Django does between two requests on a persistent connection."""
    close_old_connections()
    assert connection.connection is not None
    assert connection.health_check_enabled and not connection.health_check_done


def test_the_app_runs_on_djangos_backend_with_its_health_check():
    assert connection.settings_dict["ENGINE"] == "django.db.backends.postgresql"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


def test_a_connection_postgresql_ended_is_replaced_before_the_next_requests_first_query():
    pid = _backend_pid()
    _next_request()
    with _admin() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    time.sleep(0.2)  # the server's farewell reaches the socket

    assert _backend_pid() != pid
