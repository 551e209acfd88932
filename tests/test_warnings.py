from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.models import Audit, Progress
from assessments.warnings import (
    audit_is_due,
    failure_warnings,
    trunk_sprawl,
    tutorial_loop,
)
from curriculum.models import FailureMode, Skill

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _first_skill_of(trunk_slug, n=0):
    return Skill.objects.filter(trunk__slug=trunk_slug).select_related("trunk")[n]


def _progress(skill, status="learning", since_days=1, passed_days=None, review=""):
    return Progress(
        skill=skill,
        status=status,
        review=review,
        learning_since=NOW - timedelta(days=since_days),
        passed_at=None if passed_days is None else NOW - timedelta(days=passed_days),
    )


TRUNKS = ["foundations", "ml-fundamentals", "deep-learning", "practical-ai-engineering"]


def test_learning_in_four_trunks_at_once_is_trunk_sprawl():
    progress = [_progress(_first_skill_of(slug)) for slug in TRUNKS]

    trunks = trunk_sprawl(progress)

    assert [t.slug for t in trunks] == TRUNKS
    (warning,) = failure_warnings(progress, FailureMode.objects.all(), NOW)
    assert warning.name == "trunk sprawl"
    assert "4 trunks" in warning.finding
    assert warning.quote == (
        "Trying to learn all six trunks in parallel and ending up shallow at all of them. "
        "Pick one, then borrow from two."
    )


def test_three_trunks_or_passed_tests_elsewhere_are_not_sprawl():
    progress = [_progress(_first_skill_of(slug)) for slug in TRUNKS[:3]]
    progress += [_progress(_first_skill_of(slug, 1)) for slug in TRUNKS[:3]]
    progress.append(_progress(_first_skill_of(TRUNKS[3]), status="test_passed", passed_days=1))

    assert trunk_sprawl(progress) == []
    assert failure_warnings(progress, FailureMode.objects.all(), NOW) == []


def test_three_skills_learning_for_weeks_with_no_test_passed_is_a_tutorial_loop():
    progress = [_progress(_first_skill_of("foundations", n), since_days=30) for n in range(3)]

    assert len(tutorial_loop(progress, NOW)) == 3
    (warning,) = failure_warnings(progress, FailureMode.objects.all(), NOW)
    assert warning.name == "tutorial loop"
    assert warning.quote.startswith("Watching one more course instead of building one more thing.")
    assert len(warning.items) == 3


def test_a_test_passed_recently_breaks_the_tutorial_loop():
    progress = [_progress(_first_skill_of("foundations", n), since_days=30) for n in range(3)]
    progress.append(
        _progress(_first_skill_of("foundations", 3), status="test_passed", passed_days=5)
    )

    assert tutorial_loop(progress, NOW) == []


def test_a_recent_pass_a_lead_said_needs_work_does_not_break_the_tutorial_loop():
    progress = [_progress(_first_skill_of("foundations", n), since_days=30) for n in range(3)]
    progress.append(
        _progress(
            _first_skill_of("foundations", 3),
            status="test_passed",
            passed_days=5,
            review="needs_work",
        )
    )

    assert len(tutorial_loop(progress, NOW)) == 3


def test_recent_learning_or_an_old_pass_do_not_make_or_break_a_loop():
    fresh = [_progress(_first_skill_of("foundations", n), since_days=10) for n in range(3)]
    assert tutorial_loop(fresh, NOW) == []

    stale = [_progress(_first_skill_of("foundations", n), since_days=40) for n in range(3)]
    old_pass = _progress(_first_skill_of("foundations", 3), status="test_passed", passed_days=35)
    assert len(tutorial_loop([*stale, old_pass], NOW)) == 3


def test_two_stale_skills_are_not_yet_a_loop():
    progress = [_progress(_first_skill_of("foundations", n), since_days=30) for n in range(2)]

    assert tutorial_loop(progress, NOW) == []


def test_both_failure_modes_show_in_the_seeds_order():
    progress = [_progress(_first_skill_of(slug), since_days=30) for slug in TRUNKS]

    warnings = failure_warnings(progress, FailureMode.objects.all(), NOW)

    assert [w.slug for w in warnings] == ["tutorial-loop", "trunk-sprawl"]


def test_an_audit_over_six_weeks_old_is_due_again(learner):
    old = Audit(user=learner, saved_at=NOW - timedelta(weeks=6, days=1))
    recent = Audit(user=learner, saved_at=NOW - timedelta(weeks=5))

    assert audit_is_due(old, NOW)
    assert not audit_is_due(recent, NOW)
    assert not audit_is_due(None, NOW)
