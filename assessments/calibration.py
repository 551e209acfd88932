"""How a learner's self-ratings held up against their leads' verdicts, audit by audit.

A lead's verdict on a passed test's evidence (`assessments.status`: verified, needs work) is the
one outside check a self-rating gets. Each saved full audit is compared, skill by skill, with
the verdicts: a skill whose test came back "needs work" that the audit rated OVER_RATED_FROM
(4, "can do it alone") or higher was over-rated; a verified skill rated UNDER_RATED_UP_TO (2,
"know what it is") or lower was under-rated; every other rated skill with a verdict held up.
A learner's Progress row keeps one verdict per skill (the latest), so every audit is read
against the verdicts as they stand: the audits before a verdict show how far off the learner
was, the ones after whether they took it in. The mean self-rating of verified and of needs-work
skills is the lead's calibration (`cohorts.review`), for one learner, rounded as levels are.

Nothing to show until some saved full audit rated a skill that has a verdict. Two queries.
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format

from assessments.gaps import round_level
from assessments.models import Audit, Progress, Rating
from assessments.status import SkillStatus

OVER_RATED_FROM = 4
UNDER_RATED_UP_TO = 2


def verdict_fit(value, verdict):
    """ "over", "under" or "held" for a self-rating `value` of a skill whose test has the
    SkillStatus `verdict` (VERIFIED or NEEDS_WORK). Pure."""
    if verdict == SkillStatus.NEEDS_WORK and value >= OVER_RATED_FROM:
        return "over"
    if verdict == SkillStatus.VERIFIED and value <= UNDER_RATED_UP_TO:
        return "under"
    return "held"


@dataclass(frozen=True)
class Checked:
    """One rated skill of an audit with the lead's verdict on its test."""

    skill: object
    trunk: object
    value: int
    verdict: SkillStatus

    @property
    def fit(self):
        return verdict_fit(self.value, self.verdict)


@dataclass(frozen=True)
class TrunkCalibration:
    """An audit's checked skills in one trunk: how many were over- and under-rated."""

    trunk: object
    checked: int
    over: int
    under: int


def _mean(values):
    return round_level(Decimal(sum(values)) / len(values)) if values else None


@dataclass(frozen=True)
class AuditCalibration:
    """One saved full audit against the verdicts: its checked skills, in tree order."""

    audit: object
    checked: tuple

    def _count(self, fit):
        return sum(1 for c in self.checked if c.fit == fit)

    @property
    def over(self):
        return self._count("over")

    @property
    def under(self):
        return self._count("under")

    @property
    def held(self):
        return self._count("held")

    @property
    def over_rated(self):
        return [c for c in self.checked if c.fit == "over"]

    @property
    def under_rated(self):
        return [c for c in self.checked if c.fit == "under"]

    @property
    def mean_verified(self):
        return _mean([c.value for c in self.checked if c.verdict == SkillStatus.VERIFIED])

    @property
    def mean_needs_work(self):
        return _mean([c.value for c in self.checked if c.verdict == SkillStatus.NEEDS_WORK])

    def by_trunk(self, trunks):
        """A TrunkCalibration for each of `trunks` (None where the audit checked none)."""
        rows = []
        for trunk in trunks:
            mine = [c for c in self.checked if c.trunk.pk == trunk.pk]
            rows.append(
                TrunkCalibration(
                    trunk,
                    len(mine),
                    sum(1 for c in mine if c.fit == "over"),
                    sum(1 for c in mine if c.fit == "under"),
                )
                if mine
                else None
            )
        return rows


@dataclass(frozen=True)
class Calibration:
    """A learner's audits against their leads' verdicts, oldest first, and the trunks with
    any checked skill. Empty (falsy) when there is nothing to compare."""

    audits: tuple
    trunks: tuple

    def __bool__(self):
        return bool(self.audits)

    @property
    def latest(self):
        return self.audits[-1] if self.audits else None

    @property
    def most_checked(self):
        return max((len(a.checked) for a in self.audits), default=0)

    @property
    def trunk_rows(self):
        """Per audit, oldest first: (audit, [TrunkCalibration or None per trunk])."""
        return [(a, a.by_trunk(self.trunks)) for a in self.audits]


NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def _count(n, noun):
    word = NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)
    return f"{word} {noun}{'' if n == 1 else 's'}"


def _values(checked):
    values = sorted({c.value for c in checked})
    if len(values) == 1:
        return str(values[0])
    return f"{values[0]} to {values[-1]}"


def summary(calibration):
    """The one plain sentence about the latest audit with checked skills ("" when none)."""
    latest = calibration.latest
    if latest is None:
        return ""
    day = date_format(timezone.localtime(latest.audit.saved_at))
    over, under = latest.over_rated, latest.under_rated
    parts = []
    if over:
        parts.append(
            f"you rated yourself {_values(over)} on {_count(len(over), 'skill')} whose "
            f"{'test' if len(over) == 1 else 'tests'} came back needing work"
        )
    if under:
        parts.append(
            f"{'you rated yourself ' if not over else ''}{_values(under)} on "
            f"{_count(len(under), 'skill')} a lead verified"
        )
    if not parts:
        checked = len(latest.checked)
        skills = "the one skill" if checked == 1 else f"all {_count(checked, 'skill')}"
        return (
            f"In your audit of {day}, your ratings held up against the verdicts on {skills} "
            f"a lead checked."
        )
    return f"In your audit of {day}, {' and '.join(parts)}."


def calibrate(audits, checked_rows):
    """The Calibration of `audits` (saved full audits) from `checked_rows`: (audit pk, skill,
    value, verdict) for each rating of a skill with a verdict. Pure: no queries."""
    by_audit = defaultdict(list)
    for audit_id, skill, value, verdict in checked_rows:
        by_audit[audit_id].append(Checked(skill, skill.trunk, value, verdict))
    rows = []
    for audit in sorted(audits, key=lambda a: (a.saved_at, a.pk)):
        checked = by_audit.get(audit.pk)
        if checked:
            checked.sort(key=lambda c: (c.trunk.number, c.skill.order, c.skill.pk))
            rows.append(AuditCalibration(audit, tuple(checked)))
    trunks = {c.trunk.pk: c.trunk for row in rows for c in row.checked}
    return Calibration(tuple(rows), tuple(sorted(trunks.values(), key=lambda t: t.number)))


def calibration_for(user):
    """The learner's Calibration, in two queries whatever the number of audits: the skills
    with a verdict, and every saved full audit's ratings of those skills."""
    verdicts = {
        p.skill_id: p.shown_status
        for p in Progress.objects.filter(user=user).reviewed()
        if p.shown_status in (SkillStatus.VERIFIED, SkillStatus.NEEDS_WORK)
    }
    if not verdicts:
        return Calibration((), ())
    ratings = list(
        Rating.objects.filter(
            audit__user=user,
            audit__kind=Audit.Kind.FULL,
            audit__saved_at__isnull=False,
            skill_id__in=list(verdicts),
        ).select_related("audit", "skill__trunk")
    )
    audits = {r.audit_id: r.audit for r in ratings}
    return calibrate(
        audits.values(), [(r.audit_id, r.skill, r.value, verdicts[r.skill_id]) for r in ratings]
    )
