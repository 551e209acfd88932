"""Rules that live in queries, tried on both sides of their boundary: six weeks in SQL, one
email per lapse and per day, the last lead, the latest full audit, the calibration's rounding."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.models import Progress
from assessments.warnings import AUDIT_AGE
from cohorts.closing import cohorts_closed_with
from cohorts.members import member_pks, members_of
from cohorts.review import record_review, review_queue
from curriculum.models import Skill
from notices.due import digest_key, lapsed_learners, queue_due, reminder_key, wants
from notices.models import Notice
from tests.factories import (
    AuditFactory,
    UserFactory,
    claim_test,
    make_cohort,
    make_lead,
    save_full_audit,
)

pytestmark = pytest.mark.django_db

SECOND = timedelta(seconds=1)


@pytest.mark.parametrize(("age", "lapsed"), [(AUDIT_AGE, False), (AUDIT_AGE + SECOND, True)])
def test_the_reminder_query_lapses_just_after_six_weeks_like_the_dashboard(age, lapsed):
    now = timezone.now()
    user = UserFactory()
    audit = AuditFactory(user=user, saved_at=now - age)
    AuditFactory(user=user, saved_at=now - age - timedelta(days=30))
    found = list(lapsed_learners(now))
    assert [(u.pk, u.last_audit_id) for u in found] == ([(user.pk, audit.pk)] if lapsed else [])


def test_a_recent_quick_audit_counts_as_checking_in_and_a_draft_does_not():
    now = timezone.now()
    quick, draft = UserFactory(), UserFactory()
    for user in (quick, draft):
        AuditFactory(user=user, days_ago=60)
    AuditFactory(user=quick, quick=True, days_ago=1)
    AuditFactory(user=draft, draft=True)
    assert [u.pk for u in lapsed_learners(now)] == [draft.pk]


def test_each_lapse_makes_one_reminder_and_each_day_one_digest():
    now = timezone.now()
    learner = UserFactory()
    old = AuditFactory(user=learner, days_ago=60)
    lead = make_lead(email="lead@example.org")
    make_cohort(lead, members=[learner])
    claim_test(learner, Skill.objects.first())

    queue_due(now)
    queue_due(now + timedelta(hours=1))
    assert set(Notice.objects.values_list("user_id", "kind", "key")) == {
        (learner.pk, Notice.Kind.AUDIT_REMINDER, reminder_key(old.pk)),
        (lead.pk, Notice.Kind.REVIEW_DIGEST, digest_key(now)),
    }

    queue_due(now + timedelta(days=1))
    assert Notice.objects.filter(user=lead).count() == 2
    assert Notice.objects.filter(user=learner).count() == 1


def test_only_an_active_person_with_an_address_and_the_email_on_is_written_to():
    assert wants(UserFactory(), Notice.Kind.AUDIT_REMINDER)
    assert not wants(UserFactory(email=""), Notice.Kind.AUDIT_REMINDER)
    assert not wants(UserFactory(is_active=False), Notice.Kind.AUDIT_REMINDER)
    assert not wants(UserFactory(email_review_digest=False), Notice.Kind.REVIEW_DIGEST)
    assert wants(UserFactory(email_review_digest=False), Notice.Kind.REVIEW_VERDICT)


def test_a_cohort_closes_with_its_last_lead_and_not_while_another_leads_it():
    lead, co_lead = make_lead("lead"), make_lead("co")
    alone = make_cohort(lead, name="Alone", members=[UserFactory(), UserFactory()])
    shared = make_cohort(lead, name="Shared")
    shared.leads.add(co_lead)
    closing = list(cohorts_closed_with(lead))
    assert [(c.pk, c.member_count, c.lead_count) for c in closing] == [(alone.pk, 2, 1)]
    assert list(cohorts_closed_with(co_lead)) == []


def test_a_members_standing_is_the_latest_saved_full_audit_and_last_audit_is_either_kind():
    lead = make_lead()
    learner = UserFactory()
    cohort = make_cohort(lead, members=[learner])
    older = AuditFactory(user=learner, days_ago=10)
    latest = AuditFactory(user=learner, days_ago=5)
    quick = AuditFactory(user=learner, quick=True, days_ago=2)
    AuditFactory(user=learner, draft=True)
    (member,) = members_of(cohort)
    assert member.latest_full_audit_id == latest.pk != older.pk
    assert member.last_audit_at == quick.saved_at
    assert member_pks(cohort) == [learner.pk]


def test_the_calibration_mean_of_self_ratings_rounds_a_tie_half_up():
    lead = make_lead()
    skill = Skill.objects.order_by("pk").first()
    learners = [UserFactory() for _ in range(4)]
    make_cohort(lead, members=learners)
    for learner, rating in zip(learners, [2, 2, 2, 3], strict=True):
        save_full_audit(learner, {skill: rating})
        record_review(
            claim_test(learner, skill), lead=lead, outcome=Progress.Review.VERIFIED, comment=""
        )
    calibration = review_queue(lead).calibration
    assert calibration[Progress.Review.VERIFIED]["mean"] == Decimal("2.3")
    assert calibration[Progress.Review.VERIFIED]["rated"] == 4
    assert calibration[Progress.Review.NEEDS_WORK] == {
        "label": "Needs work",
        "count": 0,
        "rated": 0,
        "mean": None,
    }


def test_a_claim_waits_until_reviewed_and_the_lead_never_reviews_their_own():
    lead = make_lead()
    learner = UserFactory()
    make_cohort(lead, members=[learner, lead])
    skill = Skill.objects.order_by("pk").first()
    claim = claim_test(learner, skill)
    claim_test(lead, skill)
    queue = review_queue(lead)
    assert [p.pk for p in queue.waiting] == [claim.pk]
    record_review(claim, lead=lead, outcome=Progress.Review.NEEDS_WORK, comment="Link is 404.")
    queue = review_queue(lead)
    assert list(queue.waiting) == []
    assert [p.pk for p in queue.reviewed] == [claim.pk]
    assert queue.calibration[Progress.Review.NEEDS_WORK]["count"] == 1
