"""What a cohort lead sees of their learners, read in a fixed number of queries.

A learner's standing is the latest saved *full* audit: its ratings fill the heatmap and the CSV.
"Last audit" is the latest saved audit of either kind, since a quick audit also counts as checking in.
"""

import csv
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby
from operator import itemgetter

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html

from accounts.models import Membership
from assessments.gaps import mean_level, round_level
from assessments.models import Audit, Progress, Rating
from assessments.warnings import AUDIT_AGE, LOOP_AGE, LOOP_SKILLS
from curriculum.models import Skill, Trunk

COLUMNS = {"trunks": "Trunks", "skills": "Skills"}
SORTS = {"name": "Name", "track": "Target track", "last_audit": "Last audit, oldest first"}


def latest_full_audit_id(user_ref):
    """A subquery: the pk of the user's latest saved full audit."""
    return Subquery(
        Audit.objects.saved()
        .filter(user=user_ref, kind=Audit.Kind.FULL)
        .order_by("-saved_at", "-pk")
        .values("pk")[:1]
    )


def members_of(cohort):
    """The cohort's learners, each with the audit facts the lead's pages need."""
    last_audit_at = Subquery(
        Audit.objects.saved()
        .filter(user=OuterRef("pk"))
        .order_by("-saved_at")
        .values("saved_at")[:1]
    )
    return (
        get_user_model()
        .objects.filter(memberships__cohort=cohort)
        .select_related("target_track")
        .annotate(
            latest_full_audit_id=latest_full_audit_id(OuterRef("pk")),
            last_audit_at=last_audit_at,
        )
    )


def latest_ratings(cohort):
    """Ratings from each member's latest saved full audit."""
    return Rating.objects.filter(
        audit__user__memberships__cohort=cohort,
        audit_id=latest_full_audit_id(OuterRef("audit__user_id")),
    )


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

    @cached_property
    def html(self):
        """The <td>, built here because a cohort page holds thousands of them: the number
        printed (and how many skills it covers), or "unrated" in words and a hatched pattern."""
        if self.mean is None:
            return _UNRATED_CELL
        if self.rated < self.total:
            return format_html(
                '<td class="heat heat--{}">{}<span class="heat__rated">{}/{}</span></td>',
                self.level,
                self.mean,
                self.rated,
                self.total,
            )
        return format_html('<td class="heat heat--{}">{}</td>', self.level, self.mean)


_UNRATED_CELL = format_html(
    '<td class="heat heat--none"><span aria-hidden="true">{}</span>'
    '<span class="visually-hidden">{}</span></td>',
    "–",
    "unrated",
)


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


def _progress_by_learner(cohort, now):
    learning = Q(status=Progress.Status.LEARNING)
    passed = Q(status=Progress.Status.TEST_PASSED)
    waiting = passed & Q(review=Progress.Review.PENDING) & ~Q(evidence_url="")
    rows = (
        Progress.objects.filter(user__memberships__cohort=cohort)
        .values("user_id")
        .annotate(
            learning=Count("pk", filter=learning),
            learning_for_weeks=Count("pk", filter=learning & Q(learning_since__lte=now - LOOP_AGE)),
            passed=Count("pk", filter=passed),
            waiting=Count("pk", filter=waiting),
            learning_since=Min("learning_since", filter=learning),
            last_passed_at=Max("passed_at", filter=passed),
        )
        .order_by()
    )
    return {row["user_id"]: row for row in rows}


def _is_stuck(progress, now):
    """The seed's tutorial loop, by the rule of the learner's own warning (warnings.tutorial_loop):
    several skills "learning" for weeks and no test passed in those weeks."""
    last_passed = progress["last_passed_at"]
    return progress["learning_for_weeks"] >= LOOP_SKILLS and (
        last_passed is None or last_passed < now - LOOP_AGE
    )


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


def cohort_grid(cohort, *, columns="trunks", sort="name", stale_only=False, now=None):
    """The lead's heatmap: learners × trunks (or skills), with the counts shown above it.

    Four queries whatever the cohort's size: members, columns, ratings, progress.
    """
    now = now or timezone.now()
    members = list(members_of(cohort))
    progress = _progress_by_learner(cohort, now)
    ratings = latest_ratings(cohort)
    if columns == "skills":
        column_list = list(Skill.objects.select_related("trunk"))
        groups = [
            ColumnGroup(trunk, len(list(skills)))
            for trunk, skills in groupby(column_list, key=lambda skill: skill.trunk)
        ]
        values = {
            (user_id, skill_id): (Decimal(value), 1)
            for user_id, skill_id, value in ratings.values_list(
                "audit__user_id", "skill_id", "value"
            )
        }
        totals = dict.fromkeys((skill.pk for skill in column_list), 1)
    else:
        column_list = list(Trunk.objects.annotate(skill_count=Count("skills")).order_by("number"))
        groups = []
        values = {
            (row["audit__user_id"], row["skill__trunk_id"]): (
                round_level(row["mean"]),
                row["rated"],
            )
            for row in ratings.values("audit__user_id", "skill__trunk_id")
            .annotate(mean=Avg("value"), rated=Count("pk"))
            .order_by()
        }
        totals = {trunk.pk: trunk.skill_count for trunk in column_list}

    empty = {
        "learning": 0,
        "learning_for_weeks": 0,
        "passed": 0,
        "waiting": 0,
        "learning_since": None,
        "last_passed_at": None,
    }
    rows = []
    for learner in members:
        cells = []
        for column in column_list:
            mean, rated = values.get((learner.pk, column.pk), (None, 0))
            cells.append(Cell(mean, rated, totals[column.pk]))
        learner_progress = progress.get(learner.pk, empty)
        rows.append(
            LearnerRow(
                learner=learner,
                cells=cells,
                last_audit_at=learner.last_audit_at,
                stale=is_stale(learner.last_audit_at, now),
                learning=learner_progress["learning"],
                passed=learner_progress["passed"],
                waiting=learner_progress["waiting"],
                stuck=_is_stuck(learner_progress, now),
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
    return CohortGrid(columns=column_list, groups=groups, rows=rows, counts=counts)


# Evidence review


def learners_led_by(lead):
    """A subquery of the pks of every learner in a cohort this lead leads."""
    return Membership.objects.filter(cohort__leads=lead).values("user_id")


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
        Progress.objects.filter(
            status=Progress.Status.TEST_PASSED, user_id__in=learners_led_by(lead)
        )
        .exclude(evidence_url="")
        .select_related("user", "skill", "skill__trunk", "reviewed_by")
        .annotate(self_rating=self_rating)
    )


def review_queue(lead, *, limit=200):
    """Claims waiting for review (oldest first), then the latest reviewed ones."""
    claims = evidence_claims(lead)
    waiting = list(
        claims.filter(review=Progress.Review.PENDING).order_by("passed_at", "updated_at", "pk")[
            :limit
        ]
    )
    reviewed = list(
        claims.exclude(review=Progress.Review.PENDING).order_by("-reviewed_at", "-pk")[:limit]
    )
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


# CSV export

CSV_HEADER = [
    "cohort",
    "learner",
    "username",
    "target track",
    "trunk",
    "skill",
    "latest rating",
    "status",
    "evidence link",
    "review outcome",
    "last audit date",
]
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(text):
    """Keep text a learner typed from running as a spreadsheet formula."""
    text = str(text)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class _Echo:
    def write(self, value):
        return value


def _grouped(rows):
    """(user_id, rows) groups from a stream ordered by user, advanced one learner at a time."""
    return ((user_id, list(group)) for user_id, group in groupby(rows, key=itemgetter(0)))


def export_rows(cohort, *, chunk_size=1000):
    """Header, then one row per learner per skill, reading each learner's data only once.

    Learners, ratings and progress come from three streams ordered the same way (by username)
    and are merged one learner at a time, so memory holds a single learner, and the query
    count stays at four whatever the cohort's size.
    """
    skills = list(Skill.objects.select_related("trunk"))
    statuses = dict(Progress.Status.choices)
    reviews = dict(Progress.Review.choices)
    learners = members_of(cohort).order_by("username").iterator(chunk_size=chunk_size)
    ratings = _grouped(
        latest_ratings(cohort)
        .order_by("audit__user__username", "skill_id")
        .values_list("audit__user_id", "skill_id", "value")
        .iterator(chunk_size=chunk_size)
    )
    progress = _grouped(
        Progress.objects.filter(user__memberships__cohort=cohort)
        .order_by("user__username", "skill_id")
        .values_list("user_id", "skill_id", "status", "evidence_url", "review")
        .iterator(chunk_size=chunk_size)
    )
    next_ratings, next_progress = next(ratings, None), next(progress, None)
    yield CSV_HEADER
    for learner in learners:
        learner_ratings, learner_progress = {}, {}
        if next_ratings and next_ratings[0] == learner.pk:
            learner_ratings = {skill_id: value for _, skill_id, value in next_ratings[1]}
            next_ratings = next(ratings, None)
        if next_progress and next_progress[0] == learner.pk:
            learner_progress = {row[1]: row[2:] for row in next_progress[1]}
            next_progress = next(progress, None)
        track = learner.target_track.name if learner.target_track else ""
        last_audit = learner.last_audit_at.date().isoformat() if learner.last_audit_at else ""
        for skill in skills:
            status, evidence, review = learner_progress.get(
                skill.pk, (Progress.Status.NOT_STARTED, "", "")
            )
            passed = status == Progress.Status.TEST_PASSED
            yield [
                _cell(cohort.name),
                _cell(learner.shown_name),
                _cell(learner.username),
                track,
                skill.trunk.name,
                skill.name,
                learner_ratings.get(skill.pk, ""),
                statuses[status],
                _cell(evidence),
                reviews[review] if passed and evidence else "",
                last_audit,
            ]


def export_csv_lines(cohort):
    writer = csv.writer(_Echo())
    return (writer.writerow(row) for row in export_rows(cohort))


# One learner, as their lead sees them

HISTORY_LENGTH = 12


def learner_report(learner):
    """The learner's latest full audit by trunk, how trunk means moved over their last audits,
    and their progress with evidence and reviews, in a fixed number of queries. The gap, then
    and now, ladder and path come from the dashboard's `standing_for`."""
    audits = list(
        Audit.objects.saved()
        .filter(user=learner, kind=Audit.Kind.FULL)
        .order_by("-saved_at", "-pk")[:HISTORY_LENGTH]
    )
    last_audit = Audit.objects.saved().filter(user=learner).order_by("-saved_at").first()
    skills = list(Skill.objects.select_related("trunk"))
    trunks = []
    for trunk, trunk_skills in groupby(skills, key=lambda skill: skill.trunk):
        trunk.skill_list = list(trunk_skills)
        trunks.append(trunk)
    latest = audits[0] if audits else None
    latest_values = (
        dict(Rating.objects.filter(audit=latest).values_list("skill_id", "value")) if latest else {}
    )
    means = {
        (row["audit_id"], row["skill__trunk_id"]): (row["mean"], row["rated"])
        for row in Rating.objects.filter(audit__in=[audit.pk for audit in audits])
        .values("audit_id", "skill__trunk_id")
        .annotate(mean=Avg("value"), rated=Count("pk"))
        .order_by()
    }
    for trunk in trunks:
        for skill in trunk.skill_list:
            skill.latest_rating = latest_values.get(skill.pk)
        trunk.history = []
        for audit in reversed(audits):
            mean, rated = means.get((audit.pk, trunk.pk), (None, 0))
            trunk.history.append(Cell(round_level(mean), rated, len(trunk.skill_list)))
    progress = list(
        Progress.objects.filter(user=learner)
        .exclude(status=Progress.Status.NOT_STARTED)
        .select_related("skill", "skill__trunk", "reviewed_by")
        .order_by("skill__trunk__number", "skill__order", "skill__pk")
    )
    for item in progress:
        item.self_rating = latest_values.get(item.skill_id)
    return {
        "latest_audit": latest,
        "last_audit": last_audit,
        "audits_oldest_first": list(reversed(audits)),
        "trunks": trunks,
        "progress": progress,
    }
