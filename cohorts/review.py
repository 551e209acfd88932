"""Evidence review: the claims in a lead's cohorts, the queue, the outcome and its calibration."""

from django.db.models import OuterRef, Subquery
from django.dispatch import Signal
from django.utils import timezone

from assessments.gaps import mean_level
from assessments.models import Progress, Rating
from cohorts.members import latest_full_audit_id, learners_led_by

review_recorded = Signal()
"""Sent with `progress` after a lead's review is saved (notices queues the learner's email)."""


def evidence_claims(lead):
    """Every "test passed" with evidence from a learner in the lead's cohorts, with the
    learner's self-rating of that skill in their latest saved full audit."""
    self_rating = Subquery(
        Rating.objects.filter(
            skill=OuterRef("skill"),
            audit_id=latest_full_audit_id(OuterRef(OuterRef("user_id"))),
        ).values("value")[:1]
    )
    return (
        Progress.objects.claims()
        .filter(user_id__in=learners_led_by(lead))
        .select_related("user", "skill", "skill__trunk", "reviewed_by")
        .annotate(self_rating=self_rating)
    )


def review_queue(lead, *, limit=200):
    """Claims waiting for review (oldest first), then the latest reviewed ones."""
    claims = evidence_claims(lead)
    waiting = list(claims.awaiting_review().order_by("passed_at", "updated_at", "pk")[:limit])
    reviewed = list(claims.reviewed().order_by("-reviewed_at", "-pk")[:limit])
    return waiting, reviewed


def calibration(reviewed):
    """Mean self-rating of the skills whose tests a lead verified, and of those that need work."""
    summary = {}
    for outcome, label in (
        (Progress.Review.VERIFIED, "Verified"),
        (Progress.Review.NEEDS_WORK, "Needs work"),
    ):
        rated = [
            claim.self_rating for claim in reviewed if claim.review == outcome and claim.self_rating
        ]
        count = sum(claim.review == outcome for claim in reviewed)
        summary[outcome] = {
            "label": label,
            "count": count,
            "rated": len(rated),
            "mean": mean_level(rated),
        }
    return summary


def record_review(progress, *, lead, outcome, comment, now=None):
    progress.review = outcome
    progress.review_comment = comment
    progress.reviewed_by = lead
    progress.reviewed_at = now or timezone.now()
    progress.save(update_fields=["review", "review_comment", "reviewed_by", "reviewed_at"])
    review_recorded.send(sender=record_review, progress=progress)
