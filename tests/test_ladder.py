"""The ladder: a learner's level from the signals they tick."""

from types import SimpleNamespace

import pytest

from assessments.ladder import ladder_level, ladder_standing
from assessments.models import SignalTick
from curriculum.models import LadderLevel


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
def test_a_users_ticks_on_the_seeded_ladder_give_their_level(django_user_model):
    learner = django_user_model.objects.create_user(username="ada", password="x-long-pass-42")
    levels = list(LadderLevel.objects.prefetch_related("signals"))
    first, second = levels[0], levels[1]
    for signal in [*first.signals.all(), *second.signals.all()]:
        SignalTick.objects.create(user=learner, signal=signal)
    assert ladder_level(learner, levels) == 2
    assert ladder_level(SignalTick.objects.filter(user=learner), levels) == 2
