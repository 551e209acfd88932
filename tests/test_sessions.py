"""A signed-in request reads its session and its user in one query (cohorts/sessions.py), and
who is signed in is still decided as Django decides it."""

import importlib
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DjangosSessionStore
from django.contrib.sessions.models import Session as DjangosSession
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Session
from cohorts.sessions import SessionStore
from tests.factories import LEARNER_PASSWORD, learner, make_cohort, make_lead, other_learner

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("assessments:dashboard")


@pytest.fixture
def ada():
    return learner()


def log_in(client, user):
    response = client.post(
        reverse("login"), {"username": user.username, "password": LEARNER_PASSWORD}
    )
    assert response.status_code == 302
    return client.cookies["sessionid"].value


def test_a_session_and_its_user_are_read_in_one_query(ada, django_assert_num_queries):
    key = log_in(Client(), ada)

    with django_assert_num_queries(1):
        store = SessionStore(key)
        assert store[SESSION_KEY] == str(ada.pk)
        assert store.user_row.username == "ada"
    assert store.user_row.leads_cohorts is False


def test_a_leads_session_says_they_lead_a_cohort():
    lead = make_lead("lena", password=LEARNER_PASSWORD)
    make_cohort(lead)
    store = SessionStore(log_in(Client(), lead))
    assert store[SESSION_KEY] == str(lead.pk)
    assert store.user_row.leads_cohorts is True


def test_signing_in_writes_the_users_id_beside_the_session_and_signing_out_removes_it(ada):
    client = Client()
    key = log_in(client, ada)
    assert Session.objects.get(pk=key).user_id == ada.pk
    assert client.get(DASHBOARD).status_code == 200

    client.post(reverse("logout"))
    assert not Session.objects.filter(pk=key).exists()
    assert client.get(DASHBOARD).status_code == 302


def test_a_visitors_session_names_no_user():
    store = SessionStore()
    store["seen"] = True
    store.save()
    assert Session.objects.get(pk=store.session_key).user_id is None
    read = SessionStore(store.session_key)
    assert read["seen"] is True and read.user_row is None


def test_an_expired_session_is_not_read(ada):
    key = log_in(Client(), ada)
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))

    read = SessionStore(key)
    assert SESSION_KEY not in read
    assert read.session_key is None, "a new key is made, never the stale one reused"
    assert read.user_row is None


def test_an_unknown_session_key_reads_as_an_empty_session():
    read = SessionStore("no-such-session-key-0123456789")
    assert dict(read.items()) == {}
    assert read.session_key is None


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
        reverse("password_change"),
        {
            "old_password": LEARNER_PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )

    assert response.status_code == 302
    assert laptop.get(DASHBOARD).status_code == 200, "the session that changed it stays"
    assert phone.get(DASHBOARD).status_code == 302, "the password hash no longer matches"


def test_the_user_is_the_one_the_session_data_names_even_if_the_column_says_otherwise(ada):
    """Only Django's get_user decides who is signed in: a user read beside the session is used
    only when it is the user the session's data names."""
    grace = other_learner()
    client = Client()
    key = log_in(client, ada)
    Session.objects.filter(pk=key).update(user=grace)

    response = client.get(reverse("profile"))

    assert response.status_code == 200
    assert response.context["user"].pk == ada.pk


def test_deleting_a_user_ends_their_sessions_on_every_device(ada):
    phone = Client()
    key = log_in(phone, ada)
    ada.delete()
    assert not Session.objects.filter(pk=key).exists()
    assert phone.get(DASHBOARD).status_code == 302


def test_the_upgrade_keeps_people_signed_in(ada):
    """The migration that brought accounts.Session moves Django's sessions here with their
    users' ids; sessions of users who are gone, and expired ones, are not kept."""
    migration = importlib.import_module("accounts.migrations.0005_session_with_its_user")

    def djangos_session(user_pk, expires_in=timedelta(days=1)):
        store = DjangosSessionStore()
        store[SESSION_KEY] = str(user_pk) if user_pk is not None else None
        store.save()
        DjangosSession.objects.filter(pk=store.session_key).update(
            expire_date=timezone.now() + expires_in
        )
        return store.session_key

    signed_in = djangos_session(ada.pk)
    visitor = djangos_session(None)
    gone = djangos_session(987_654)
    expired = djangos_session(ada.pk, expires_in=timedelta(seconds=-1))

    from django.apps import apps

    migration.keep_people_signed_in(apps, None)

    kept = dict(Session.objects.values_list("session_key", "user_id"))
    assert kept == {signed_in: ada.pk, visitor: None}
    assert not {gone, expired} & set(kept)
    assert not DjangosSession.objects.exists()
    assert SessionStore(signed_in)[SESSION_KEY] == str(ada.pk)


def test_the_user_read_with_the_session_has_every_field_as_the_orm_reads_it(ada):
    from django.contrib.auth import get_user_model

    ada.last_login = timezone.now() - timedelta(hours=3)
    ada.save()
    store = SessionStore(log_in(Client(), ada))
    store.load()
    orm = get_user_model().objects.get(pk=ada.pk)

    read = store.user_row
    assert read._state.adding is False and read._state.db == "default"
    for field in orm._meta.concrete_fields:
        assert getattr(read, field.attname) == getattr(orm, field.attname), field.name
    assert read.last_login.tzinfo is not None
