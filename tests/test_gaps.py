from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.gaps import (
    Reading,
    bucket_gaps,
    levels_by_bucket,
    mean_level,
    read_levels,
    track_fit,
    tracks_for_fit,
)
from curriculum.models import Bucket, RequirementLevel, Skill, Track
from tests.factories import AuditFactory

pytestmark = pytest.mark.django_db

RESEARCH_SKILLS = [
    "reading-academic-papers",
    "evaluation-and-metrics",
    "cross-validation-and-leakage",
    "causal-thinking",
    "scaling-and-efficiency",
]


def _track(slug):
    return tracks_for_fit().get(slug=slug)


def _gaps(user, track_slug):
    gaps = bucket_gaps(read_levels(user), _track(track_slug), Bucket.objects.all())
    return {g.bucket.slug: g for g in gaps}


def test_mean_level_rounds_to_one_place_and_is_none_without_values():
    assert mean_level([2, 3, 3]) == Decimal("2.7")
    assert mean_level([]) is None
    assert levels_by_bucket([(1, 2), (1, 5), (2, 4)]) == {1: Decimal("3.5"), 2: Decimal("4.0")}


def test_unrated_skills_are_not_counted_as_one(learner):
    AuditFactory(user=learner, ratings={"reading-academic-papers": 4, "causal-thinking": 4})

    gaps = _gaps(learner, "research-scientist")

    assert gaps["research"].level == Decimal("4.0")
    assert gaps["research"].rated == 2
    assert gaps["technical"].level is None
    assert gaps["technical"].gap is None


def test_learner_with_no_ratings_has_no_levels_and_no_gaps(learner):
    reading = read_levels(learner)
    gaps = bucket_gaps(reading, _track("research-scientist"), Bucket.objects.all())

    assert reading.audit is None
    assert not reading.has_levels
    buckets = Bucket.objects.count()
    assert [g.level for g in gaps] == [None] * buckets
    assert [g.gap for g in gaps] == [None] * buckets
    fits = track_fit(reading, tracks_for_fit(), Bucket.objects.all())
    assert all(len(fit.unknown) == buckets and not fit.is_met for fit in fits)


def test_learner_who_meets_the_track_has_no_gap_anywhere(learner):
    AuditFactory(
        user=learner, ratings=dict.fromkeys(Skill.objects.values_list("slug", flat=True), 5)
    )

    gaps = _gaps(learner, "research-scientist")

    assert all(g.gap == 0 and g.is_met for g in gaps.values())
    fits = track_fit(read_levels(learner), tracks_for_fit(), Bucket.objects.all())
    assert all(fit.is_met and fit.total_gap == 0 for fit in fits)
    assert [fit.track.slug for fit in fits] == list(Track.objects.values_list("slug", flat=True))


def test_very_high_research_needs_a_five(learner):
    AuditFactory(user=learner, ratings=dict.fromkeys(RESEARCH_SKILLS, 3))

    research = _gaps(learner, "research-scientist")["research"]

    assert research.requirement.label == "Very high"
    assert research.target == Decimal("5.0")
    assert research.gap == Decimal("2.0")


def test_targets_come_from_the_requirement_level_not_the_code(learner):
    AuditFactory(user=learner, ratings=dict.fromkeys(RESEARCH_SKILLS, 3))
    RequirementLevel.objects.filter(name="Very high").update(target=Decimal("4.5"))

    assert _gaps(learner, "research-scientist")["research"].gap == Decimal("1.5")


def test_exceeding_one_bucket_does_not_offset_a_shortfall_in_another(learner):
    technical = Skill.objects.filter(bucket__slug="technical").values_list("slug", flat=True)
    AuditFactory(
        user=learner, ratings={**dict.fromkeys(technical, 3), **dict.fromkeys(RESEARCH_SKILLS, 5)}
    )

    fit = next(
        f
        for f in track_fit(read_levels(learner), tracks_for_fit(), Bucket.objects.all())
        if f.track.slug == "applied-and-product-ml"
    )
    gaps = {g.bucket.slug: g for g in fit.gaps}

    assert gaps["technical"].gap == Decimal("2.0")  # Very high = 5
    assert gaps["research"].gap == 0  # Low = 2, rated 5: a surplus of 3 that must not count
    assert fit.total_gap == Decimal("2.0")


def test_tracks_are_ranked_by_total_gap(learner):
    by_bucket = {"technical": 2, "research": 2, "communication": 5, "domain": 3}
    AuditFactory(
        user=learner,
        ratings={s.slug: by_bucket[s.bucket.slug] for s in Skill.objects.select_related("bucket")},
    )

    fits = track_fit(read_levels(learner), tracks_for_fit(), Bucket.objects.all())

    assert fits[0].track.slug == "field-building-and-comms"
    assert fits[0].total_gap == 0
    assert [f.rank for f in fits] == list(range(1, 8))
    totals = [f.total_gap for f in fits]
    assert totals == sorted(totals)
    # Research Scientist: Technical High 4 (2), Research Very high 5 (3), Comms High 4 (0), Domain High 4 (1)
    assert next(f for f in fits if f.track.slug == "research-scientist").total_gap == 6


def test_quick_audit_stands_in_when_there_is_no_full_audit(learner):
    AuditFactory(user=learner, quick=True, answers={1: 4, 2: 2, 3: 1, 5: 3})

    reading = read_levels(learner)

    assert reading.is_quick
    levels = {b.slug: reading.level(b) for b in Bucket.objects.all()}
    assert levels == {
        "technical": Decimal("3.0"),
        "research": Decimal("1.0"),
        "communication": None,
        "domain": Decimal("3.0"),
    }


def test_a_saved_full_audit_wins_over_a_newer_quick_audit(learner):
    AuditFactory(user=learner, ratings={"causal-thinking": 2}, days_ago=10)
    AuditFactory(user=learner, quick=True, answers={3: 5}, days_ago=1)

    reading = read_levels(learner)

    assert not reading.is_quick
    assert reading.level(Bucket.objects.get(slug="research")) == Decimal("2.0")


def test_latest_saved_audit_counts_and_drafts_do_not(learner):
    first = AuditFactory(user=learner, ratings={"causal-thinking": 1}, days_ago=60)
    latest = AuditFactory(user=learner, ratings={"causal-thinking": 3}, days_ago=5)
    AuditFactory(user=learner, draft=True, ratings={"causal-thinking": 5})

    reading = read_levels(learner)

    research = Bucket.objects.get(slug="research")
    assert reading.audit == latest
    assert reading.previous == first
    assert reading.level(research) == Decimal("3.0")
    assert reading.previous_levels[research.pk] == Decimal("1.0")


def test_another_learners_audit_is_not_read(learner, other_learner):
    AuditFactory(user=other_learner, ratings={"causal-thinking": 5})

    assert read_levels(learner) == Reading()


@pytest.mark.parametrize("audits", [1, 12])
def test_reading_levels_takes_two_queries_however_many_audits(
    learner, audits, django_assert_num_queries
):
    slugs = list(Skill.objects.values_list("slug", flat=True))
    for n in range(audits):
        AuditFactory(user=learner, ratings=dict.fromkeys(slugs, 1 + n % 5), days_ago=audits - n)

    with django_assert_num_queries(2):
        reading = read_levels(learner)

    assert len(reading.ratings) == len(slugs)
    assert reading.audit.saved_at <= timezone.now()
