from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.gaps import tracks_for_fit
from assessments.models import Audit, Progress, SkillNote
from assessments.standing import standing_for
from assessments.warnings import (
    FOUNDATION_TRUNKS,
    HYPE_AGE,
    HYPE_SKILLS,
    LOW_RATING,
    NEGLECTED_FOUNDATIONS,
    audit_is_due,
    failure_warnings,
    hype_substituting,
    hype_substitution,
    is_hype_substitution,
    needed_foundations,
    trunk_sprawl,
    tutorial_loop,
    worked_on_lately,
)
from curriculum.models import FailureMode, Skill, Track
from tests.factories import (
    AuditFactory,
    learner_aiming_at,
    learner_chasing_hype,
    make_cohort,
    make_lead,
)

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


# Hype substitution: effort on practical and frontier skills, foundations at 1–2 left alone.


def _skills():
    return list(Skill.objects.current().select_related("trunk"))


def _of_trunk(number, count):
    return [s for s in _skills() if s.trunk.number == number][:count]


def _track(name):
    return next(t for t in tracks_for_fit() if t.name == name)


def _low_foundations():
    return {s.pk: LOW_RATING for s in _skills() if s.trunk.number in FOUNDATION_TRUNKS}


@pytest.mark.parametrize(
    "hype_worked,foundations_worked,neglected,expected",
    [
        (HYPE_SKILLS, 0, NEGLECTED_FOUNDATIONS, True),
        (HYPE_SKILLS - 1, 0, NEGLECTED_FOUNDATIONS, False),
        (HYPE_SKILLS, 1, NEGLECTED_FOUNDATIONS, False),
        (HYPE_SKILLS, 0, NEGLECTED_FOUNDATIONS - 1, False),
        (HYPE_SKILLS + 5, 0, NEGLECTED_FOUNDATIONS + 5, True),
    ],
)
def test_hype_substitution_needs_hype_effort_no_foundation_effort_and_neglected_foundations(
    hype_worked, foundations_worked, neglected, expected
):
    assert is_hype_substitution(hype_worked, foundations_worked, neglected) is expected


def test_effort_is_learning_started_a_test_passed_notes_or_a_rating_rise_within_four_weeks():
    a, b, c, d, e = _of_trunk(4, 5)
    inside, outside = NOW - HYPE_AGE, NOW - HYPE_AGE - timedelta(seconds=1)
    progress = [
        Progress(skill=a, status="learning", learning_since=inside),
        Progress(skill=b, status="test_passed", learning_since=outside, passed_at=inside),
        Progress(skill=c, status="learning", learning_since=outside),
    ]
    notes = [(d.pk, inside), (c.pk, outside)]

    worked = worked_on_lately(progress, notes, {e.pk: 3}, {e.pk: 2}, inside, NOW)

    assert worked == {a.pk, b.pk, d.pk, e.pk}


def test_a_rating_rise_counts_only_in_an_audit_saved_lately_and_a_fall_never():
    rose, fell, new = _of_trunk(3, 3)
    ratings, before = {rose.pk: 4, fell.pk: 2, new.pk: 5}, {rose.pk: 2, fell.pk: 3}
    old = NOW - HYPE_AGE - timedelta(days=1)

    assert worked_on_lately([], [], ratings, before, NOW, NOW) == {rose.pk}
    assert worked_on_lately([], [], ratings, before, old, NOW) == set()
    assert worked_on_lately([], [], ratings, {}, None, NOW) == set()


def test_the_foundations_a_track_needs_are_its_foundation_trunks():
    assert needed_foundations(_track("Research Scientist")) == {1, 2}
    assert needed_foundations(_track("Applied and Product ML")) == {2}
    assert needed_foundations(_track("Field-building and Comms")) == set()
    assert needed_foundations(None) == set(FOUNDATION_TRUNKS)


def test_three_practical_skills_worked_on_while_foundations_sit_at_two_is_hype_substitution():
    worked = {s.pk for s in _of_trunk(4, HYPE_SKILLS)}

    finding = hype_substitution(_skills(), worked, _low_foundations(), _track("Research Scientist"))

    assert {s.pk for s in finding.worked} == worked
    assert {s.trunk.number for s in finding.neglected} == {1, 2}
    (warning,) = failure_warnings([], FailureMode.objects.all(), NOW, hype=finding)
    assert warning.name == "hype substitution"
    assert warning.quote == (
        "Spending time on the model release of the week instead of fundamentals that compound. "
        "Models change every six months; matrix multiplication does not. The honest move is to "
        "read fewer announcements and finish more projects."
    )
    assert f"{HYPE_SKILLS} skills of Practical AI engineering" in warning.finding
    assert warning.items == finding.neglected


def test_foundations_rated_three_or_unrated_or_worked_on_are_not_neglected():
    hype = {s.pk for s in _of_trunk(4, HYPE_SKILLS)}
    rated_three = dict.fromkeys(_low_foundations(), LOW_RATING + 1)
    track = _track("Research Scientist")

    assert hype_substitution(_skills(), hype, rated_three, track) is None
    assert hype_substitution(_skills(), hype, {}, track) is None
    one_foundation = _of_trunk(1, 1)[0].pk
    assert hype_substitution(_skills(), hype | {one_foundation}, _low_foundations(), track) is None


def test_a_track_needing_no_foundations_never_shows_hype_substitution():
    hype = {s.pk for s in _of_trunk(4, HYPE_SKILLS)}
    track = _track("Field-building and Comms")

    assert hype_substitution(_skills(), hype, _low_foundations(), track) is None


def test_effort_in_other_trunks_is_not_hype():
    elsewhere = {s.pk for s in _of_trunk(5, 3) + _of_trunk(6, 3)}
    track = _track("Research Scientist")

    assert hype_substitution(_skills(), elsewhere, _low_foundations(), track) is None


def test_the_cohorts_sql_finds_the_same_learners_as_the_learners_own_rule():
    chasing = learner_chasing_hype(username="hype")
    steady = learner_chasing_hype(username="steady")
    SkillNote.objects.create(user=steady, skill=_of_trunk(2, 1)[0], text="Working through it.")
    rising = learner_aiming_at(Track.objects.get(name="Research Scientist"), username="rising")
    practical = _of_trunk(4, HYPE_SKILLS)
    AuditFactory(
        user=rising,
        days_ago=40,
        ratings={**_low_foundations_by_skill(), **dict.fromkeys(practical, 1)},
    )
    AuditFactory(
        user=rising,
        days_ago=2,
        ratings={**_low_foundations_by_skill(), **dict.fromkeys(practical, 3)},
    )
    members = [
        (user.pk, user.target_track_id, Audit.objects.latest_full().filter(user=user).first().pk)
        for user in (chasing, steady, rising)
    ]

    found = hype_substituting(members, _skills(), list(tracks_for_fit()), timezone.now())

    assert found == {chasing.pk, rising.pk}
    for user in (chasing, steady, rising):
        shown = [w.slug for w in standing_for(user).warnings]
        assert ("hype-substitution" in shown) is (user.pk in found)


def _low_foundations_by_skill():
    return {s: LOW_RATING for s in _skills() if s.trunk.number in FOUNDATION_TRUNKS}


def test_the_dashboard_warns_of_hype_substitution_in_the_seeds_words(client):
    chasing = learner_chasing_hype()
    client.force_login(chasing)

    page = client.get(reverse("assessments:dashboard")).content.decode()

    assert "Hype substitution" in page
    assert "matrix multiplication does not." in page
    assert "Foundations waiting:" in page
    assert "Linear algebra" in page.split("Foundations waiting:")[1]


def test_the_leads_heatmap_and_learner_page_show_hype_substitution_like_stuck(client):
    lead = make_lead()
    chasing = learner_chasing_hype(username="hiro", display_name="Hiro")
    calm = learner_aiming_at(username="calm", display_name="Calm")
    cohort = make_cohort(lead, members=[chasing, calm])
    client.force_login(lead)

    heatmap = client.get(cohort.get_absolute_url()).content.decode()
    rows = {
        row.split("</a>")[0].rsplit(">", 1)[1]: row
        for row in heatmap.split('<tr><th scope="row">')[1:]
    }
    learner_page = client.get(
        reverse("cohorts:cohort_learner", args=[cohort.pk, chasing.pk])
    ).content.decode()

    assert '<b class="tag tag--danger">hype substitution</b>' in rows["Hiro"]
    assert "hype substitution" not in rows["Calm"]
    assert "Hype substitution" in learner_page and "Foundations waiting:" in learner_page
