"""Dates are written one way everywhere: "5 December 2026" (issue 22, item 15)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from assessments.models import Audit
from curriculum.models import Skill
from tests.factories import AuditFactory, UserFactory, make_cohort, make_lead

pytestmark = pytest.mark.django_db

FIFTH = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)
OTHER_WAYS = ("05 December", "5 Dec 2026", "Dec. 5", "December 5")


def _shows_the_one_way(html):
    assert "5 December 2026" in html
    for other in OTHER_WAYS:
        assert other not in html, other


def test_a_learners_pages_write_an_audits_day_without_a_leading_zero(client):
    ada = UserFactory()
    skill = Skill.objects.first()
    audit = AuditFactory(user=ada, ratings={skill: 3})
    Audit.objects.filter(pk=audit.pk).update(saved_at=FIFTH)
    client.force_login(ada)

    for url in (
        reverse("assessments:dashboard"),
        reverse("assessments:audit_history"),
        reverse("assessments:audit_detail", args=[audit.pk]),
    ):
        _shows_the_one_way(client.get(url).content.decode())


def test_saving_an_audit_says_its_day_the_same_way(client, monkeypatch):
    ada = UserFactory()
    draft = AuditFactory(user=ada, draft=True, ratings={Skill.objects.first(): 3})
    monkeypatch.setattr("django.utils.timezone.now", lambda: FIFTH + timedelta(minutes=1))
    client.force_login(ada)

    response = client.post(reverse("assessments:save_audit", args=[draft.pk]), follow=True)

    _shows_the_one_way(response.content.decode())


def test_the_lead_sees_a_learners_last_audit_day_the_same_way(client):
    lead = make_lead()
    learner = UserFactory()
    cohort = make_cohort(lead, members=[learner])
    audit = AuditFactory(user=learner, ratings={Skill.objects.first(): 2})
    Audit.objects.filter(pk=audit.pk).update(saved_at=FIFTH)
    client.force_login(lead)

    for url in (
        reverse("cohorts:cohort", args=[cohort.pk]),
        reverse("cohorts:cohort_learner", args=[cohort.pk, learner.pk]),
    ):
        _shows_the_one_way(client.get(url).content.decode())
