"""Everything the dashboard shows about one learner, gathered in a fixed number of queries.

`standing_for(user)` is what the learner's dashboard renders; a lead's view of one learner reuses
it (`subject=` the learner's name) with the partials of `templates/assessments/dashboard.html` (each reads `standing`).
"""

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format

import pages
from assessments import charts, history
from assessments.gaps import (
    FIT_RATINGS_PER_BUCKET,
    bucket_gaps,
    read_levels,
    track_fit,
    tracks_for_fit,
)
from assessments.ladder import ladder_standing
from assessments.models import Progress, SkillNote
from assessments.path import keeps_pace, path_position
from assessments.recheck import curriculum_recheck_months, rechecks_due
from assessments.recommend import next_skills, with_free_resources
from assessments.status import SkillStatus
from assessments.warnings import (
    HYPE_AGE,
    audit_is_due,
    failure_warnings,
    hype_substitution,
    worked_on_lately,
)
from curriculum.cache import ladder_levels, path_phases
from curriculum.models import Bucket, FailureMode, Skill
from curriculum.passages import passages

REMINDER_PASSAGE = "baseline-point"


@dataclass(frozen=True)
class BucketMove:
    bucket: object
    then: Decimal | None
    now: Decimal | None

    @property
    def change(self):
        if self.then is None or self.now is None:
            return None
        return self.now - self.then


@dataclass(frozen=True)
class SkillMove:
    skill: object
    then: int | None
    now: int | None

    @property
    def change(self):
        if self.then is None or self.now is None:
            return None
        return self.now - self.then


@dataclass
class Standing:
    user: object
    track: object
    now: object
    reading: object
    buckets: list
    gaps: list
    fits: list
    next_skills: list
    warnings: list
    audit_due: bool
    reminder: object = None
    progress: list = field(default_factory=list)
    moves: list = field(default_factory=list)
    skill_moves: list = field(default_factory=list)
    gap_chart: object = None
    then_now_chart: object = None
    ladder: object = None
    path: object = None
    pace: object = None
    bars: object = None
    rechecks: list = field(default_factory=list)
    subject: str = ""

    @property
    def is_own(self):
        """True on the learner's own dashboard; False when someone else (a lead) reads it."""
        return not self.subject

    @property
    def whose(self):
        """What starts headings and chart titles: "Your", or "Ada’s"."""
        return f"{self.subject}’s" if self.subject else "Your"

    @property
    def path_summary(self):
        return self.path.describe(self.subject or None) if self.path else ""

    @property
    def audit(self):
        return self.reading.audit

    @property
    def previous(self):
        return self.reading.previous

    @property
    def has_audit(self):
        return self.reading.audit is not None

    @property
    def weeks_since_audit(self):
        if not self.has_audit:
            return None
        return (self.now - self.reading.audit.saved_at).days // 7

    @property
    def fit(self):
        """The TrackFit of the track shown, from the ranked list."""
        return next((f for f in self.fits if self.track and f.track.pk == self.track.pk), None)

    @property
    def fit_ratings_per_bucket(self):
        return FIT_RATINGS_PER_BUCKET

    @property
    def fits_ranked(self):
        return [fit for fit in self.fits if fit.is_ranked]

    @property
    def tests_passed(self):
        """Passed tests by the one rule (`assessments.status`): "needs work" is not among them."""
        return sum(1 for p in self.progress if p.shown_status.is_passed)

    @property
    def verified(self):
        return sum(1 for p in self.progress if p.shown_status == SkillStatus.VERIFIED)

    @property
    def learning(self):
        return sum(1 for p in self.progress if p.shown_status == SkillStatus.LEARNING)

    @property
    def needs_work(self):
        """The learner's rows a lead sent back, in curriculum order."""
        rows = [p for p in self.progress if p.shown_status == SkillStatus.NEEDS_WORK]
        return sorted(rows, key=lambda p: (p.skill.trunk.number, p.skill.order, p.skill.pk))


def _moves(previous_levels, levels, buckets):
    return [
        BucketMove(bucket=b, then=previous_levels.get(b.pk), now=levels.get(b.pk)) for b in buckets
    ]


def _skill_moves(reading, skills):
    moves = []
    for skill in skills:
        then = reading.previous_ratings.get(skill.pk)
        now = reading.ratings.get(skill.pk)
        if then != now:
            moves.append(SkillMove(skill=skill, then=then, now=now))
    return moves


def standing_for(user, *, track=None, now=None, subject="", as_of=None):
    """The learner's Standing against `track` (default: their target track, which may be None).

    `as_of` (a saved full audit) shows the standing that audit earned, against the one before it.

    `subject` is empty on the learner's own dashboard, where the page says "you"; on someone
    else's page it is the learner's name, and the page speaks of them ("Ada has not set…").
    """
    now = now or timezone.now()
    buckets = pages.kept("buckets", lambda: list(Bucket.objects.all()))
    tracks = pages.kept("tracks-for-fit", lambda: list(tracks_for_fit()))
    if track is None and user.target_track_id:
        track = next((t for t in tracks if t.pk == user.target_track_id), None)
    elif track is not None:
        track = next((t for t in tracks if t.pk == track.pk), track)
    reading = read_levels(user, as_of=as_of)
    skills = pages.kept(
        "skills", lambda: list(Skill.objects.current().select_related("trunk", "bucket"))
    )
    progress = list(
        Progress.objects.filter(user=user).select_related("skill__trunk", "reviewed_by")
    )
    statuses = {p.skill_id: p.shown_status for p in progress}

    gaps = bucket_gaps(reading, track, buckets)
    current_tracks = [t for t in tracks if not t.retired]
    fits = []
    if reading.has_levels:
        available = Counter(skill.bucket_id for skill in skills)
        fits = track_fit(reading, current_tracks, buckets, available)
    advice = with_free_resources(next_skills(track, skills, reading, statuses))
    due = audit_is_due(reading.audit, now)
    notes = SkillNote.objects.filter(user=user, updated_at__gte=now - HYPE_AGE)
    worked = worked_on_lately(
        progress,
        notes.values_list("skill_id", "updated_at"),
        reading.ratings,
        reading.previous_ratings,
        reading.audit.saved_at if reading.audit else None,
        now,
    )
    target = next((t for t in tracks if t.pk == user.target_track_id), None)
    standing = Standing(
        user=user,
        track=track,
        now=now,
        reading=reading,
        buckets=buckets,
        gaps=gaps,
        fits=fits,
        next_skills=advice,
        warnings=failure_warnings(
            progress,
            pages.kept("failure-modes", lambda: list(FailureMode.objects.all())),
            now,
            hype=hype_substitution(skills, worked, reading.ratings, target),
        ),
        audit_due=due,
        reminder=passages(REMINDER_PASSAGE).get(REMINDER_PASSAGE.replace("-", "_")),
        progress=progress,
        rechecks=rechecks_due(progress, curriculum_recheck_months(), now),
        subject=subject,
    )
    whose = standing.whose
    if reading.has_levels:
        title = (
            f"{whose} level per bucket against {track.name}"
            if track
            else f"{whose} level per bucket"
        )
        standing.gap_chart = charts.gap_chart(gaps, title=title)
    standing.bars = history.bar_report(reading.audit, buckets, previous=reading.previous)
    if reading.previous is not None:
        like = standing.bars.then_now
        previous_levels = like.previous_levels if like else reading.previous_levels
        standing.moves = _moves(previous_levels, like.levels if like else reading.levels, buckets)
        left_out = {skill.pk for skill in like.excluded} if like else set()
        standing.skill_moves = _skill_moves(
            reading, [skill for skill in skills if skill.pk not in left_out]
        )
        standing.then_now_chart = charts.then_now_chart(
            standing.moves,
            title=f"{whose} level per bucket, {_day(reading.previous)} and {_day(reading.audit)}",
        )
    standing.ladder = ladder_standing(user, ladder_levels())
    today = timezone.localdate(now)
    phases = path_phases()
    standing.path = path_position(user.path_started_on, today, phases)
    standing.pace = keeps_pace(
        standing.path,
        phases,
        [p.skill.trunk.number for p in progress if p.shown_status.is_passed],
        depth_trunk=target.depth_trunk if target else None,
        days_since_joining=(today - timezone.localdate(user.date_joined)).days,
    )
    return standing


def _day(audit):
    return date_format(timezone.localtime(audit.saved_at))
