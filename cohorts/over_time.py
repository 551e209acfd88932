"""The cohort over time, for its leads: the cohort's mean by trunk week by week since it
started, and how many members each of the seed's failure modes touches now.

Weeks run from the cohort's start (`starts_on`, else the day it was made) to today, the last
MAX_WEEKS of them at most. At the end of each week a member stands where their latest full
audit saved by then puts them, as on the heatmap: per trunk, the mean of that audit's ratings in
it. The cohort's mean in a trunk that week is the mean of its members' trunk means (each member
counts once, whatever they rated), rounded as levels are (`assessments.gaps.round_level`);
members with no full audit yet do not count. Today's members are read back through the weeks:
their audits from before they joined still say where they stood.

Failure modes now: the learners' own rules, counted over the whole cohort: the tutorial loop
(`is_stuck` of `loop_counts`), trunk sprawl (`is_sprawling` of the trunks "learning") and hype
substitution (`hype_substituting`).

Queries: members (1), their full audits' ratings summed per audit and trunk (1), progress
counts (1), hype substitution (3), and the trunks, skills, tracks and failure modes kept with
the curriculum: six whatever the cohort's size, its weeks or audits.
"""

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

import pages
from assessments.gaps import round_level, tracks_for_fit
from assessments.models import Audit, Progress, Rating
from assessments.warnings import (
    HYPE_SUBSTITUTION,
    TRUNK_SPRAWL,
    TUTORIAL_LOOP,
    hype_substituting,
    is_sprawling,
    is_stuck,
    loop_counts,
)
from cohorts.members import members_of
from curriculum.models import FailureMode, Skill, Trunk

MAX_WEEKS = 52
LINE_COLOURS = 6  # the stylesheet's --trunk-line-0…5, reused from the seventh trunk on


@dataclass(frozen=True)
class Week:
    """One week of the cohort: its number from 1, its last day, and the cohort's mean per
    trunk at its end (None where no member had rated the trunk by then), in trunk order."""

    number: int
    ends_on: object
    means: tuple


@dataclass(frozen=True)
class TrunkLine:
    """One trunk's weekly means as the chart draws them: (week index from 0, mean) for the
    weeks with a mean."""

    trunk: object
    position: int
    points: tuple

    @property
    def colour(self):
        return self.position % LINE_COLOURS


@dataclass(frozen=True)
class FailureCount:
    """How many members a failure mode touches now."""

    slug: str
    name: str
    members: int


@dataclass(frozen=True)
class CohortOverTime:
    trunks: tuple
    weeks: tuple
    failures: tuple
    members: int

    @property
    def lines(self):
        return [
            TrunkLine(
                trunk,
                position,
                tuple(
                    (index, week.means[position])
                    for index, week in enumerate(self.weeks)
                    if week.means[position] is not None
                ),
            )
            for position, trunk in enumerate(self.trunks)
        ]

    @property
    def last_index(self):
        """The last week's index, at least 1 (the chart's x scale)."""
        return max(len(self.weeks) - 1, 1)

    @property
    def first_week(self):
        return self.weeks[0] if self.weeks else None

    @property
    def last_week(self):
        return self.weeks[-1] if self.weeks else None

    @property
    def has_means(self):
        return any(mean is not None for week in self.weeks for mean in week.means)


def week_ends(started_on, today, max_weeks=MAX_WEEKS):
    """The last day of each week from `started_on` to the week holding `today` (the last
    `max_weeks`), as (week number from 1, last day). None started, or not yet: []. Pure."""
    if started_on is None or started_on > today:
        return []
    count = (today - started_on).days // 7 + 1
    first = max(1, count - max_weeks + 1)
    return [(n, started_on + timedelta(days=7 * n - 1)) for n in range(first, count + 1)]


def cohort_means(audits_by_member, trunks, ends):
    """Weeks of the cohort's mean per trunk. `audits_by_member` maps a member to their full
    audits as (saved_at, {trunk pk: (ratings' sum, ratings)}), oldest first; `ends` are
    (week number, end as an aware datetime, last day). Pure."""
    weeks = []
    for number, end, last_day in ends:
        sums = defaultdict(Decimal)
        counts = defaultdict(int)
        for audits in audits_by_member.values():
            at = bisect_right([saved_at for saved_at, _ in audits], end)
            if not at:
                continue
            for trunk_pk, (total, rated) in audits[at - 1][1].items():
                sums[trunk_pk] += Decimal(total) / rated
                counts[trunk_pk] += 1
        weeks.append(
            Week(
                number,
                last_day,
                tuple(
                    round_level(sums[t.pk] / counts[t.pk]) if counts[t.pk] else None for t in trunks
                ),
            )
        )
    return weeks


def _audits_by_member(cohort, until):
    rows = (
        Rating.objects.filter(
            audit__user__memberships__cohort=cohort,
            audit__kind=Audit.Kind.FULL,
            audit__saved_at__lte=until,
        )
        .values("audit__user_id", "audit_id", "audit__saved_at", "skill__trunk_id")
        .annotate(total=Sum("value"), rated=Count("pk"))
        .order_by()
    )
    audits = defaultdict(dict)
    for row in rows:
        key = (row["audit__saved_at"], row["audit_id"])
        audits[row["audit__user_id"]].setdefault(key, {})[row["skill__trunk_id"]] = (
            row["total"],
            row["rated"],
        )
    return {
        member: [(saved_at, trunks) for (saved_at, _pk), trunks in sorted(by_audit.items())]
        for member, by_audit in audits.items()
    }


def failure_counts(cohort, members, now):
    """A FailureCount per failure mode, in the seed's order: the members each touches now."""
    learning = Q(status=Progress.Status.LEARNING)
    rows = (
        Progress.objects.filter(user__memberships__cohort=cohort)
        .values("user_id")
        .annotate(
            trunks_learning=Count("skill__trunk", filter=learning, distinct=True),
            **loop_counts(now),
        )
        .order_by()
    )
    stuck = sprawling = 0
    for row in rows:
        stuck += is_stuck(row["learning_for_weeks"], row["passed_lately"])
        sprawling += is_sprawling(row["trunks_learning"])
    hype = hype_substituting(
        members,
        pages.kept(
            "skills", lambda: list(Skill.objects.current().select_related("trunk", "bucket"))
        ),
        pages.kept("tracks-for-fit", lambda: list(tracks_for_fit())),
        now,
    )
    counted = {TUTORIAL_LOOP: stuck, TRUNK_SPRAWL: sprawling, HYPE_SUBSTITUTION: len(hype)}
    modes = pages.kept("failure-modes", lambda: list(FailureMode.objects.all()))
    named = {mode.slug: mode.name for mode in modes}
    order = {mode.slug: mode.order for mode in modes}
    return [
        FailureCount(slug, named.get(slug, slug.replace("-", " ")), count)
        for slug, count in sorted(counted.items(), key=lambda item: order.get(item[0], 0))
    ]


def cohort_over_time(cohort, now=None):
    """The CohortOverTime of `cohort` at `now`, in six queries (see the module's docstring)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    started_on = cohort.starts_on or timezone.localdate(cohort.created_at)
    zone = timezone.get_current_timezone()
    ends = [
        (number, datetime.combine(last_day, time.max, tzinfo=zone), last_day)
        for number, last_day in week_ends(started_on, today)
    ]
    trunks = pages.kept("trunks", lambda: list(Trunk.objects.all()))
    members = list(members_of(cohort).values_list("pk", "target_track_id", "latest_full_audit_id"))
    weeks = cohort_means(_audits_by_member(cohort, now), trunks, ends) if ends else []
    return CohortOverTime(
        trunks=tuple(trunks),
        weeks=tuple(weeks),
        failures=tuple(failure_counts(cohort, members, now)),
        members=len(members),
    )
