"""Sessions are Django's own (the `db` engine; `cached_db` over Redis with REDIS_URL): who is
signed in is decided as Django decides it, the upgrade from the app's former session table
signs no one out, and a visitor's session does not outlive its expiry."""

from datetime import timedelta

import pytest
import yaml
from django.conf import settings as django_settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from curriculum.models import BaselineQuestion
from tests.factories import LEARNER_PASSWORD, learner, make_cohort, make_lead
from tests.processes import ROOT, closed_port

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("assessments:dashboard")
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def ada():
    return learner()


def log_in(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.username, "password": LEARNER_PASSWORD}
    )
    assert response.status_code == 302
    return client.cookies[django_settings.SESSION_COOKIE_NAME].value


def test_signing_in_keeps_a_session_in_djangos_table_and_signing_out_removes_it(ada):
    client = Client()
    key = log_in(client, ada)
    session = Session.objects.get(pk=key).get_decoded()
    assert session[SESSION_KEY] == str(ada.pk)
    assert session[BACKEND_SESSION_KEY] == MODEL_BACKEND
    assert client.get(DASHBOARD).status_code == 200

    client.post(reverse("account_logout"))
    assert not Session.objects.filter(pk=key).exists()
    assert client.get(DASHBOARD).status_code == 302


def test_signing_up_signs_in_through_a_password_backend_built_on_djangos(client):
    response = client.post(
        reverse("account_signup"),
        {
            "username": "newcomer",
            "email": "newcomer@example.org",
            "password1": LEARNER_PASSWORD,
            "password2": LEARNER_PASSWORD,
        },
    )
    assert response.status_code == 302
    backend = import_string(client.session[BACKEND_SESSION_KEY])
    assert issubclass(backend, ModelBackend)
    assert client.get(DASHBOARD).status_code == 200


def test_an_expired_session_signs_no_one_in(ada):
    client = Client()
    key = log_in(client, ada)
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get(DASHBOARD).status_code == 302


def test_an_unknown_session_key_is_a_visitor(client):
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "no-such-session-key-0123456789"
    assert client.get(DASHBOARD).status_code == 302
    assert client.get(reverse("curriculum:tree")).status_code == 200


def test_a_deactivated_user_is_signed_out_at_their_next_request(ada):
    client = Client()
    log_in(client, ada)
    ada.is_active = False
    ada.save()
    assert client.get(DASHBOARD).status_code == 302


def test_changing_the_password_signs_out_every_other_session(ada):
    phone, laptop = Client(), Client()
    log_in(phone, ada)
    log_in(laptop, ada)
    new_password = "a-new-and-longer-passphrase-77"

    response = laptop.post(
        reverse("account_change_password"),
        {
            "oldpassword": LEARNER_PASSWORD,
            "password1": new_password,
            "password2": new_password,
        },
    )

    assert response.status_code == 302
    assert laptop.get(DASHBOARD).status_code == 200, "the session that changed it stays"
    assert phone.get(DASHBOARD).status_code == 302, "the password hash no longer matches"


def test_a_deleted_users_sessions_stop_working_even_for_an_account_given_their_id(ada):
    """Django's database sessions do not cascade with the user: a deleted user's session on
    another device finds no user, and an account made later with the same id does not match the
    password hash the session holds. The row expires and clearsessions removes it."""
    phone = Client()
    log_in(phone, ada)
    pk = ada.pk
    ada.delete()
    assert phone.get(DASHBOARD).status_code == 302

    get_user_model().objects.create_user("usurper", password="another-long-password-9", pk=pk)
    assert phone.get(DASHBOARD).status_code == 302


def test_a_lead_sees_the_cohorts_link_and_a_learner_does_not(ada):
    lead = make_lead("lena", password=LEARNER_PASSWORD)
    make_cohort(lead)
    leads, learners = Client(), Client()
    log_in(leads, lead)
    log_in(learners, ada)
    link = f'href="{reverse("cohorts:cohorts")}"'
    assert link in leads.get(DASHBOARD).content.decode()
    assert link not in learners.get(DASHBOARD).content.decode()


# The upgrade from accounts.Session (accounts 0005) to Django's table (accounts 0006)

BEFORE = ("accounts", "0005_session_with_its_user")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_upgrade_keeps_people_signed_in_with_djangos_password_backend(ada):
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old_apps = _migrate([BEFORE]).loader.project_state([BEFORE]).apps
    store = SessionStore()

    def old_session(data, expires_in=timedelta(days=1)):
        key = f"old-session-{len(data)}-{expires_in.days}".ljust(32, "0")
        old_apps.get_model("accounts", "Session").objects.create(
            session_key=key,
            session_data=store.encode(data),
            expire_date=timezone.now() + expires_in,
            user_id=data.get(SESSION_KEY),
        )
        return key

    signed_in = old_session(
        {
            SESSION_KEY: str(ada.pk),
            BACKEND_SESSION_KEY: "cohorts.roles.LeadAwareBackend",
            HASH_SESSION_KEY: ada.get_session_auth_hash(),
        }
    )
    visitor = old_session({"visitor_quick_audit": {"1": 3}})
    expired = old_session({SESSION_KEY: str(ada.pk)}, expires_in=timedelta(days=-1))

    _migrate(leaves)

    assert set(Session.objects.values_list("pk", flat=True)) == {signed_in, visitor}
    assert "accounts_session" not in connection.introspection.table_names()
    assert expired not in set(Session.objects.values_list("pk", flat=True))
    client = Client()
    client.cookies[django_settings.SESSION_COOKIE_NAME] = signed_in
    response = client.get(reverse("profile"))
    assert response.status_code == 200
    assert response.context["user"].pk == ada.pk
    assert client.session[BACKEND_SESSION_KEY] == MODEL_BACKEND


# A visitor's quick audit: its session row expires and is cleared


def test_a_visitors_quick_audit_leaves_one_session_row_that_expires_and_is_cleared(client):
    answers = {f"question-{q.pk}": "3" for q in BaselineQuestion.objects.all()}
    assert client.post(reverse("assessments:quick_audit"), answers).status_code == 302

    row = Session.objects.get()
    assert row.expire_date <= timezone.now() + timedelta(seconds=django_settings.SESSION_COOKIE_AGE)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    call_command("clearsessions")
    assert not Session.objects.exists()


def test_compose_clears_expired_sessions_on_the_reminders_schedule():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = " ".join(compose["services"]["scheduler"]["command"])
    assert "manage.py send_reminders" in command and "manage.py clearsessions" in command
    assert command.index("clearsessions") < command.index("sleep 3600")


# With Redis: cached_db over the "sessions" cache


def _sessions_over_redis(settings, location):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.SESSION_CACHE_ALIAS = "sessions"
    settings.CACHES = {
        **settings.CACHES,
        "sessions": {
            "BACKEND": "skilltree.sessions.SessionsRedis",
            "LOCATION": location,
            "KEY_PREFIX": "test-sessions",
            "OPTIONS": {"socket_connect_timeout": 0.05, "socket_timeout": 0.05},
        },
    }


def test_with_redis_a_signed_in_request_reads_its_session_from_redis(
    settings, ada, django_assert_num_queries
):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/12", socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"no Redis on 127.0.0.1:6379: {error}")
    _sessions_over_redis(settings, "redis://127.0.0.1:6379/12")
    client = Client()
    try:
        key = log_in(client, ada)
        Session.objects.filter(pk=key).update(session_data="read from Redis, not from here")
        with django_assert_num_queries(0):
            assert client.session[SESSION_KEY] == str(ada.pk)
        assert client.get(DASHBOARD).status_code == 200

        client.post(reverse("account_logout"))
        assert client.get(DASHBOARD).status_code == 302
        assert not Session.objects.filter(pk=key).exists()
    finally:
        from django.core.cache import caches

        caches["sessions"].clear()


def test_with_redis_down_signing_in_pages_and_signing_out_still_work(settings, ada):
    pytest.importorskip("redis")
    import pages

    with closed_port() as port:
        _sessions_over_redis(settings, f"redis://127.0.0.1:{port}/0")
        client = Client()
        try:
            key = log_in(client, ada)
            assert client.get(DASHBOARD).status_code == 200
            assert client.post(reverse("account_logout")).status_code == 302
        finally:
            pages.shared_backoff.reset()
    assert not Session.objects.filter(pk=key).exists()
    assert client.get(DASHBOARD).status_code == 302
