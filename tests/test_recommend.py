import pytest

from assessments.gaps import Reading, read_levels, tracks_for_fit
from assessments.recommend import DEPTH, LITERACY, next_skills, with_free_resources
from curriculum.models import Resource, Skill
from tests.factories import AuditFactory, ProgressFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def _skills():
    return list(Skill.objects.select_related("trunk", "bucket"))


def _next(user, track_slug="research-scientist", statuses=None):
    track = tracks_for_fit().get(slug=track_slug)
    return next_skills(track, _skills(), read_levels(user), statuses)


def _slugs(items):
    return [item.skill.slug for item in items]


def test_no_track_no_advice(learner):
    assert next_skills(None, _skills(), Reading()) == []


def test_with_no_ratings_the_strongest_need_in_the_depth_trunk_comes_first(learner):
    items = _next(learner)

    # Research Scientist: Research is "Very high"; deep learning is its depth trunk,
    # foundations and ML fundamentals its literacy trunks.
    assert _slugs(items) == [
        "scaling-and-efficiency",
        "reading-academic-papers",
        "evaluation-and-metrics",
    ]
    assert [i.tier for i in items] == [DEPTH, LITERACY, LITERACY]
    assert all(i.rating is None and i.gap is None and i.is_estimated for i in items)
    assert all(str(i.target) == "5.0" for i in items)


def test_biggest_gap_first_and_met_skills_left_out(learner):
    AuditFactory(
        user=learner,
        ratings={
            "scaling-and-efficiency": 5,
            "reading-academic-papers": 4,
            "evaluation-and-metrics": 1,
            "cross-validation-and-leakage": 2,
            "causal-thinking": 3,
        },
    )

    items = _next(learner)

    assert _slugs(items) == [
        "evaluation-and-metrics",
        "cross-validation-and-leakage",
        "causal-thinking",
    ]
    assert [(i.rating, str(i.gap)) for i in items] == [(1, "4.0"), (2, "3.0"), (3, "2.0")]


def test_a_rated_gap_comes_before_an_unrated_skill_of_the_same_trunks(learner):
    # Research level 1.5 puts unrated research skills 3.5 short by estimate, more than
    # causal thinking's known 3; the known gaps still come first.
    AuditFactory(user=learner, ratings={"evaluation-and-metrics": 1, "causal-thinking": 2})

    items = _next(learner)

    assert _slugs(items) == [
        "scaling-and-efficiency",
        "evaluation-and-metrics",
        "causal-thinking",
    ]
    assert items[0].is_estimated and str(items[0].gap) == "3.5"
    assert not items[2].is_estimated and str(items[2].gap) == "3.0"


def test_skills_whose_test_is_passed_are_skipped(learner):
    scaling = Skill.objects.get(slug="scaling-and-efficiency")
    ProgressFactory(user=learner, skill=scaling, passed=True)
    statuses = dict(learner.progress.values_list("skill_id", "status"))

    items = _next(learner, statuses=statuses)

    assert "scaling-and-efficiency" not in _slugs(items)
    assert _slugs(items) == [
        "reading-academic-papers",
        "evaluation-and-metrics",
        "cross-validation-and-leakage",
    ]


def test_learner_who_meets_the_track_gets_nothing_to_fix(learner):
    AuditFactory(
        user=learner, ratings=dict.fromkeys(Skill.objects.values_list("slug", flat=True), 5)
    )

    assert _next(learner) == []


def test_quick_audit_levels_stand_in_for_unrated_skills(learner):
    # Technical 2, Research 5 (meets "Very high"), Communication 4 (meets "High"), Domain 2.
    AuditFactory(user=learner, quick=True, answers={1: 2, 2: 2, 3: 5, 4: 4, 5: 2})

    items = _next(learner)

    assert _slugs(items) == [
        "neural-network-fundamentals",
        "transformers-and-attention",
        "training-optimization-and-tricks",
    ]
    assert all(str(i.gap) == "2.0" and i.is_estimated for i in items)


def test_order_does_not_depend_on_the_order_skills_come_in(learner):
    AuditFactory(user=learner, ratings={"causal-thinking": 2, "reading-academic-papers": 2})
    track = tracks_for_fit().get(slug="research-scientist")
    reading = read_levels(learner)

    forwards = next_skills(track, _skills(), reading, count=10)
    backwards = next_skills(track, list(reversed(_skills())), reading, count=10)

    assert _slugs(forwards) == _slugs(backwards)
    assert len(forwards) == 10


def test_each_next_skill_gets_its_first_current_free_resource(learner, django_assert_num_queries):
    transformers = Skill.objects.select_related("trunk").get(slug="transformers-and-attention")
    first, second = Resource.objects.filter(skill=transformers).order_by("order", "pk")[:2]
    Resource.objects.filter(pk=first.pk).update(retired=True)
    ResourceFactory(skill=transformers, title="Paid course", is_free=False, order=0)
    items = _next(learner, track_slug="research-engineer")  # Technical is "Very high" there
    assert "transformers-and-attention" in _slugs(items)

    with django_assert_num_queries(1):
        items = with_free_resources(items)

    chosen = next(i for i in items if i.skill.slug == "transformers-and-attention")
    assert chosen.resource == second
    assert all(i.resource is not None for i in items)
