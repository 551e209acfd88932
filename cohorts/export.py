"""The lead's CSV: one row per learner per skill, streamed a chunk of learners at a time."""

import csv
from collections import defaultdict

from assessments.models import Progress, Rating
from assessments.status import skill_status
from cohorts.members import members_of
from curriculum.models import Skill

LEARNERS_PER_CHUNK = 500

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


def _learner_chunks(cohort, size):
    """The cohort's learners by username, `size` at a time: each chunk starts after the last
    username of the one before (keyset), so no query holds more than a chunk, with or without
    server-side cursors. One learner more is read to know whether another chunk follows."""
    learners = members_of(cohort).order_by("username")
    after = None
    while True:
        chunk = list((learners.filter(username__gt=after) if after else learners)[: size + 1])
        if chunk[:size]:
            yield chunk[:size]
        if len(chunk) <= size:
            return
        after = chunk[size - 1].username


def export_rows(cohort, *, chunk_size=None):
    """The header, then each learner's rows (one per skill) as one list.

    Learners come `chunk_size` (LEARNERS_PER_CHUNK) at a time, each chunk with its learners' latest ratings and
    progress: memory holds one chunk whatever the cohort's size, and the queries are one for
    the skills and three per chunk, never one per learner. Plain queries, no server-side cursor:
    the same under PgBouncer in transaction mode (DISABLE_SERVER_SIDE_CURSORS).
    """
    skills = list(Skill.objects.select_related("trunk"))
    reviews = dict(Progress.Review.choices)
    yield [CSV_HEADER]
    for learners in _learner_chunks(cohort, chunk_size or LEARNERS_PER_CHUNK):
        audits = {
            learner.latest_full_audit_id: learner.pk
            for learner in learners
            if learner.latest_full_audit_id
        }
        ratings = defaultdict(dict)
        for audit_id, skill_id, value in Rating.objects.filter(
            audit_id__in=list(audits)
        ).values_list("audit_id", "skill_id", "value"):
            ratings[audits[audit_id]][skill_id] = value
        progress = defaultdict(dict)
        for user_id, skill_id, *facts in Progress.objects.filter(
            user_id__in=[learner.pk for learner in learners]
        ).values_list("user_id", "skill_id", "status", "evidence_url", "review"):
            progress[user_id][skill_id] = facts
        for learner in learners:
            yield _learner_rows(
                cohort,
                learner,
                skills,
                ratings[learner.pk],
                progress[learner.pk],
                reviews,
            )


def _learner_rows(cohort, learner, skills, learner_ratings, learner_progress, reviews):
    """A row per skill; its status is the one every page shows (assessments.status: a test a
    lead sent back reads "Needs work", not "Test passed")."""
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
                skill_status(status, review).label,
                evidence,
                reviews[review] if passed and evidence else "",
                last_audit,
            ]
        )
    return rows


def export_csv_chunks(cohort, *, chunk_size=None):
    """The CSV as text, one chunk per learner (after the header), every cell guarded by
    `_cell`: what the streaming response sends."""
    writer = csv.writer(_Echo())
    for rows in export_rows(cohort, chunk_size=chunk_size):
        yield "".join(writer.writerow([_cell(value) for value in row]) for row in rows)
