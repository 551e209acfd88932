"""The lead's CSV: one row per learner per skill, streamed in four queries."""

import csv
from itertools import groupby
from operator import itemgetter

from assessments.models import Progress
from cohorts.members import latest_ratings, members_of
from curriculum.models import Skill

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


def _cell(value):
    """Keep text from running as a spreadsheet formula: learners type names and links, and
    curators name tracks, trunks and skills. Every cell of every row passes here."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


class _Echo:
    def write(self, value):
        return value


def _grouped(rows):
    """(user_id, rows) groups from a stream ordered by user, advanced one learner at a time."""
    return ((user_id, list(group)) for user_id, group in groupby(rows, key=itemgetter(0)))


def export_rows(cohort, *, chunk_size=1000):
    """The header, then each learner's rows (one per skill) as one list: reading each learner's
    data only once.

    Learners, ratings and progress come from three streams (`.iterator(chunk_size)`: server-side
    cursors on PostgreSQL) ordered the same way (by username) and are merged one learner at a
    time, so memory holds a chunk of rows and one learner, and the query count stays at four
    whatever the cohort's size. With DISABLE_SERVER_SIDE_CURSORS (PgBouncer in transaction mode)
    the same queries run on ordinary cursors: the export is the same.
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
    yield [CSV_HEADER]
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
        rows = []
        for skill in skills:
            status, evidence, review = learner_progress.get(
                skill.pk, (Progress.Status.NOT_STARTED, "", "")
            )
            passed = status == Progress.Status.TEST_PASSED
            rows.append(
                [
                    cohort.name,
                    learner.shown_name,
                    learner.username,
                    track,
                    skill.trunk.name,
                    skill.name,
                    learner_ratings.get(skill.pk, ""),
                    statuses[status],
                    evidence,
                    reviews[review] if passed and evidence else "",
                    last_audit,
                ]
            )
        yield rows


def export_csv_chunks(cohort, *, chunk_size=1000):
    """The CSV as text, one chunk per learner (after the header), every cell guarded by
    `_cell`: what the streaming response sends."""
    writer = csv.writer(_Echo())
    for rows in export_rows(cohort, chunk_size=chunk_size):
        yield "".join(writer.writerow([_cell(value) for value in row]) for row in rows)
