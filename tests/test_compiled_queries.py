"""The session and user queries every signed-in request runs are compiled once per process
(accounts/compiled.py): they must read exactly what Django's own would."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.compiled import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_is_read_back_in_one_query(django_assert_num_queries):
    saved = SessionStore()
    saved["_auth_user_id"] = "42"
    saved.save()

    with django_assert_num_queries(1):
        read = SessionStore(saved.session_key)
        assert read["_auth_user_id"] == "42"
    assert read.session_key == saved.session_key


def test_an_expired_session_is_not_read():
    saved = SessionStore()
    saved["_auth_user_id"] = "42"
    saved.save()
    Session.objects.filter(pk=saved.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )

    read = SessionStore(saved.session_key)
    assert "_auth_user_id" not in read
    assert read.session_key is None, "a new key is made, never the stale one reused"


def test_an_unknown_session_key_reads_as_an_empty_session():
    read = SessionStore("no-such-session-key-0123456789")
    assert dict(read.items()) == {}
    assert read.session_key is None


def test_signing_in_and_out_works_through_the_compiled_session(client, learner):
    from tests.factories import LEARNER_PASSWORD

    client.post("/accounts/login/", {"username": learner.username, "password": LEARNER_PASSWORD})
    assert client.get("/dashboard/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/dashboard/").status_code == 302


@pytest.mark.parametrize("leads", [False, True], ids=["learner", "lead"])
def test_the_compiled_user_query_reads_every_field_as_the_orm_does(leads):
    from django.contrib.auth import get_user_model

    from cohorts.roles import LeadAwareBackend
    from tests import factories

    user = factories.learner()
    if leads:
        factories.make_cohort(factories.make_lead("lena"))
        user = factories.make_lead("lead-of-two")
        factories.make_cohort(user, name="Autumn cohort")
    user.last_login = timezone.now() - timedelta(hours=3)
    user.save()

    compiled = LeadAwareBackend().get_user(user.pk)
    orm = get_user_model().objects.get(pk=user.pk)

    assert compiled._state.adding is False and compiled._state.db == "default"
    for field in orm._meta.concrete_fields:
        assert getattr(compiled, field.attname) == getattr(orm, field.attname), field.name
    assert compiled.last_login == user.last_login and compiled.last_login.tzinfo is not None
    assert compiled.leads_cohorts is leads
