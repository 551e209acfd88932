"""Evidence review: the claims in a lead's cohorts, the queue, the outcome and its calibration."""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Avg, Count, OuterRef, Q, Subquery
from django.dispatch import Signal
from django.utils import timezone

from assessments.gaps import round_level
from assessments.models import Progress, Rating
from cohorts.members import latest_full_audit_id, learners_led_by
from pages import bump_learner

WAITING_PER_PAGE = 25
LATEST_REVIEWS = 25

review_recorded = Signal()
"""Sent with `progress` after a lead's review is saved (notices queues the learner's email)."""


def evidence_claims(lead):
    """Every "test passed" with evidence from a learner in the lead's cohorts, with the
    learner's self-rating of that skill in their latest saved full audit. A lead who joined
    their own cohort never sees (so never reviews) their own claims."""
    self_rating = Subquery(
        Rating.objects.filter(
            skill=OuterRef("skill"),
            audit_id=latest_full_audit_id(OuterRef(OuterRef("user_id"))),
        ).values("value")[:1]
    )
    return (
        Progress.objects.claims()
        .filter(user_id__in=learners_led_by(lead))
        .exclude(user=lead)
        .select_related("user", "skill", "skill__trunk", "reviewed_by")
        .annotate(self_rating=self_rating)
    )


@dataclass(frozen=True)
class ReviewQueue:
    """What the lead's review page shows: a page of the claims waiting (oldest first), the
    latest reviews, and the calibration over every review they and co-leads gave."""

    waiting: Page
    reviewed: list
    calibration: dict


OUTCOMES = ((Progress.Review.VERIFIED, "Verified"), (Progress.Review.NEEDS_WORK, "Needs work"))


def review_queue(lead, *, page_number=1):
    """The review page in three queries whatever the number of claims: counts and mean
    self-ratings by outcome (the waiting count and the calibration), the page of waiting
    claims, the latest reviews."""
    claims = evidence_claims(lead)
    reviewed = ~Q(review=Progress.Review.PENDING)  # self-ratings are read for these only
    by_outcome = {
        row["review"]: row
        for row in claims.values("review")
        .annotate(
            count=Count("pk"),
            rated=Count("self_rating", filter=reviewed),
            mean=Avg("self_rating", filter=reviewed),
        )
        .order_by()
    }
    paginator = Paginator(claims.awaiting_review().in_review_order(), WAITING_PER_PAGE)
    paginator.count = by_outcome.get(Progress.Review.PENDING, {}).get("count", 0)
    calibration = {}
    for outcome, label in OUTCOMES:
        row = by_outcome.get(outcome, {"count": 0, "rated": 0, "mean": None})
        calibration[outcome] = {
            "label": label,
            "count": row["count"],
            "rated": row["rated"],
            "mean": round_level(row["mean"]),
        }
    return ReviewQueue(
        waiting=paginator.get_page(page_number),
        reviewed=list(claims.reviewed().order_by("-reviewed_at", "-pk")[:LATEST_REVIEWS]),
        calibration=calibration,
    )


class ClaimChanged(Exception):
    """The learner changed the claim (its evidence link, or took back "test passed") after the
    lead opened it: a verdict on what the lead did not see is not recorded."""


def record_review(progress, *, lead, outcome, comment, seen_evidence=None, now=None):
    """Record the lead's verdict on a claim and tell the learner (`review_recorded`). The verdict
    the claim already carries from this lead, sent again (a double click, a resend through the
    API), records nothing and tells nobody: returns False. With `seen_evidence`, the evidence
    link the lead looked at, a claim that is no longer that link's "test passed" records nothing
    and raises ClaimChanged. The claim's row is locked while it is read and its verdict written,
    so the same verdict sent at the same moment twice is recorded (and told) once; `progress` is
    left showing the verdict recorded."""
    verdict = ("review", "review_comment", "reviewed_by_id", "reviewed_at")
    with transaction.atomic():
        row = (
            Progress.objects.select_for_update()
            .filter(pk=progress.pk)
            .values("status", "evidence_url", *verdict)
            .get()
        )
        if seen_evidence is not None and (
            row["evidence_url"] != seen_evidence or row["status"] != Progress.Status.TEST_PASSED
        ):
            raise ClaimChanged
        if (row["review"], row["review_comment"], row["reviewed_by_id"]) == (
            outcome,
            comment,
            lead.pk,
        ):
            for name in verdict:
                setattr(progress, name, row[name])
            return False
        progress.review = outcome
        progress.review_comment = comment
        progress.reviewed_by = lead
        progress.reviewed_at = now or timezone.now()
        progress.save(update_fields=["review", "review_comment", "reviewed_by", "reviewed_at"])
        bump_learner(progress.user_id)
        review_recorded.send(sender=record_review, progress=progress)
    return True
