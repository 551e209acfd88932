"""A learner's progress on one skill: the status, its dates, the evidence and the lead's review."""

from django.db import transaction
from django.utils import timezone

from assessments.models import Progress, SkillNote
from assessments.recheck import curriculum_recheck_months, is_due_for_recheck
from pages import bump_learner

Status = Progress.Status


def apply_progress(
    progress, status, evidence_url="", note="", now=None, resubmit=False, recheck_months=None
):
    """Change `progress` in memory to the learner's new status, evidence and note.

    The dates follow the status: `learning_since` is set when the skill becomes "learning" (and
    kept while it stays so or moves on to "test passed"), `passed_at` when it becomes "test passed";
    going back to "not started" clears both, going back to "learning" clears `passed_at`.
    A lead's review is of one piece of evidence: it is cleared when the evidence link changes or
    the skill is no longer "test passed", so a lead never appears to vouch for something they
    did not see. A verdict is also cleared when the learner submits the test again (`resubmit`):
    "needs work" after reworking what the link points to, "verified" only when it is due for a
    re-check (assessments.recheck, with the curriculum's `recheck_months`); either goes back to
    waiting for review.
    """
    now = now or timezone.now()
    previous_status, previous_evidence = progress.status, progress.evidence_url
    if status == Status.NOT_STARTED:
        progress.learning_since = None
        progress.passed_at = None
    elif status == Status.LEARNING:
        if previous_status != Status.LEARNING or progress.learning_since is None:
            progress.learning_since = now
        progress.passed_at = None
    elif status == Status.TEST_PASSED and (
        previous_status != Status.TEST_PASSED or progress.passed_at is None
    ):
        progress.passed_at = now
    progress.status = status
    progress.evidence_url = evidence_url
    progress.note = note
    sent_back = resubmit and (
        progress.review == Progress.Review.NEEDS_WORK
        or is_due_for_recheck(progress, recheck_months, now)
    )
    if evidence_url != previous_evidence or status != Status.TEST_PASSED or sent_back:
        clear_review(progress)
    return progress


def clear_review(progress):
    progress.review = Progress.Review.PENDING
    progress.review_comment = ""
    progress.reviewed_by = None
    progress.reviewed_at = None


def record_progress(user, skill, status, evidence_url="", note="", now=None, resubmit=False):
    """Save the learner's progress on a skill: one row per learner and skill, however often posted."""
    with transaction.atomic():
        progress, _ = Progress.objects.select_for_update().get_or_create(user=user, skill=skill)
        progress.skill = skill
        months = curriculum_recheck_months() if resubmit else None
        apply_progress(progress, status, evidence_url, note, now, resubmit, months)
        progress.save()
        bump_learner(user.pk)
    return progress


def start_learning(user, skill, now=None):
    """Move the learner's `skill` from "not started" to "learning" and return (progress, started).

    Any other status stays as it is, so a click on a page loaded before the learner recorded
    more never undoes it. One row per learner and skill however often it is clicked (the row
    is locked while it changes); two or three queries.
    """
    with transaction.atomic():
        progress, _ = Progress.objects.select_for_update().get_or_create(user=user, skill=skill)
        if progress.status != Status.NOT_STARTED:
            return progress, False
        apply_progress(progress, Status.LEARNING, progress.evidence_url, progress.note, now)
        progress.save()
        bump_learner(user.pk)
    return progress, True


def note_for(user, skill):
    """The learner's own private notes on `skill`, or an unsaved empty one; one query."""
    return SkillNote.objects.filter(user=user, skill=skill).first() or SkillNote(
        user=user, skill=skill, text=""
    )


def record_note(user, skill, text):
    """Save the learner's private notes on `skill`; empty text deletes them. One or two queries."""
    bump_learner(user.pk)
    if not text:
        SkillNote.objects.filter(user=user, skill=skill).delete()
        return SkillNote(user=user, skill=skill, text="")
    note, _ = SkillNote.objects.update_or_create(user=user, skill=skill, defaults={"text": text})
    return note
