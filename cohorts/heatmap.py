"""The lead's heatmap: a cohort's learners against the trunks (or skills), in three queries
(four when the curriculum's cache has no columns yet).

Each cell is the mean of the learner's ratings in their latest saved full audit; a learner is
"stale" with no saved audit of either kind in six weeks, "stuck" by the rule of their own
tutorial-loop warning (`assessments.warnings.is_stuck`), and "hype substitution" by the rule of
that warning (`assessments.warnings.hype_substituting`, three more queries).

Learners come a page at a time (`PER_PAGE`: 200 in the trunks view, 50 in the 37-column skills
view), after sorting and filtering, so each response stays small and quick however large the
cohort; the counts above the heatmap always cover the whole cohort.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.utils import timezone

import pages
from accounts.models import shown_name
from assessments.gaps import round_level, tracks_for_fit
from assessments.models import AWAITING_REVIEW, Progress, Rating
from assessments.status import PASSED
from assessments.warnings import AUDIT_AGE, hype_substituting, is_stuck, loop_counts
from cohorts.members import members_of
from curriculum.models import Skill, Trunk

COLUMNS = {"trunks": "Trunks", "skills": "Skills"}
SORTS = {"name": "Name", "track": "Target track", "last_audit": "Last audit, oldest first"}
PER_PAGE = {"trunks": 200, "skills": 50}


def is_stale(last_audit_at, now):
    return last_audit_at is None or now - last_audit_at > AUDIT_AGE


@dataclass(frozen=True)
class Cell:
    """One heatmap cell: the mean rating of the skills rated in a column, or unrated
    (drawn by the `heat-cells` partial of templates/cohorts/detail.html)."""

    mean: Decimal | None = None
    rated: int = 0
    total: int = 1

    @classmethod
    def of_ratings(cls, ratings_sum, rated, skills):
        """The cell of `rated` ratings adding up to `ratings_sum`, in a column of `skills`
        skills: their mean to one decimal place, as `assessments.gaps.mean_level` rounds it."""
        return cls(round_level(Decimal(ratings_sum) / rated), rated, skills)

    @property
    def level(self):
        """The mean rounded to a whole step 1–5, for the cell's shade."""
        if self.mean is None:
            return None
        return int(self.mean.quantize(Decimal("1"), rounding=ROUND_HALF_UP))

    @property
    def shade(self):
        """The cell's class: `lv1`–`lv5` by level, `lv0` unrated."""
        return f"lv{self.level or 0}"

    @property
    def figure(self):
        """The mean as written in the cell, "3.5" (plain text: a heatmap has thousands of
        cells, and number localization was most of the time they took to draw)."""
        return str(self.mean)

    @property
    def partly_rated(self):
        """Only some of the column's skills are rated: the cell says how many (`share`)."""
        return self.mean is not None and self.rated < self.total

    @property
    def share(self):
        """How many of the column's skills are rated, "4/6"."""
        return f"{self.rated}/{self.total}"


@dataclass
class Learner:
    """A member as the heatmap reads them: a plain row, not a User (500 of those cost more to
    build than the rest of the page)."""

    pk: int
    username: str
    shown_name: str
    track_name: str | None
    track_order: int
    latest_full_audit_id: int | None
    track_id: int | None = None


@dataclass
class LearnerRow:
    learner: Learner
    cells: list
    last_audit_at: object
    stale: bool
    learning: int = 0
    passed: int = 0
    waiting: int = 0
    stuck: bool = False
    hype: bool = False


@dataclass
class ColumnGroup:
    trunk: Trunk
    span: int


@dataclass
class CohortGrid:
    columns: list
    groups: list
    rows: list
    counts: dict = field(default_factory=dict)
    page: object = None
    learner_url: str = ""


def _progress_by_learner(cohort, now):
    learning = Q(status=Progress.Status.LEARNING)
    passed = PASSED
    rows = (
        Progress.objects.filter(user__memberships__cohort=cohort)
        .values("user_id")
        .annotate(
            learning=Count("pk", filter=learning),
            passed=Count("pk", filter=passed),
            waiting=Count("pk", filter=AWAITING_REVIEW),
            **loop_counts(now),
        )
        .order_by()
    )
    return {row["user_id"]: row for row in rows}


def _sort_key(sort):
    def by_name(row):
        return (row.learner.shown_name.lower(), row.learner.pk)

    if sort == "track":

        def by_track(row):
            learner = row.learner
            return (
                learner.track_name is None,
                learner.track_order,
                learner.track_name or "",
                by_name(row),
            )

        return by_track
    if sort == "last_audit":

        def by_last_audit(row):
            at = row.last_audit_at
            return (at is not None, at.timestamp() if at else 0, by_name(row))

        return by_last_audit
    return by_name


def _trunk_columns():
    return list(Trunk.objects.annotate(skill_count=Count("skills")).order_by("number"))


def current_skills():
    """The current skills with their trunks, as hype substitution reads them (kept with the
    curriculum under its own name: the dashboard's "skills" carry their buckets too)."""
    return list(Skill.objects.current().select_related("trunk"))


def _skill_columns():
    return list(Skill.objects.select_related("trunk"))


def _learners(cohort):
    fields = (
        "pk",
        "username",
        "display_name",
        "target_track__name",
        "target_track__order",
        "latest_full_audit_id",
        "last_audit_at",
        "target_track_id",
    )
    for pk, username, display_name, track, order, audit_id, last_audit_at, track_id in members_of(
        cohort
    ).values_list(*fields):
        learner = Learner(
            pk, username, shown_name(display_name, username), track, order or 0, audit_id, track_id
        )
        yield learner, last_audit_at


def cohort_grid(
    cohort, *, columns="trunks", sort="name", stale_only=False, page_number=1, now=None
):
    """The lead's heatmap: learners × trunks (or skills), with the counts shown above it.

    One page of `PER_PAGE[columns]` learners after sorting and filtering (`page` is a Django
    paginator page). Three queries whatever the cohort's size: members, progress, and the
    ratings of the learners shown (the columns come from the curriculum's cache, or a fourth).
    """
    now = now or timezone.now()
    progress = _progress_by_learner(cohort, now)
    empty = {"learning": 0, "passed": 0, "waiting": 0, "learning_for_weeks": 0, "passed_lately": 0}
    members = list(_learners(cohort))
    hype = hype_substituting(
        [(learner.pk, learner.track_id, learner.latest_full_audit_id) for learner, _at in members],
        pages.kept("current-skills-with-trunks", current_skills),
        pages.kept("tracks-for-fit", lambda: list(tracks_for_fit())),
        now,
    )
    rows = []
    for learner, last_audit_at in members:
        learner_progress = progress.get(learner.pk, empty)
        rows.append(
            LearnerRow(
                learner=learner,
                cells=[],
                last_audit_at=last_audit_at,
                stale=is_stale(last_audit_at, now),
                learning=learner_progress["learning"],
                passed=learner_progress["passed"],
                waiting=learner_progress["waiting"],
                stuck=is_stuck(
                    learner_progress["learning_for_weeks"], learner_progress["passed_lately"]
                ),
                hype=learner.pk in hype,
            )
        )
    counts = {
        "members": len(rows),
        "audited_recently": sum(not row.stale for row in rows),
        "tests_passed": sum(row.passed for row in rows),
        "evidence_waiting": sum(row.waiting for row in rows),
    }
    if stale_only:
        rows = [row for row in rows if row.stale]
    rows.sort(key=_sort_key(sort))
    page = Paginator(rows, PER_PAGE[columns]).get_page(page_number)
    rows = list(page.object_list)

    audits = {
        row.learner.latest_full_audit_id: row.learner.pk
        for row in rows
        if row.learner.latest_full_audit_id
    }
    ratings = Rating.objects.filter(audit_id__in=list(audits))
    if columns == "skills":
        column_list = pages.kept("heatmap-skill-columns", _skill_columns)
        groups = [
            ColumnGroup(trunk, len(list(skills)))
            for trunk, skills in groupby(column_list, key=lambda skill: skill.trunk)
        ]
        cells = {
            (audits[audit_id], skill_id): Cell(Decimal(value), 1, 1)
            for audit_id, skill_id, value in ratings.values_list("audit_id", "skill_id", "value")
        }
        totals = dict.fromkeys((skill.pk for skill in column_list), 1)
    else:
        column_list = pages.kept("heatmap-trunk-columns", _trunk_columns)
        groups = []
        totals = {trunk.pk: trunk.skill_count for trunk in column_list}
        cells = {
            (audits[audit_id], trunk_id): Cell.of_ratings(total, rated, totals[trunk_id])
            for audit_id, trunk_id, total, rated in ratings.values("audit_id", "skill__trunk_id")
            .annotate(total=Sum("value"), rated=Count("pk"))
            .values_list("audit_id", "skill__trunk_id", "total", "rated")
            .order_by()
        }
    unrated = {column.pk: Cell(None, 0, totals[column.pk]) for column in column_list}
    for row in rows:
        pk = row.learner.pk
        row.cells = [cells.get((pk, column.pk)) or unrated[column.pk] for column in column_list]
    return CohortGrid(
        columns=column_list,
        groups=groups,
        rows=rows,
        counts=counts,
        page=page,
        learner_url=f"{cohort.get_absolute_url()}learners/",
    )
