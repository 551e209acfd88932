"""The 20-week path: which week a start date puts the learner in, and whether they keep pace."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from assessments.path import keeps_pace, path_position
from curriculum.models import PathPhase


def _phase(start, end, name):
    return SimpleNamespace(start_week=start, end_week=end, name=name)


PHASES = [
    _phase(1, 3, "Foundations sprint"),
    _phase(4, 6, "Classical ML"),
    _phase(7, 9, "Deep learning core"),
    _phase(10, 12, "Practical engineering"),
    _phase(13, 16, "Specialize"),
    _phase(17, 20, "Ship and publish"),
]
START = date(2026, 1, 5)


def test_no_start_date_is_not_started():
    position = path_position(None, START, PHASES)
    assert position.state == "not_started"
    assert keeps_pace(position, 3) is None


def test_a_start_date_in_the_future_is_before_week_one():
    position = path_position(START, START - timedelta(days=3), PHASES)
    assert position.state == "before"
    assert position.days_until_start == 3
    assert position.week is None
    assert position.summary == "Your path starts in 3 days."


def test_the_start_day_is_day_one_of_week_one_in_the_first_phase():
    position = path_position(START, START, PHASES)
    assert (position.state, position.week, position.day) == ("during", 1, 1)
    assert position.phase.name == "Foundations sprint"
    assert position.phases_completed == 0


def test_day_seven_is_still_week_one_and_day_eight_is_week_two():
    assert path_position(START, START + timedelta(days=6), PHASES).week == 1
    assert path_position(START, START + timedelta(days=7), PHASES).week == 2


def test_week_four_is_in_the_second_phase_with_one_phase_completed():
    position = path_position(START, START + timedelta(weeks=3), PHASES)
    assert position.week == 4
    assert position.phase.name == "Classical ML"
    assert position.phases_completed == 1


def test_the_last_day_of_week_twenty_is_still_on_the_path():
    position = path_position(START, START + timedelta(days=20 * 7 - 1), PHASES)
    assert (position.state, position.week) == ("during", 20)
    assert position.phase.name == "Ship and publish"
    assert position.phases_completed == 5


def test_week_twenty_one_is_after_the_path_with_every_phase_completed():
    position = path_position(START, START + timedelta(weeks=20), PHASES)
    assert position.state == "after"
    assert position.phase is None
    assert position.phases_completed == 6
    assert position.summary == "You have finished the 20 weeks of the path."


def test_in_the_first_phase_nobody_is_behind():
    pace = keeps_pace(path_position(START, START + timedelta(days=10), PHASES), 0)
    assert pace.on_pace
    assert pace.expected == 0


def test_fewer_tests_passed_than_phases_finished_is_behind():
    position = path_position(START, START + timedelta(weeks=9), PHASES)
    assert position.week == 10
    assert position.phases_completed == 3
    pace = keeps_pace(position, 1)
    assert not pace.on_pace
    assert pace.behind_by == 2
    assert pace.summary == "Behind by 2: 3 phases finished, 1 skill test passed."


def test_as_many_tests_passed_as_phases_finished_keeps_pace():
    pace = keeps_pace(path_position(START, START + timedelta(weeks=9), PHASES), 3)
    assert pace.on_pace
    assert pace.summary == "On pace: 3 phases finished, 3 skill tests passed."


def test_after_the_path_every_phase_needs_a_test():
    position = path_position(START, START + timedelta(weeks=30), PHASES)
    assert not keeps_pace(position, 5).on_pace
    assert keeps_pace(position, 6).on_pace


def test_without_phases_the_path_still_lasts_twenty_weeks():
    assert path_position(START, START + timedelta(weeks=19), ()).state == "during"
    assert path_position(START, START + timedelta(weeks=20), ()).state == "after"


@pytest.mark.django_db
def test_the_seeded_phases_cover_every_week_of_the_path():
    phases = list(PathPhase.objects.all())
    for week in range(1, 21):
        position = path_position(START, START + timedelta(weeks=week - 1), phases)
        assert position.phase is not None, week
    assert path_position(START, START + timedelta(weeks=12), phases).phase.name == "Specialize"
