"""Where a learner stands per bucket, and how far that is from what a track needs.

A learner's level in a bucket is the mean of their ratings of the skills counting toward it, from
their latest saved full audit. Unrated skills have no rating row and are left out of the mean
(never counted as 1), so a bucket with no rated skill has no level. Without a saved full audit the
latest saved quick audit stands in: each baseline question belongs to a bucket.

The gap to a track in a bucket is the shortfall below the track's required level (its target on
the 1–5 scale, stored on RequirementLevel): exceeding a level counts as no gap, never as credit
against another bucket.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, Q

from assessments.models import Audit, BaselineAnswer, Rating
from curriculum.models import Track, TrackRequirement

LEVEL_PLACES = Decimal("0.1")


def round_level(value):
    """A level to one decimal place (a database average comes as a float), or None."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(LEVEL_PLACES, rounding=ROUND_HALF_UP)


def mean_level(values):
    """The mean of 1–5 values to one decimal place, or None when there are none."""
    values = list(values)
    if not values:
        return None
    return round_level(Decimal(sum(values)) / len(values))


def levels_by_bucket(bucketed_values):
    """{bucket_id: mean level} from (bucket_id, value) pairs; buckets without values are absent."""
    grouped = defaultdict(list)
    for bucket_id, value in bucketed_values:
        grouped[bucket_id].append(value)
    return {bucket_id: mean_level(values) for bucket_id, values in grouped.items()}


@dataclass
class Reading:
    """A learner's bucket levels and the saved audit they come from (None: no audit yet).

    `ratings` maps skill id to the 1–5 value for a full audit (empty for a quick one);
    `previous` is the saved audit of the same kind before `audit`, with its own levels and ratings,
    for "then and now".
    """

    audit: Audit | None = None
    levels: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    ratings: dict = field(default_factory=dict)
    previous: Audit | None = None
    previous_levels: dict = field(default_factory=dict)
    previous_ratings: dict = field(default_factory=dict)

    @property
    def has_levels(self):
        return bool(self.levels)

    @property
    def is_quick(self):
        return self.audit is not None and self.audit.kind == Audit.Kind.QUICK

    def level(self, bucket):
        return self.levels.get(bucket.pk)


def _counts(pairs):
    counts = defaultdict(int)
    for bucket_id, _value in pairs:
        counts[bucket_id] += 1
    return dict(counts)


def read_levels(user, as_of=None):
    """The learner's Reading from their two latest saved full audits, else quick audits.

    `as_of` (a saved full audit) reads as if it were the latest: it and the full audit before it.
    Two queries when there is a saved full audit, four when only quick audits, whatever the
    number of audits, ratings or skills.
    """
    full = Audit.objects.latest_full().filter(user=user)
    if as_of is not None:
        full = full.filter(
            Q(saved_at__lt=as_of.saved_at) | Q(saved_at=as_of.saved_at, pk__lte=as_of.pk)
        )
    full = list(full[:2])
    if full:
        rows = Rating.objects.filter(audit__in=full).values_list(
            "audit_id", "skill_id", "skill__bucket_id", "value"
        )
        by_audit = defaultdict(list)
        for audit_id, skill_id, bucket_id, value in rows:
            by_audit[audit_id].append((skill_id, bucket_id, value))
        return _reading(full, by_audit, with_ratings=True)
    quick = list(Audit.objects.latest_first().filter(user=user, kind=Audit.Kind.QUICK)[:2])
    if not quick:
        return Reading()
    rows = BaselineAnswer.objects.filter(audit__in=quick).values_list(
        "audit_id", "question_id", "question__bucket_id", "value"
    )
    by_audit = defaultdict(list)
    for audit_id, question_id, bucket_id, value in rows:
        by_audit[audit_id].append((question_id, bucket_id, value))
    return _reading(quick, by_audit, with_ratings=False)


def _reading(audits, by_audit, *, with_ratings):
    latest = audits[0]
    previous = audits[1] if len(audits) > 1 else None

    def parts(audit):
        if audit is None:
            return {}, {}, {}
        rows = by_audit.get(audit.pk, [])
        pairs = [(bucket_id, value) for _key, bucket_id, value in rows]
        ratings = {key: value for key, _bucket_id, value in rows} if with_ratings else {}
        return levels_by_bucket(pairs), _counts(pairs), ratings

    levels, counts, ratings = parts(latest)
    previous_levels, _previous_counts, previous_ratings = parts(previous)
    return Reading(
        audit=latest,
        levels=levels,
        counts=counts,
        ratings=ratings,
        previous=previous,
        previous_levels=previous_levels,
        previous_ratings=previous_ratings,
    )


@dataclass(frozen=True)
class BucketGap:
    """One bucket: the learner's level against what a track requires of it."""

    bucket: object
    level: Decimal | None
    requirement: object = None
    rated: int = 0

    @property
    def target(self):
        return self.requirement.level.target if self.requirement else None

    @property
    def gap(self):
        """The shortfall below the target (0 when met or exceeded); None when unknown."""
        if self.level is None or self.target is None:
            return None
        return max(self.target - self.level, Decimal("0"))

    @property
    def is_met(self):
        return self.gap == 0


def bucket_gaps(reading, track, buckets):
    """A BucketGap for every bucket, in bucket order, against `track` (None: no targets).

    `track.requirements` should be prefetched with their level (see `tracks_for_fit`).
    """
    requirements = {}
    if track is not None:
        requirements = {r.bucket_id: r for r in track.requirements.all()}
    return [
        BucketGap(
            bucket=bucket,
            level=reading.levels.get(bucket.pk),
            requirement=requirements.get(bucket.pk),
            rated=reading.counts.get(bucket.pk, 0),
        )
        for bucket in buckets
    ]


FIT_RATINGS_PER_BUCKET = 2
"""A bucket's level ranks the tracks once this many of its skills are rated (every one of them
when it has fewer): one rating is a guess, not a level to choose a career by."""


def ratings_needed(rated, available, per_bucket=FIT_RATINGS_PER_BUCKET):
    """How many more ratings a bucket needs before tracks are ranked by it: `per_bucket` of its
    `available` skills (all of them when it has fewer), less the `rated` ones; never below 0."""
    return max(0, min(per_bucket, available) - rated)


@dataclass(frozen=True)
class TrackFit:
    """A track against the learner's levels. `missing` holds (bucket, ratings needed) for the
    buckets it requires that are rated too thinly to rank it; `rank` is None until none are."""

    track: object
    gaps: list
    rank: int | None = 0
    missing: tuple = ()

    @property
    def total_gap(self):
        """The sum of shortfalls over the buckets with a level; surpluses never offset them."""
        return sum((g.gap for g in self.gaps if g.gap is not None), Decimal("0"))

    @property
    def unknown(self):
        """Buckets the track requires that the learner has no level in."""
        return [g for g in self.gaps if g.requirement is not None and g.level is None]

    @property
    def is_ranked(self):
        return not self.missing

    @property
    def ratings_needed(self):
        return sum(count for _bucket, count in self.missing)

    @property
    def is_met(self):
        return self.is_ranked and not self.unknown and self.total_gap == 0

    @property
    def shortfalls(self):
        return [g for g in self.gaps if g.gap]


def track_fit(reading, tracks, buckets, available=None):
    """Every track with its gaps: the ranked ones first, by total gap, smallest first; then the
    ones rated too thinly to rank, fewest ratings needed first; ties keep track order.

    A track is ranked once every bucket it requires has `ratings_needed` 0, `available` giving
    each bucket's number of skills ({bucket id: count}). A quick audit answers every question it
    asks, so it covers its buckets (as does `available=None`). Buckets without a level are left
    out of every track's total alike, so the ranking compares like with like; each TrackFit
    lists them as `unknown`.
    """
    if available is None or reading.is_quick:
        available = reading.counts
    fits = []
    for track in tracks:
        gaps = bucket_gaps(reading, track, buckets)
        missing = tuple(
            (g.bucket, needed)
            for g in gaps
            if g.requirement is not None
            and (needed := ratings_needed(g.rated, available.get(g.bucket.pk, 0)))
        )
        fits.append(TrackFit(track=track, gaps=gaps, missing=missing))
    ranked = sorted((fit for fit in fits if fit.is_ranked), key=lambda fit: fit.total_gap)
    unranked = sorted((fit for fit in fits if not fit.is_ranked), key=lambda f: f.ratings_needed)
    return [replace(fit, rank=index) for index, fit in enumerate(ranked, start=1)] + [
        replace(fit, rank=None) for fit in unranked
    ]


def tracks_for_fit():
    """Tracks with what gaps and recommendations read from them, in three queries."""
    return Track.objects.select_related("depth_trunk").prefetch_related(
        "literacy_trunks",
        Prefetch(
            "requirements", queryset=TrackRequirement.objects.select_related("level", "bucket")
        ),
    )
