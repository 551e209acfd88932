"""The ladder: a learner's level from the signals they tick."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from assessments.ladder import ladder_level, ladder_standing
from assessments.models import SignalTick
from curriculum.models import LadderLevel
from tests.factories import SignalTickFactory


class _Signals:
    def __init__(self, ids):
        self._signals = [SimpleNamespace(pk=pk) for pk in ids]

    def all(self):
        return self._signals


def _level(number, signal_ids):
    return SimpleNamespace(number=number, name=f"Rung {number}", signals=_Signals(signal_ids))


LADDER = [
    _level(1, [11, 12, 13]),
    _level(2, [21, 22, 23]),
    _level(3, [31, 32, 33]),
    _level(4, [41, 42, 43]),
]


def test_no_ticks_is_level_zero():
    assert ladder_level(set(), LADDER) == 0


def test_all_signals_of_level_one_reach_level_one():
    assert ladder_level({11, 12, 13}, LADDER) == 1


def test_a_missing_signal_keeps_the_level_below():
    assert ladder_level({11, 12, 13, 21, 22}, LADDER) == 1


def test_a_higher_level_does_not_count_while_a_lower_one_has_a_gap():
    everything_but_one = {11, 12, 21, 22, 23, 31, 32, 33}
    assert ladder_level(everything_but_one, LADDER) == 0


def test_every_signal_ticked_reaches_the_top():
    every_signal = {s.pk for level in LADDER for s in level.signals.all()}
    assert ladder_level(every_signal, LADDER) == 4


def test_levels_are_climbed_in_number_order_whatever_order_they_come_in():
    assert ladder_level({11, 12, 13, 21, 22, 23}, list(reversed(LADDER))) == 2


def test_a_level_without_signals_stops_the_climb():
    ladder = [_level(1, [11]), _level(2, []), _level(3, [31])]
    assert ladder_level({11, 31}, ladder) == 1


def test_standing_names_the_level_and_the_next_one():
    standing = ladder_standing({11, 12, 13, 21}, LADDER)
    assert standing.number == 1
    assert standing.label == "Level 1: Rung 1"
    assert standing.next_level.number == 2
    assert [row.ticked_count for row in standing.levels] == [3, 1, 0, 0]
    assert [row.reached for row in standing.levels] == [True, False, False, False]


def test_standing_says_not_yet_on_the_ladder_at_level_zero():
    standing = ladder_standing({21, 22, 23}, LADDER)
    assert standing.number == 0
    assert standing.level is None
    assert standing.label == "Level 0 — not yet on the ladder"
    assert standing.next_level.number == 1


@pytest.mark.django_db
def test_a_users_ticks_on_the_seeded_ladder_give_their_level(learner):
    levels = list(LadderLevel.objects.prefetch_related("signals"))
    first, second = levels[0], levels[1]
    for signal in [*first.signals.all(), *second.signals.all()]:
        SignalTickFactory(user=learner, signal=signal)
    assert ladder_level(learner, levels) == 2
    assert ladder_level(SignalTick.objects.filter(user=learner), levels) == 2


# The learner's ladder page


def _ladder_url():
    return reverse("assessments:my_ladder")


def _signal_ids(level_number):
    return list(LadderLevel.objects.get(number=level_number).signals.values_list("pk", flat=True))


def _tick_level(user, level_number):
    for signal in LadderLevel.objects.get(number=level_number).signals.all():
        SignalTickFactory(user=user, signal=signal)


def _ticks(user):
    return sorted(SignalTick.objects.filter(user=user).values_list("signal_id", flat=True))


@pytest.mark.django_db
def test_the_ladder_page_lists_every_signal_as_a_checkbox(client, learner):
    client.force_login(learner)
    html = client.get(_ladder_url()).content.decode()
    assert html.count('type="checkbox" name="signals"') == 12
    assert "You are at Level 0 — not yet on the ladder" in html


@pytest.mark.django_db
def test_ticking_all_of_level_one_puts_the_learner_on_level_one(client, learner):
    client.force_login(learner)
    response = client.post(_ladder_url(), {"signals": _signal_ids(1)}, follow=True)
    assert _ticks(learner) == sorted(_signal_ids(1))
    html = response.content.decode()
    assert "Saved your signals. You are at Level 1: Prompt Craft." in html
    assert html.count(" checked>") == 3


@pytest.mark.django_db
def test_level_two_signals_without_level_one_stay_at_level_zero(client, learner):
    client.force_login(learner)
    response = client.post(_ladder_url(), {"signals": _signal_ids(2)}, follow=True)
    assert "You are at Level 0 — not yet on the ladder" in response.content.decode()


@pytest.mark.django_db
def test_unticking_removes_the_tick_and_the_level(client, learner):
    client.force_login(learner)
    client.post(_ladder_url(), {"signals": _signal_ids(1) + _signal_ids(2)})
    response = client.post(_ladder_url(), {"signals": _signal_ids(1)[:2]}, follow=True)
    assert len(_ticks(learner)) == 2
    assert "You are at Level 0" in response.content.decode()


@pytest.mark.django_db
def test_posting_the_same_ticks_twice_keeps_one_row_each(client, learner):
    client.force_login(learner)
    for _ in range(2):
        client.post(_ladder_url(), {"signals": _signal_ids(1)})
    assert SignalTick.objects.filter(user=learner).count() == 3


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["999999", "x", "-1", "9" * 20, "1" * 19])
def test_an_unknown_signal_is_refused_and_nothing_changes(client, learner, bad):
    client.force_login(learner)
    SignalTickFactory(user=learner, signal=LadderLevel.objects.get(number=1).signals.first())
    before = _ticks(learner)
    response = client.post(_ladder_url(), {"signals": [*_signal_ids(1), bad]})
    assert response.status_code == 400
    assert "That signal is not on the ladder. Nothing was saved." in response.content.decode()
    assert _ticks(learner) == before


@pytest.mark.django_db
def test_ticks_are_the_learners_own(client, learner, other_learner):
    other = other_learner
    _tick_level(other, 1)
    client.force_login(learner)
    html = client.get(_ladder_url()).content.decode()
    assert " checked>" not in html
    client.post(_ladder_url(), {"signals": []})
    assert len(_ticks(other)) == 3


@pytest.mark.django_db
def test_htmx_save_returns_the_form_fragment(client, learner):
    client.force_login(learner)
    response = client.post(_ladder_url(), {"signals": _signal_ids(1)}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert '<section id="ladder-form"' in html
    assert "<html" not in html
    assert "You are at Level 1: Prompt Craft" in html


@pytest.mark.django_db
def test_anonymous_post_to_the_ladder_redirects_to_login(client):
    response = client.post(_ladder_url(), {"signals": _signal_ids(1)})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")
    assert not SignalTick.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("ticked_levels", [0, 4])
def test_the_ladder_page_runs_a_fixed_number_of_queries(
    client, learner, django_assert_num_queries, ticked_levels
):
    for number in range(1, ticked_levels + 1):
        _tick_level(learner, number)
    client.force_login(learner)
    # the session, its user, whether they lead (the nav), levels, their signals, the learner's ticks
    with django_assert_num_queries(6):
        response = client.get(_ladder_url())
    assert response.status_code == 200


@pytest.mark.django_db
def test_the_public_ladder_page_shows_the_learners_level(client, learner):
    _tick_level(learner, 1)
    client.force_login(learner)
    html = client.get(reverse("curriculum:ladder")).content.decode()
    assert "Level 1: Prompt Craft" in html
    assert "Next: Level 2, Automation &amp; Orchestration (0 of 3 signals ticked)." in html
    assert f'href="{_ladder_url()}"' in html


@pytest.mark.django_db
def test_visitors_see_the_public_ladder_with_a_sign_up_prompt(client):
    html = client.get(reverse("curriculum:ladder")).content.decode()
    assert "to tick the signals you have and see your level on the ladder." in html
    assert "Your ladder level" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("ticked_levels", [0, 4])
def test_the_public_ladder_signed_in_runs_a_fixed_number_of_queries(
    client, learner, django_assert_num_queries, ticked_levels
):
    for number in range(1, ticked_levels + 1):
        _tick_level(learner, number)
    client.force_login(learner)
    # the session, its user, whether they lead (the nav), the page's 3 (levels, signals,
    # passages), then the learner's ticks; the learner's level reads the levels from the cache
    # the page just filled
    with django_assert_num_queries(7):
        assert client.get(reverse("curriculum:ladder")).status_code == 200
