"""A reminder worth opening (issue 25 item 4): the six-week email is the learner's own: their
target track and its biggest gap, the three next skills with their free resources, tests
waiting for a verdict, re-checks due and the failure mode the dashboard warns of."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import Audit
from curriculum.models import RecheckPolicy, Skill
from notices.due import queue_due
from notices.mail import compose, message
from notices.models import Notice
from tests import factories
from tests.factories import claim_test

pytestmark = pytest.mark.django_db

SITE = "https://skills.example.org"
EMAIL_BUDGET = 100 * 1024


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


def reminder_for(user):
    now = timezone.now()
    queue_due(now)
    notice = Notice.objects.get(user=user, kind=Notice.Kind.AUDIT_REMINDER)
    email = compose(notice, now)
    mail = message(notice, email)
    (html, _mimetype), *_ = mail.alternatives
    return email, mail.body, html


@pytest.fixture
def hiro():
    """A Research Scientist six weeks past his audit, chasing hype, with a test waiting for a
    verdict and a verification due for a re-check."""
    user = factories.learner_chasing_hype(
        username="hiro", email="hiro@example.org", display_name="Hiro", email_audit_reminders=True
    )
    Audit.objects.filter(user=user).update(saved_at=timezone.now() - timedelta(days=50))
    waiting = Skill.objects.filter(trunk__number=5).first()
    claim_test(user, waiting, learning_since=timezone.now() - timedelta(days=6))
    stale = Skill.objects.filter(trunk__number=6).first()
    claim_test(user, stale, review="verified", reviewed_at=timezone.now() - timedelta(days=400))
    RecheckPolicy.objects.update(months=12)
    return user


def test_the_reminder_is_the_learners_own(hiro):
    email, text, html = reminder_for(hiro)

    context = email.context
    assert context["track"].name == "Research Scientist"
    assert context["biggest_gap"].gap > 0
    assert len(context["next_skills"]) == 3
    waiting, stale = context["waiting"], context["rechecks"]
    assert [p.skill.trunk.number for p in waiting] == [5]
    assert [r.skill.trunk.number for r in stale] == [6]
    assert [w.slug for w in context["warnings"]] == ["hype-substitution"]
    for part in (text, html):
        assert "Research Scientist" in part and context["biggest_gap"].bucket.name in part
        assert waiting[0].skill.name in part
        assert "Due for a re-check" in part or "DUE FOR A RE-CHECK" in part
        assert "matrix multiplication does not" in part
        for item in context["next_skills"]:
            assert item.skill.name in part
            if item.resource:
                assert item.resource.url in part
    assert f"{SITE}/progress/skills/{stale[0].skill.slug}/" in text
    assert len(html.encode()) < EMAIL_BUDGET and len(text.encode()) < EMAIL_BUDGET
    assert "&lt;" not in html and "&amp;#" not in text


def test_a_learner_with_no_track_and_nothing_waiting_gets_a_short_reminder():
    ada = factories.learner(email_audit_reminders=True)
    factories.AuditFactory(user=ada, days_ago=43)

    _email, text, html = reminder_for(ada)

    assert "You have not chosen a target track yet" in text
    assert "WAITING" not in text and "RE-CHECK" not in text and "WATCH OUT" not in text
    assert "Waiting for a lead" not in html
