"""Where a learner is on the 20-week minimum effective dose path, and whether they keep pace."""

from dataclasses import dataclass

PATH_WEEKS = 20


@dataclass(frozen=True)
class PathPosition:
    """Where a start date puts the learner on a given day.

    `state` is one of "not_started" (no start date), "before" (the start date is still to come),
    "during" (weeks 1–20) or "after" (the 20 weeks are over).
    """

    state: str
    week: int | None = None
    day: int | None = None
    phase: object = None
    phases_completed: int = 0
    phases_total: int = 0
    weeks_total: int = PATH_WEEKS
    days_until_start: int = 0

    @property
    def is_on_path(self):
        return self.state == "during"

    @property
    def summary(self):
        """Where the learner is, said to them."""
        return self.describe()

    def describe(self, subject=None):
        """Where the learner is, said to them, or about them when `subject` names them."""
        if self.state == "not_started":
            if subject:
                return f"{subject} has not set the date they started the path."
            return "You have not set the date you started the path."
        if self.state == "before":
            days = f"{self.days_until_start} day{'s' if self.days_until_start != 1 else ''}"
            return (
                f"{subject}’s path starts in {days}." if subject else f"Your path starts in {days}."
            )
        if self.state == "after":
            done = f"finished the {self.weeks_total} weeks of the path."
            return f"{subject} has {done}" if subject else f"You have {done}"
        return f"Week {self.week} of {self.weeks_total}."


def path_position(started_on, today, phases=()):
    """Where a learner who started on `started_on` is on `today`.

    Week 1 is the start day and the six days after it; week n starts 7·(n−1) days after the
    start. `phases` are PathPhase rows (start_week, end_week); the phase is the one whose weeks
    hold the current week, and a phase counts as completed once its end week is over. The path
    lasts until the last phase's end week (20 in the seed, or 20 when no phases are given).
    """
    phases = sorted(phases, key=lambda phase: (phase.start_week, phase.end_week))
    weeks_total = max((phase.end_week for phase in phases), default=PATH_WEEKS)
    common = {"phases_total": len(phases), "weeks_total": weeks_total}
    if started_on is None:
        return PathPosition(state="not_started", **common)
    days = (today - started_on).days
    if days < 0:
        return PathPosition(state="before", days_until_start=-days, **common)
    week = days // 7 + 1
    if week > weeks_total:
        return PathPosition(
            state="after", week=week, day=days + 1, phases_completed=len(phases), **common
        )
    phase = next((p for p in phases if p.start_week <= week <= p.end_week), None)
    completed = sum(1 for p in phases if p.end_week < week)
    return PathPosition(
        state="during", week=week, day=days + 1, phase=phase, phases_completed=completed, **common
    )


@dataclass(frozen=True)
class Pace:
    expected: int
    tests_passed: int

    @property
    def on_pace(self):
        return self.tests_passed >= self.expected

    @property
    def behind_by(self):
        return max(0, self.expected - self.tests_passed)

    @property
    def summary(self):
        passed = f"{self.tests_passed} skill test{'s' if self.tests_passed != 1 else ''} passed"
        finished = f"{self.expected} phase{'s' if self.expected != 1 else ''} finished"
        if self.on_pace:
            return f"On pace: {finished}, {passed}."
        return f"Behind by {self.behind_by}: {finished}, {passed}."


PACE_RULE = (
    "Each phase of the path ends in something you can show, so we expect one skill test passed "
    "for every phase you have finished. You keep pace while the tests you have passed are at "
    "least the phases behind you."
)


def keeps_pace(position, tests_passed):
    """Whether the learner keeps pace with the path, or None before the path has begun.

    The rule, as the page says it (PACE_RULE): every phase ends in a concrete end state, so a
    learner should have passed one skill test for each phase they have finished. They keep pace
    while tests passed ≥ phases completed. During the first phase nothing is expected yet, so
    everyone is on pace; once the 20 weeks are over, every phase counts.
    """
    if position.state in ("not_started", "before"):
        return None
    return Pace(expected=position.phases_completed, tests_passed=tests_passed)


def set_path_start(user, started_on):
    """Save the day the learner started the path, or clear it with None; one query."""
    user.path_started_on = started_on
    user.save(update_fields=["path_started_on"])
