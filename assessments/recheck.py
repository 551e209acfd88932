"""When a lead's verification of a test is due for a re-check.

A verified test from long ago is weaker proof. A curator says after how many months a
verification is due for a re-check: per skill (`Skill.recheck_months`), else for the whole
curriculum (`curriculum.models.RecheckPolicy`, one row, in the admin and the framework file), else never. A row verified at
`reviewed_at` is due once that many calendar months have passed (a verification of 31 January
with one month is due on the last day of February). It still counts as passed and still says
"verified" (`assessments.status`): pages add "due for a re-check", and the learner may submit
the evidence again for a lead to verify afresh (`assessments.progress.apply_progress`), which
puts it back to waiting for review. Pure, but for `curriculum_recheck_months` (one query, kept
with the curriculum's version).
"""

import calendar
from dataclasses import dataclass

import pages
from assessments.status import SkillStatus
from curriculum.models import RecheckPolicy


def add_months(moment, months):
    """`moment` `months` calendar months later, on the same day or the month's last."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def recheck_months(skill, default):
    """The months after which a verification of `skill` is due: its own, else `default`."""
    return skill.recheck_months or default


def due_on(progress, default):
    """When `progress`'s verification falls due for a re-check, or None (not verified, or no
    re-check set for its skill)."""
    if progress.shown_status != SkillStatus.VERIFIED or not progress.reviewed_at:
        return None
    months = recheck_months(progress.skill, default)
    if not months:
        return None
    return add_months(progress.reviewed_at, months)


def is_due_for_recheck(progress, default, now):
    """True when `progress` is a verified test whose verification is `months` old or older."""
    due = due_on(progress, default)
    return due is not None and now >= due


@dataclass(frozen=True)
class Recheck:
    """A verified test due for a re-check: the row, and the day it fell due."""

    progress: object
    due: object

    @property
    def skill(self):
        return self.progress.skill


def rechecks_due(progress, default, now):
    """The Rechecks among a learner's `progress` rows, oldest verification first."""
    found = [
        Recheck(p, due_on(p, default)) for p in progress if is_due_for_recheck(p, default, now)
    ]
    return sorted(found, key=lambda r: (r.due, r.skill.pk))


def curriculum_recheck_months():
    """The whole curriculum's re-check months (None: never), kept with the curriculum."""

    def read():
        policy = RecheckPolicy.objects.first()
        return (policy.months if policy else None) or 0

    return pages.kept("recheck-months", read) or None
