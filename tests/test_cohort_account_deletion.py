"""Issue 12, finding 12: deleting an account removes its login records and signs out its other
sessions, and closes the cohorts only it led (after saying so on the delete page)."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Cohort, Membership
from tests.factories import make_cohort, make_lead, make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough password 42"


def delete_account(client):
    return client.post(reverse("assessments:delete_account"), {"password": PASSWORD})


def test_deleting_an_account_removes_its_login_records_and_signs_out_every_session(client):
    ada = make_user("ada", password=PASSWORD)
    bob = make_user("bob", password=PASSWORD)
    phone, bobs = Client(), Client()
    phone.force_login(ada)
    bobs.force_login(bob)
    client.force_login(ada)
    now = timezone.now()
    for username in ("ada", "ADA", "bob"):
        AccessAttempt.objects.create(
            username=username, ip_address="10.0.0.1", user_agent="x", failures_since_start=1
        )
        AccessLog.objects.create(username=username, ip_address="10.0.0.1", user_agent="x")
        AccessFailureLog.objects.create(
            username=username, ip_address="10.0.0.1", user_agent="x", attempt_time=now
        )
    assert Session.objects.count() == 3

    assert delete_account(client).status_code == 302

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        assert set(model.objects.values_list("username", flat=True)) == {"bob"}
    assert not Session.objects.filter(pk=client.cookies["sessionid"].value).exists()
    assert client.get(reverse("assessments:dashboard")).status_code == 302
    assert phone.get(reverse("assessments:dashboard")).status_code == 302  # signed out
    assert bobs.get(reverse("assessments:dashboard")).status_code == 200


def test_a_lead_who_deletes_their_account_is_told_and_their_cohorts_close(client):
    lead = make_lead("lead", password=PASSWORD)
    co_lead = make_lead("colead")
    members = [make_user("mia"), make_user("max")]
    alone = make_cohort(lead, name="Led alone", members=members)
    shared = make_cohort(lead, name="Led together", members=members[:1])
    shared.leads.add(co_lead)
    other = make_cohort(co_lead, name="Not theirs", members=members[1:])
    client.force_login(lead)

    page = client.get(reverse("assessments:delete_account")).content.decode()
    warning = page.split('id="cohorts-closing"')[1].split("</div>")[0]
    assert "Led alone (2 members)" in warning
    assert "Led together" not in warning and "Not theirs" not in warning

    assert delete_account(client).status_code == 302

    assert not Cohort.objects.filter(pk=alone.pk).exists()
    assert list(Cohort.objects.get(pk=shared.pk).leads.all()) == [co_lead]
    assert Cohort.objects.filter(pk=other.pk).exists()
    assert sorted(Membership.objects.values_list("cohort__name", "user__username")) == [
        ("Led together", "mia"),
        ("Not theirs", "max"),
    ]
    assert all(member.__class__.objects.filter(pk=member.pk).exists() for member in members)


def test_a_learner_deleting_their_account_sees_no_cohort_warning(client):
    learner = make_user("ada", password=PASSWORD)
    make_cohort(make_lead(), members=[learner])
    client.force_login(learner)
    assert (
        "cohorts-closing" not in client.get(reverse("assessments:delete_account")).content.decode()
    )
