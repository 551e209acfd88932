"""The 20-week path: which week a start date puts the learner in, and whether they keep pace."""

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.path import keeps_pace, path_position
from curriculum.models import PathPhase, Skill
from tests.factories import ProgressFactory


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


# The learner's path page


def _path_url():
    return reverse("assessments:my_path")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.mark.django_db
def test_without_a_start_date_the_page_asks_for_one(client, learner):
    client.force_login(learner)
    html = client.get(_path_url()).content.decode()
    assert "You have not set the day you started the path yet." in html
    assert 'type="date" name="started_on"' in html


@pytest.mark.django_db
def test_setting_the_start_date_shows_the_week_phase_and_end_state(client, learner, today):
    client.force_login(learner)
    started = today - timedelta(weeks=4, days=2)
    response = client.post(_path_url(), {"started_on": started.isoformat()}, follow=True)
    learner.refresh_from_db()
    assert learner.path_started_on == started
    html = response.content.decode()
    assert "Week 5 of 20" in html
    assert "Weeks 4-6: Classical ML" in html
    assert "you can produce honest held-out metrics on a real dataset." in html


@pytest.mark.django_db
def test_the_page_says_when_the_learner_is_behind(client, learner, today):
    learner.path_started_on = today - timedelta(weeks=9)
    learner.save()
    ProgressFactory(user=learner, passed=True)
    client.force_login(learner)
    html = client.get(_path_url()).content.decode()
    assert "Week 10 of 20" in html
    assert "Behind by 2: 3 phases finished, 1 skill test passed." in html
    assert "one skill test passed for every phase you have finished" in html


@pytest.mark.django_db
def test_after_twenty_weeks_the_page_says_the_path_is_done(client, learner, today):
    learner.path_started_on = today - timedelta(weeks=25)
    learner.save()
    client.force_login(learner)
    html = client.get(_path_url()).content.decode()
    assert "You have finished the 20 weeks of the path." in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("tomorrow", "Enter the day you started as a date"),
        ("2026-02-30", "Enter the day you started as a date"),
        ("", "Enter the day you started, as a date."),
        ("1900-01-01", "That is more than 5 years ago."),
    ],
)
def test_a_bad_start_date_is_refused_and_nothing_changes(client, learner, value, message):
    learner.path_started_on = date(2026, 1, 5)
    learner.save()
    client.force_login(learner)
    response = client.post(_path_url(), {"started_on": value})
    assert response.status_code == 400
    assert message in response.content.decode()
    learner.refresh_from_db()
    assert learner.path_started_on == date(2026, 1, 5)


@pytest.mark.django_db
def test_a_start_date_in_the_future_is_refused(client, learner, today):
    client.force_login(learner)
    response = client.post(_path_url(), {"started_on": (today + timedelta(days=1)).isoformat()})
    assert response.status_code == 400
    assert "That date is in the future." in response.content.decode()
    learner.refresh_from_db()
    assert learner.path_started_on is None


@pytest.mark.django_db
def test_today_is_a_valid_start_date(client, learner, today):
    client.force_login(learner)
    response = client.post(_path_url(), {"started_on": today.isoformat()}, follow=True)
    assert "Week 1 of 20" in response.content.decode()


@pytest.mark.django_db
def test_clearing_the_start_date(client, learner, today):
    learner.path_started_on = today
    learner.save()
    client.force_login(learner)
    client.post(_path_url(), {"clear": "1"})
    learner.refresh_from_db()
    assert learner.path_started_on is None


@pytest.mark.django_db
def test_setting_the_date_changes_only_the_learners_own_account(
    client, learner, other_learner, today
):
    other = other_learner
    client.force_login(learner)
    client.post(_path_url(), {"started_on": today.isoformat()})
    other.refresh_from_db()
    assert other.path_started_on is None


@pytest.mark.django_db
def test_anonymous_post_to_the_path_redirects_to_login(client):
    response = client.post(_path_url(), {"started_on": "2026-01-05"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.django_db
@pytest.mark.parametrize("passed", [0, 12])
def test_the_path_page_runs_a_fixed_number_of_queries(
    client, learner, today, django_assert_num_queries, passed
):
    learner.path_started_on = today - timedelta(weeks=6)
    learner.save()
    for skill in Skill.objects.all()[:passed]:
        ProgressFactory(user=learner, skill=skill, passed=True)
    client.force_login(learner)
    # session, user, phases, tests passed
    with django_assert_num_queries(4):
        assert client.get(_path_url()).status_code == 200


@pytest.mark.django_db
def test_the_public_path_page_shows_where_the_learner_is(client, learner, today):
    learner.path_started_on = today - timedelta(weeks=1)
    learner.save()
    client.force_login(learner)
    html = client.get(reverse("curriculum:path")).content.decode()
    assert "Week 2 of 20" in html
    assert "Weeks 1-3: Foundations sprint" in html
    assert "On pace: 0 phases finished, 0 skill tests passed." in html


@pytest.mark.django_db
def test_visitors_see_the_public_path_with_a_sign_up_prompt(client):
    html = client.get(reverse("curriculum:path")).content.decode()
    assert "to set the day you started and see which week you are in" in html
    assert "Where you are on the path" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("passed", [0, 12])
def test_the_public_path_signed_in_runs_a_fixed_number_of_queries(
    client, learner, today, django_assert_num_queries, passed
):
    learner.path_started_on = today - timedelta(weeks=6)
    learner.save()
    for skill in Skill.objects.all()[:passed]:
        ProgressFactory(user=learner, skill=skill, passed=True)
    client.force_login(learner)
    # session, user, the page's 3, then phases and tests passed for the learner's position
    with django_assert_num_queries(7):
        assert client.get(reverse("curriculum:path")).status_code == 200


@pytest.mark.django_db
def test_the_phase_list_marks_the_current_phase_and_the_finished_ones(client, learner, today):
    learner.path_started_on = today - timedelta(weeks=4)
    learner.save()
    client.force_login(learner)
    html = client.get(_path_url()).content.decode()
    current = re.search(
        r'aria-current="step">.*?<h3 class="path-phase__name">(.*?)</h3>', html, re.S
    )
    assert current.group(1) == "Classical ML"
    assert html.count('<span class="tag">Finished</span>') == 1
