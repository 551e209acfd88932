"""Whether the bar a learner was measured against has moved since they were measured.

A rating is made against a skill's mastery text. The skill's `mastery_version` goes up by one
each time a curator changes that text, and the rating keeps the version it was made against, so
a rating's bar changed when its version is older than the skill's.

A saved audit keeps its learner's target track and that track's requirements as they were
(`Audit.requirements`, {bucket id: target}); the track's bar changed in a bucket when today's
target differs from the kept one (a requirement added or removed counts too).

Then and now compares two full audits like with like: a skill rated in both against different
mastery versions is left out of both audits' bucket levels, and named, so a move in a bucket is
never a curator's edit passed off as the learner's progress.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from assessments.gaps import levels_by_bucket
from assessments.models import Audit, Rating
from curriculum.models import TrackRequirement


@dataclass(frozen=True)
class RatedRow:
    """One rating as history needs it: the skill, its bucket, the value and the version."""

    skill: object
    bucket_id: int
    value: int
    version: int


@dataclass(frozen=True)
class TrackBarChange:
    """A bucket whose required target moved since the audit: `then` or `now` may be None."""

    bucket: object
    then: Decimal | None
    now: Decimal | None


@dataclass(frozen=True)
class ThenNow:
    """Bucket levels of two audits over the skills rated against the same bar in both."""

    previous_levels: dict
    levels: dict
    excluded: list = field(default_factory=list)


@dataclass(frozen=True)
class BarReport:
    """What moved under one saved audit: skills whose mastery text changed since they were
    rated, the track buckets whose target changed, and the like-with-like then and now."""

    changed_skills: list = field(default_factory=list)
    track: object = None
    track_changes: list = field(default_factory=list)
    then_now: ThenNow | None = None

    @property
    def changed(self):
        return bool(self.changed_skills or self.track_changes)


def bar_changed(version, skill):
    """True when `skill`'s mastery text changed after a rating made against `version`."""
    return version < skill.mastery_version


def changed_skill_bars(rows):
    """The skills of `rows` (RatedRow) whose mastery text changed after they were rated."""
    return [row.skill for row in rows if bar_changed(row.version, row.skill)]


def track_bar_changes(kept, today, buckets):
    """TrackBarChange per bucket of `buckets` (in their order) whose target differs between
    `kept` (the audit's {bucket id (text): target (text)}) and `today` ({bucket id: Decimal}).
    An audit that kept no requirements (no target track, or saved before they were kept) has
    nothing to compare: no change."""
    if not kept:
        return []
    then = {int(bucket_id): Decimal(target) for bucket_id, target in kept.items()}
    return [
        TrackBarChange(bucket=bucket, then=then.get(bucket.pk), now=today.get(bucket.pk))
        for bucket in buckets
        if then.get(bucket.pk) != today.get(bucket.pk)
    ]


def like_with_like(previous_rows, latest_rows):
    """ThenNow from two audits' RatedRows: skills rated in both against different mastery
    versions are left out of both sides (and listed in `excluded`, in the latest's order)."""
    previous_versions = {row.skill.pk: row.version for row in previous_rows}
    excluded = [
        row.skill
        for row in latest_rows
        if row.skill.pk in previous_versions and previous_versions[row.skill.pk] != row.version
    ]
    left_out = {skill.pk for skill in excluded}
    return ThenNow(
        previous_levels=levels_by_bucket(
            (row.bucket_id, row.value) for row in previous_rows if row.skill.pk not in left_out
        ),
        levels=levels_by_bucket(
            (row.bucket_id, row.value) for row in latest_rows if row.skill.pk not in left_out
        ),
        excluded=excluded,
    )


def bar_report(audit, buckets, previous=None):
    """The BarReport of a saved `audit` (and then and now against `previous`, a full audit);
    `buckets` are every bucket, in order.

    Two queries: the two audits' ratings with their skills, and the kept track's requirements
    today (skipped when the audit kept none); a third for the track's name when its bar moved.
    A quick audit has no ratings: only its track.
    """
    if audit is None:
        return BarReport()
    by_audit = defaultdict(list)
    if audit.kind == Audit.Kind.FULL:
        wanted = [audit.pk] + ([previous.pk] if previous is not None else [])
        ratings = (
            Rating.objects.filter(audit_id__in=wanted)
            .select_related("skill__trunk")
            .order_by("skill__trunk__number", "skill__order", "skill__pk")
        )
        for rating in ratings:
            by_audit[rating.audit_id].append(
                RatedRow(
                    skill=rating.skill,
                    bucket_id=rating.skill.bucket_id,
                    value=rating.value,
                    version=rating.mastery_version,
                )
            )
    track_changes = []
    if audit.requirements and audit.track_id:
        today = dict(
            TrackRequirement.objects.filter(track_id=audit.track_id).values_list(
                "bucket_id", "level__target"
            )
        )
        track_changes = track_bar_changes(audit.requirements, today, buckets)
    then_now = None
    if previous is not None and audit.kind == Audit.Kind.FULL:
        then_now = like_with_like(by_audit[previous.pk], by_audit[audit.pk])
    return BarReport(
        changed_skills=changed_skill_bars(by_audit[audit.pk]),
        track=audit.track if track_changes else None,
        track_changes=track_changes,
        then_now=then_now,
    )
