"""The 20-week path: which week a start date puts the learner in, and whether they keep pace."""

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Progress
from assessments.path import keeps_pace, path_position, phase_states, phase_trunks
from assessments.progress import record_progress
from curriculum.models import PathPhase, Skill, Track, Trunk
from pages import bump_curriculum
from tests.factories import ProgressFactory


def _trunk(number):
    return SimpleNamespace(number=number)


def _phase(order, start, end, name, trunks=(), in_depth_trunk=False):
    return SimpleNamespace(
        order=order,
        start_week=start,
        end_week=end,
        name=name,
        taught_trunks=[_trunk(number) for number in trunks],
        in_depth_trunk=in_depth_trunk,
    )


PHASES = [
    _phase(1, 1, 3, "Foundations sprint", (1,)),
    _phase(2, 4, 6, "Classical ML", (2,)),
    _phase(3, 7, 9, "Deep learning core", (3,)),
    _phase(4, 10, 12, "Practical engineering", (4,)),
    _phase(5, 13, 16, "Specialize", in_depth_trunk=True),
    _phase(6, 17, 20, "Ship and publish", in_depth_trunk=True),
]
START = date(2026, 1, 5)


def test_no_start_date_is_not_started():
    position = path_position(None, START, PHASES)
    assert position.state == "not_started"
    assert keeps_pace(position, PHASES, [1, 2, 3]) is None


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


def _pace(weeks_in, passed_trunks, depth_trunk=None, days_since_joining=None):
    position = path_position(START, START + timedelta(weeks=weeks_in), PHASES)
    depth = _trunk(depth_trunk) if depth_trunk is not None else None
    return keeps_pace(position, PHASES, passed_trunks, depth, days_since_joining)


def test_in_the_first_phase_nobody_is_behind():
    pace = _pace(1, [])
    assert pace.on_pace
    assert pace.expected == 0
    assert (pace.label, pace.summary) == ("On pace", "No phase is over yet.")


def test_before_the_path_there_is_no_pace():
    position = path_position(START, START - timedelta(days=1), PHASES)
    assert keeps_pace(position, PHASES, [1, 2]) is None


def test_one_test_in_an_unrelated_trunk_does_not_keep_pace():
    pace = _pace(9, [6])
    assert pace.expected == 3
    assert not pace.on_pace
    assert pace.behind_by == 3
    assert pace.label == "Behind"
    assert pace.summary == (
        "3 phases without a skill test passed: Foundations sprint, Classical ML and "
        "Deep learning core."
    )


def test_a_test_in_each_finished_phases_trunk_keeps_pace():
    pace = _pace(9, [3, 1, 2])
    assert pace.on_pace
    assert pace.label == "On pace"
    assert pace.summary == "A skill test passed for each of the 3 phases that are over."


def test_one_finished_phase_with_its_test_names_the_phase():
    assert _pace(4, [1]).summary == "A skill test passed for Foundations sprint."


def test_each_test_counts_for_one_phase_only():
    pace = _pace(9, [1, 1, 1])
    assert pace.behind_by == 2
    assert [phase.name for phase in pace.missing] == ["Classical ML", "Deep learning core"]
    assert pace.summary == (
        "2 phases without a skill test passed: Classical ML and Deep learning core."
    )


def test_the_specialising_phases_need_tests_in_the_target_tracks_depth_trunk():
    after = 30
    assert _pace(after, [1, 2, 3, 4, 3, 3], depth_trunk=3).on_pace
    pace = _pace(after, [1, 2, 3, 4, 3, 6], depth_trunk=3)
    assert pace.behind_by == 1
    assert pace.summary == "1 phase without a skill test passed: Ship and publish."
    assert _pace(after, [1, 2, 3, 4, 6, 6], depth_trunk=3).behind_by == 2


def test_without_a_target_track_the_specialising_phases_take_any_trunk():
    assert _pace(30, [1, 2, 3, 4, 6, 5]).on_pace
    assert _pace(30, [1, 2, 3, 4, 6]).behind_by == 1


def test_phases_with_named_trunks_are_served_before_the_any_trunk_ones():
    # Week 17: phases one to five are over; Specialize must not take the only Foundations test.
    pace = _pace(16, [1, 2, 3, 4, 5])
    assert pace.expected == 5
    assert pace.on_pace


def test_after_the_path_every_phase_needs_a_test():
    pace = _pace(30, [1, 2, 3, 4, 5])
    assert pace.expected == 6
    assert not pace.on_pace
    assert _pace(30, [1, 2, 3, 4, 5, 5]).on_pace


def test_a_newcomer_whose_path_began_weeks_ago_has_three_weeks_grace():
    pace = _pace(5, [], days_since_joining=0)
    assert pace.expected == 1
    assert pace.on_pace
    assert pace.behind_by == 0
    assert pace.grace_days_left == 21
    assert pace.label == "Settling in"
    assert pace.summary == (
        "Pace counts in 21 days: time to record the skill tests you passed before joining."
    )
    assert _pace(5, [], days_since_joining=20).summary.startswith("Pace counts in 1 day:")
    after_grace = _pace(5, [], days_since_joining=21)
    assert not after_grace.on_pace
    assert after_grace.label == "Behind"
    assert after_grace.summary == "1 phase without a skill test passed: Foundations sprint."


def _numbers(trunks):
    return None if trunks is None else [trunk.number for trunk in trunks]


def test_a_phase_without_trunks_takes_a_test_in_any_trunk():
    extra = _phase(7, 21, 22, "Teach it")
    assert phase_trunks(extra) is None
    assert _numbers(phase_trunks(PHASES[4], depth_trunk=_trunk(3))) == [3]
    assert phase_trunks(PHASES[4]) is None
    assert _numbers(phase_trunks(PHASES[1], depth_trunk=_trunk(3))) == [2]


def test_a_phase_a_curator_gives_two_trunks_takes_a_test_in_either():
    both = _phase(1, 1, 3, "Foundations sprint", (1, 2))
    position = path_position(START, START + timedelta(weeks=4), [both])
    assert keeps_pace(position, [both], [2]).on_pace
    assert not keeps_pace(position, [both], [3]).on_pace


# "Finished" on the path: the same rule as the pace


def _states(weeks_in, passed_trunks, days_since_joining=None):
    position = path_position(START, START + timedelta(weeks=weeks_in), PHASES)
    pace = keeps_pace(position, PHASES, passed_trunks, None, days_since_joining)
    return [(state.phase.order, state.state) for state in phase_states(position, pace, PHASES)]


def test_a_phase_whose_weeks_are_over_without_a_test_is_not_finished():
    assert _states(4, [])[:2] == [(1, "no_test"), (2, "current")]


def test_a_phase_whose_weeks_are_over_with_its_test_is_finished():
    assert _states(4, [1])[:3] == [(1, "finished"), (2, "current"), (3, "ahead")]


def test_a_test_in_another_trunk_does_not_finish_a_phase():
    assert _states(4, [6])[0] == (1, "no_test")


def test_during_the_grace_weeks_a_phase_without_a_test_is_still_not_finished():
    assert _states(4, [], days_since_joining=0)[0] == (1, "no_test")


def test_before_the_path_begins_every_phase_is_ahead():
    position = path_position(START, START - timedelta(days=2), PHASES)
    states = phase_states(position, None, PHASES)
    assert {state.state for state in states} == {"ahead"}
    assert [state.label for state in states] == [""] * len(PHASES)


@pytest.mark.django_db
def test_the_seeded_phases_teach_the_first_four_trunks_then_the_depth_trunk():
    """The data migration's mapping, which curators then edit on each phase."""
    mapping = [
        (phase.name, [trunk.name for trunk in phase.taught_trunks], phase.in_depth_trunk)
        for phase in PathPhase.objects.all()
    ]
    assert mapping == [
        ("Foundations sprint", ["Foundations"], False),
        ("Classical ML", ["ML fundamentals"], False),
        ("Deep learning core", ["Deep learning"], False),
        ("Practical engineering", ["Practical AI engineering"], False),
        ("Specialize", [], True),
        ("Ship and publish", [], True),
    ]


@pytest.mark.django_db
def test_a_curators_mapping_is_what_the_pace_follows(client, learner, today):
    _joined(learner, 90)
    learner.path_started_on = today - timedelta(weeks=4)
    learner.save()
    _pass_tests(learner, Skill.objects.filter(trunk__number=6).first().slug)
    client.force_login(learner)
    assert "Foundations sprint" in _pace_line(client.get(_path_url()).content.decode())
    PathPhase.objects.get(order=1).trunks.add(Trunk.objects.get(number=6))
    bump_curriculum()  # what the admin's save does
    html = client.get(_path_url()).content.decode()
    assert "Behind" not in _pace_line(html)
    assert "A skill test passed for Foundations sprint." in html


def _pace_line(html):
    return re.search(r'class="path-summary__pace">(.*?)</p>', html, re.S).group(1)


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


def _pass_tests(learner, *slugs):
    for slug in slugs:
        record_progress(
            learner,
            Skill.objects.get(slug=slug),
            Progress.Status.TEST_PASSED,
            evidence_url=f"https://example.com/{slug}",
        )


def _joined(learner, days_ago):
    learner.date_joined = timezone.now() - timedelta(days=days_ago)
    learner.save()


@pytest.mark.django_db
def test_the_page_says_when_the_learner_is_behind(client, learner, today):
    _joined(learner, 90)
    learner.path_started_on = today - timedelta(weeks=9)
    learner.save()
    _pass_tests(learner, "linear-algebra")
    client.force_login(learner)
    html = client.get(_path_url()).content.decode()
    assert "Week 10 of 20" in html
    assert "2 phases without a skill test passed: Classical ML and Deep learning core." in html
    assert "a phase is finished once its weeks are over and one skill test you passed" in html


@pytest.mark.django_db
def test_one_passed_test_in_an_unrelated_trunk_is_behind_not_on_pace(client, learner, today):
    _joined(learner, 90)
    learner.path_started_on = today - timedelta(weeks=5)
    learner.save()
    safety = Skill.objects.filter(trunk__number=6).first()
    _pass_tests(learner, safety.slug)
    client.force_login(learner)
    html = client.get(_path_url()).content.decode()
    assert "Week 6 of 20" in html
    assert "1 phase without a skill test passed: Foundations sprint." in html
    assert "On pace" not in html


@pytest.mark.django_db
def test_a_new_learner_whose_path_began_five_weeks_ago_is_settling_in_not_behind(
    client, learner, today
):
    client.force_login(learner)
    started = today - timedelta(weeks=5)
    html = client.post(_path_url(), {"started_on": started.isoformat()}, follow=True)
    html = html.content.decode()
    assert "Week 6 of 20" in html
    assert '<span class="tag tag--accent">Settling in</span> Pace counts in 21 days:' in html
    assert "On pace" not in html
    assert "Behind" not in html
    assert "card--warn" not in html


@pytest.mark.django_db
def test_the_dashboard_judges_the_specialising_phases_by_the_target_tracks_depth_trunk(
    client, learner, today
):
    learner.target_track = Track.objects.get(slug="research-scientist")  # deep in trunk 3
    learner.path_started_on = today - timedelta(weeks=25)
    learner.save()
    _joined(learner, 200)
    depth = Skill.objects.filter(trunk__number=3).order_by("pk")
    safety = Skill.objects.filter(trunk__number=6).order_by("pk")
    _pass_tests(
        learner,
        "linear-algebra",
        Skill.objects.filter(trunk__number=2).first().slug,
        depth[0].slug,
        Skill.objects.filter(trunk__number=4).first().slug,
        safety[0].slug,
        safety[1].slug,
    )
    client.force_login(learner)

    dashboard = client.get(reverse("assessments:dashboard")).content.decode()
    assert "2 phases without a skill test passed: Specialize and Ship and publish." in dashboard

    _pass_tests(learner, depth[1].slug, depth[2].slug)
    dashboard = client.get(reverse("assessments:dashboard")).content.decode()
    assert "A skill test passed for each of the 6 phases that are over." in dashboard
    path_page = client.get(_path_url()).content.decode()
    assert "A skill test passed for each of the 6 phases that are over." in path_page


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
    assert response["Location"].startswith(reverse("account_login") + "?next=")


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
    # the session, its user, whether they lead (the nav), tests passed, and the phases with
    # what they teach (phases, their trunks, the trunks' skills, their free resources)
    with django_assert_num_queries(8):
        assert client.get(_path_url()).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("passed", [0, 12])
def test_with_a_target_track_the_path_page_adds_one_query_for_its_depth_trunk(
    client, learner, today, django_assert_num_queries, passed
):
    learner.target_track = Track.objects.get(slug="research-scientist")
    learner.path_started_on = today - timedelta(weeks=6)
    learner.save()
    for skill in Skill.objects.all()[:passed]:
        Progress.objects.create(
            user=learner, skill=skill, status="test_passed", evidence_url="https://e.com"
        )
    client.force_login(learner)
    # the session, its user, whether they lead (the nav), tests passed, the phases with what
    # they teach (4), and the target track's depth trunk with its skills and free resources (3)
    with django_assert_num_queries(11):
        assert client.get(_path_url()).status_code == 200


@pytest.mark.django_db
def test_the_public_path_page_shows_where_the_learner_is(client, learner, today):
    learner.path_started_on = today - timedelta(weeks=1)
    learner.save()
    client.force_login(learner)
    html = client.get(reverse("curriculum:path")).content.decode()
    assert "Week 2 of 20" in html
    assert "Weeks 1-3: Foundations sprint" in html
    assert '<span class="tag tag--accent">Settling in</span> Pace counts in 21 days:' in html
    assert "On pace" not in html


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
    # the session, its user, whether they lead (the nav), the page's 3 (phases, failure modes,
    # passages), then tests passed for the learner's position; the phases come from the cache
    # the page just filled, with their trunks, the trunks' skills and free resources (3 more)
    with django_assert_num_queries(10):
        assert client.get(reverse("curriculum:path")).status_code == 200


@pytest.mark.django_db
def test_the_phase_list_marks_the_current_phase_and_the_one_over_without_a_test(
    client, learner, today
):
    learner.path_started_on = today - timedelta(weeks=4)
    learner.save()
    client.force_login(learner)
    html = client.get(_path_url()).content.decode()
    current = re.search(
        r'aria-current="step">.*?<h3 class="path-phase__name">(.*?)</h3>', html, re.S
    )
    assert current.group(1) == "Classical ML"
    assert html.count('<span class="tag tag--warn">Weeks over, no test yet</span>') == 1
    assert ">Finished</span>" not in html


def test_each_phase_carries_the_trunks_its_test_may_be_in():
    position = path_position(START, START + timedelta(weeks=4), PHASES)
    depth = _trunk(3)
    states = phase_states(position, keeps_pace(position, PHASES, [], depth), PHASES, depth)
    assert _numbers(states[0].trunks) == [1]
    assert _numbers(states[4].trunks) == [3]
    assert phase_states(position, None, PHASES)[4].trunks is None
