"""Where a learner stands on the ladder of seed 002, from the signals they ticked; saving those ticks."""

from dataclasses import dataclass, field

from django.db import transaction

from assessments.models import SignalTick
from pages import bump_learner


def _ticked_ids(user_or_ticks):
    if hasattr(user_or_ticks, "signal_ticks"):
        return set(user_or_ticks.signal_ticks.values_list("signal_id", flat=True))
    return {getattr(tick, "signal_id", tick) for tick in user_or_ticks}


def _signal_ids(level):
    return {signal.pk for signal in level.signals.all()}


def ladder_level(user_or_ticks, levels):
    """The number of the highest level the learner has reached, or 0 when none.

    A level is reached when every one of its signals is ticked and every lower level is reached
    too: the ladder is climbed rung by rung, so ticking all of level 3 with a gap in level 1
    leaves the learner at level 0. A level with no signals has nothing to show and stops the climb.

    `user_or_ticks` is a user (their ticks are read in one query) or an iterable of ticked
    LadderSignal ids or SignalTick rows. `levels` are LadderLevel rows with their signals
    prefetched (`LadderLevel.objects.with_current_signals()`), in any order.
    """
    ticked = _ticked_ids(user_or_ticks)
    reached = 0
    for level in sorted(levels, key=lambda level: level.number):
        needed = _signal_ids(level)
        if not needed or not needed <= ticked:
            break
        reached = level.number
    return reached


@dataclass(frozen=True)
class LevelProgress:
    level: object
    signals: list
    ticked: set = field(default_factory=set)
    reached: bool = False

    @property
    def ticked_count(self):
        return len(self.ticked)

    @property
    def total(self):
        return len(self.signals)


@dataclass(frozen=True)
class LadderStanding:
    """The learner's level with, level by level, which signals they have ticked."""

    number: int
    level: object
    next_level: object
    levels: list

    @property
    def label(self):
        if self.level is None:
            return "Level 0 — not yet on the ladder"
        return f"Level {self.level.number}: {self.level.name}"


def ladder_standing(user_or_ticks, levels):
    """`ladder_level` with what a page needs to show it: the level rows and the next one."""
    ticked = _ticked_ids(user_or_ticks)
    levels = sorted(levels, key=lambda level: level.number)
    number = ladder_level(ticked, levels)
    rows = []
    for level in levels:
        signals = list(level.signals.all())
        rows.append(
            LevelProgress(
                level=level,
                signals=signals,
                ticked={s.pk for s in signals if s.pk in ticked},
                reached=0 < level.number <= number,
            )
        )
    current = next((level for level in levels if level.number == number), None)
    upcoming = next((level for level in levels if level.number > number), None)
    return LadderStanding(number=number, level=current, next_level=upcoming, levels=rows)


def record_ticks(user, signals):
    """Save the learner's ticked signals as exactly `signals`: untick the rest, keep the ticks
    (and their dates) already there, add the new ones; all or nothing, two queries."""
    signals = list(signals)
    with transaction.atomic():
        SignalTick.objects.filter(user=user, signal__retired=False).exclude(
            signal__in=signals
        ).delete()
        SignalTick.objects.bulk_create(
            [SignalTick(user=user, signal=signal) for signal in signals], ignore_conflicts=True
        )
        bump_learner(user.pk)
