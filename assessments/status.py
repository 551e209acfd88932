"""The one rule for the status a learner sees for a skill, on every page that shows it.

A learner's row says "not started", "learning" or "test passed"; a cohort lead's review of a
passed test's evidence says "verified" or "needs work". What a page shows is one of five:

- not started, learning: the learner's own word;
- test passed: passed, no verdict yet (waiting for a lead, or no lead to review it);
- verified: passed, and a lead checked the evidence against the skill's test;
- needs work: a lead looked at the evidence and said it does not meet the test yet.

Only "test passed" and "verified" count as a passed test (`PASSED`, `SkillStatus.is_passed`):
a "needs work" verdict takes the skill out of every "tests passed" count until the learner
submits it again. Pure: no queries. `Progress.shown_status` applies it to one row, the
`ProgressQuerySet.passed()` and `.needs_work()` filters to many (tests/test_status.py holds
each pair to the same answer).
"""

from django.db import models
from django.db.models import Q


class Status(models.TextChoices):
    """What the learner says of a skill."""

    NOT_STARTED = "not_started", "Not started"
    LEARNING = "learning", "Learning"
    TEST_PASSED = "test_passed", "Test passed"


class Review(models.TextChoices):
    """A lead's verdict on a passed test's evidence."""

    PENDING = "", "Waiting for review"
    VERIFIED = "verified", "Verified"
    NEEDS_WORK = "needs_work", "Needs work"


class SkillStatus(models.TextChoices):
    """The status a learner, a lead and a visitor of a public profile see for a skill."""

    NOT_STARTED = "not_started", "Not started"
    LEARNING = "learning", "Learning"
    TEST_PASSED = "test_passed", "Test passed"
    VERIFIED = "verified", "Verified"
    NEEDS_WORK = "needs_work", "Needs work"

    @property
    def is_passed(self):
        return self in (SkillStatus.TEST_PASSED, SkillStatus.VERIFIED)


def skill_status(status, review=Review.PENDING):
    """The SkillStatus of a row with the learner's `status` and the lead's `review`."""
    if status != Status.TEST_PASSED:
        return SkillStatus(status or Status.NOT_STARTED)
    if review == Review.VERIFIED:
        return SkillStatus.VERIFIED
    if review == Review.NEEDS_WORK:
        return SkillStatus.NEEDS_WORK
    return SkillStatus.TEST_PASSED


PASSED = Q(status=Status.TEST_PASSED) & ~Q(review=Review.NEEDS_WORK)
"""Rows that count as a passed test: passed, and no lead said it needs work."""

NEEDS_WORK = Q(status=Status.TEST_PASSED, review=Review.NEEDS_WORK)
"""Rows a lead sent back: passed by the learner, "needs work" by the lead."""
