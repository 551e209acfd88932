"""The lead's heatmap: a cohort's learners against the trunks (or skills), in four queries.

Each cell is the mean of the learner's ratings in their latest saved full audit; a learner is
"stale" with no saved audit of either kind in six weeks, and "stuck" by the rule of their own
tutorial-loop warning (`assessments.warnings.is_stuck`).

Learners come a page at a time (`PER_PAGE`: 200 in the trunks view, 50 in the 37-column skills
view), after sorting and filtering, so each response stays small and quick however large the
cohort; the counts above the heatmap always cover the whole cohort.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q
from django.utils import timezone
from django.utils.safestring import SafeString

from assessments.gaps import round_level
from assessments.models import AWAITING_REVIEW, Progress, Rating
from assessments.warnings import AUDIT_AGE, is_stuck, loop_counts
from cohorts.members import members_of
from curriculum.models import Skill, Trunk

COLUMNS = {"trunks": "Trunks", "skills": "Skills"}
SORTS = {"name": "Name", "track": "Target track", "last_audit": "Last audit, oldest first"}
PER_PAGE = {"trunks": 200, "skills": 50}


def is_stale(last_audit_at, now):
    return last_audit_at is None or now - last_audit_at > AUDIT_AGE


@dataclass
class Cell:
    """One heatmap cell: the mean rating of the skills rated in a column, or unrated."""

    mean: Decimal | None = None
    rated: int = 0
    total: int = 1

    @property
    def level(self):
        """The mean rounded to a whole step 1–5, for the cell's shade."""
        if self.mean is None:
            return None
        return int(self.mean.quantize(Decimal("1"), rounding=ROUND_HALF_UP))

    @property
    def html(self):
        """The cell's markup, built here rather than in a template: a 500-learner heatmap has
        thousands of cells, and they hold only numbers (nothing to escape). `lv1`–`lv5` shade
        the level, `lv0` is unrated (the word is there for screen readers, a dash for eyes)."""
        if self.mean is None:
            return SafeString('<td class="lv0"><i>unrated</i></td>')
        if self.rated < self.total:
            return SafeString(
                f'<td class="lv{self.level}">{self.mean}<small>{self.rated}/{self.total}</small></td>'
            )
        return SafeString(f'<td class="lv{self.level}">{self.mean}</td>')


@dataclass
class LearnerRow:
    learner: object
    cells: list
    last_audit_at: object
    stale: bool
    learning: int = 0
    passed: int = 0
    waiting: int = 0
    stuck: bool = False

    @property
    def cells_html(self):
        return SafeString("".join(cell.html for cell in self.cells))


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


def _progress_by_learner(cohort, now):
    learning = Q(status=Progress.Status.LEARNING)
    passed = Q(status=Progress.Status.TEST_PASSED)
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
            track = row.learner.target_track
            return (
                track is None,
                track.order if track else 0,
                track.name if track else "",
                by_name(row),
            )

        return by_track
    if sort == "last_audit":

        def by_last_audit(row):
            at = row.last_audit_at
            return (at is not None, at.timestamp() if at else 0, by_name(row))

        return by_last_audit
    return by_name


def cohort_grid(
    cohort, *, columns="trunks", sort="name", stale_only=False, page_number=1, now=None
):
    """The lead's heatmap: learners × trunks (or skills), with the counts shown above it.

    One page of `PER_PAGE[columns]` learners after sorting and filtering (`page` is a Django
    paginator page). Four queries whatever the cohort's size: members, progress, columns, and
    the ratings of the learners shown.
    """
    now = now or timezone.now()
    members = list(members_of(cohort))
    progress = _progress_by_learner(cohort, now)
    empty = {"learning": 0, "passed": 0, "waiting": 0, "learning_for_weeks": 0, "passed_lately": 0}
    rows = []
    for learner in members:
        learner_progress = progress.get(learner.pk, empty)
        rows.append(
            LearnerRow(
                learner=learner,
                cells=[],
                last_audit_at=learner.last_audit_at,
                stale=is_stale(learner.last_audit_at, now),
                learning=learner_progress["learning"],
                passed=learner_progress["passed"],
                waiting=learner_progress["waiting"],
                stuck=is_stuck(
                    learner_progress["learning_for_weeks"], learner_progress["passed_lately"]
                ),
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
        column_list = list(Skill.objects.select_related("trunk"))
        groups = [
            ColumnGroup(trunk, len(list(skills)))
            for trunk, skills in groupby(column_list, key=lambda skill: skill.trunk)
        ]
        values = {
            (audits[audit_id], skill_id): (Decimal(value), 1)
            for audit_id, skill_id, value in ratings.values_list("audit_id", "skill_id", "value")
        }
        totals = dict.fromkeys((skill.pk for skill in column_list), 1)
    else:
        column_list = list(Trunk.objects.annotate(skill_count=Count("skills")).order_by("number"))
        groups = []
        values = {
            (audits[row["audit_id"]], row["skill__trunk_id"]): (
                round_level(row["mean"]),
                row["rated"],
            )
            for row in ratings.values("audit_id", "skill__trunk_id")
            .annotate(mean=Avg("value"), rated=Count("pk"))
            .order_by()
        }
        totals = {trunk.pk: trunk.skill_count for trunk in column_list}
    for row in rows:
        row.cells = [
            Cell(*values.get((row.learner.pk, column.pk), (None, 0)), totals[column.pk])
            for column in column_list
        ]
    return CohortGrid(columns=column_list, groups=groups, rows=rows, counts=counts, page=page)
