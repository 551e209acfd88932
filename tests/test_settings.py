"""The one settings module, read from the environment: production refuses unsafe start-ups."""

import json
import sys

import pytest

from tests.processes import environment, manage, production_environment, run

pytestmark = pytest.mark.slow  # every test starts a fresh Python process


def settings_as_seen_by(env, *names):
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{n: repr(getattr(settings, n, None)) for n in {list(names)!r}}}))"
    )
    result = run(
        [sys.executable, "-c", code], env={**env, "DJANGO_SETTINGS_MODULE": "skilltree.settings"}
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "extra",
    [{}, {"DJANGO_BEHIND_PROXY": "1", "DJANGO_DB_POOL_MAX_SIZE": "4"}],
    ids=["direct", "behind-a-proxy-with-a-pool"],
)
def test_production_settings_pass_check_deploy_with_no_warnings(extra):
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env=production_environment(**extra),
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_warns_about_a_development_setup():
    """The check above can fail: with DEBUG on it reports the deploy problems."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=environment(), check=False)

    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_debug_off_without_a_secret_key_refuses_to_start_with_a_clear_message():
    env = production_environment()
    del env["DJANGO_SECRET_KEY"]

    result = manage("check", env=env, check=False)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_an_empty_secret_key_is_refused_too():
    result = manage("check", env=production_environment(DJANGO_SECRET_KEY=""), check=False)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_development_runs_with_nothing_set_on_sqlite_with_debug_on():
    seen = settings_as_seen_by(environment(), "DEBUG", "DATABASES")

    assert seen["DEBUG"] == "True"
    assert "sqlite3" in seen["DATABASES"]


def test_production_cookies_are_https_only_and_hsts_is_on():
    seen = settings_as_seen_by(
        production_environment(),
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_PROXY_SSL_HEADER",
    )

    assert seen["SESSION_COOKIE_SECURE"] == "True"
    assert seen["CSRF_COOKIE_SECURE"] == "True"
    assert seen["SECURE_SSL_REDIRECT"] == "True"
    assert int(seen["SECURE_HSTS_SECONDS"]) >= 31536000
    assert seen["SECURE_PROXY_SSL_HEADER"] == "None"


def test_trusting_the_proxys_https_header_is_opt_in():
    seen = settings_as_seen_by(
        production_environment(DJANGO_BEHIND_PROXY="1"), "SECURE_PROXY_SSL_HEADER"
    )

    assert seen["SECURE_PROXY_SSL_HEADER"] == "('HTTP_X_FORWARDED_PROTO', 'https')"


def test_database_url_selects_postgresql_with_a_connect_timeout():
    seen = settings_as_seen_by(
        environment(DATABASE_URL="postgres://app:pw@db.internal:5432/skilltree"), "DATABASES"
    )

    assert "'ENGINE': 'django.db.backends.postgresql'" in seen["DATABASES"]
    assert "'connect_timeout': 5" in seen["DATABASES"]


def test_the_psycopg_connection_pool_is_opt_in_and_really_pools():
    env = environment(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres", DJANGO_DB_POOL_MAX_SIZE="4"
    )
    code = (
        "import django; django.setup(); from django.db import connection; "
        "cursor = connection.cursor(); cursor.execute('SELECT 1'); "
        "print(type(connection.pool).__name__, connection.pool.max_size, "
        "connection.settings_dict['CONN_MAX_AGE'])"
    )

    result = run(
        [sys.executable, "-c", code], env={**env, "DJANGO_SETTINGS_MODULE": "skilltree.settings"}
    )

    assert result.stdout.split() == ["ConnectionPool", "4", "0"]
    assert (
        "pool"
        not in settings_as_seen_by(environment(DATABASE_URL=env["DATABASE_URL"]), "DATABASES")[
            "DATABASES"
        ]
    )
