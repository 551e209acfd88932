"""Where a learner is on the 20-week minimum effective dose path, and whether they keep pace."""

from collections import Counter
from dataclasses import dataclass

from pages import bump_learner

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


GRACE_WEEKS = 3


@dataclass(frozen=True)
class Pace:
    """The phases whose weeks are over (`finished`), the ones among them no passed test counts
    for yet (`missing`), and any grace left."""

    finished: tuple = ()
    missing: tuple = ()
    grace_days_left: int = 0

    @property
    def expected(self):
        return len(self.finished)

    @property
    def in_grace(self):
        return self.grace_days_left > 0

    @property
    def on_pace(self):
        return self.in_grace or not self.missing

    @property
    def behind_by(self):
        return 0 if self.in_grace else len(self.missing)

    @property
    def label(self):
        """The word before the summary: "Settling in", "On pace" or "Behind"."""
        if self.in_grace:
            return "Settling in"
        return "On pace" if self.on_pace else "Behind"

    @property
    def summary(self):
        """What the label means for this learner, a sentence that does not repeat it."""
        if self.in_grace:
            days = self.grace_days_left
            return (
                f"Pace counts in {days} day{'s' if days != 1 else ''}: time to record the skill "
                "tests you passed before joining."
            )
        if not self.finished:
            return "No phase is over yet."
        if self.on_pace:
            if self.expected == 1:
                return f"A skill test passed for {self.finished[0].name}."
            return f"A skill test passed for each of the {self.expected} phases that are over."
        names = [phase.name for phase in self.missing]
        listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        phases = "phase" if self.behind_by == 1 else "phases"
        return f"{self.behind_by} {phases} without a skill test passed: {listed}."


PACE_RULE = (
    "Each phase of the path ends in something you can show, so a phase is finished once its "
    "weeks are over and one skill test you passed in a trunk it teaches counts for it. Each "
    "phase below names its trunks; the phases that specialise go deep in the trunk your target "
    "track is deep in (any trunk without a target). One test counts for one phase. In your first "
    f"{GRACE_WEEKS} weeks on Skill Tree nobody is behind, so you can record what you did before "
    "you joined."
)


def phase_trunks(phase, depth_trunk=None):
    """The trunks a test must be in to count for `phase`, or None for any trunk.

    Curators set them on the phase (`PathPhase.taught_trunks`); a phase `in_depth_trunk` takes
    the learner's `depth_trunk` (their target track's), or any trunk without one.
    """
    if phase.in_depth_trunk:
        return (depth_trunk,) if depth_trunk is not None else None
    return tuple(phase.taught_trunks) or None


def keeps_pace(position, phases, passed_trunks, depth_trunk=None, days_since_joining=None):
    """Whether the learner keeps pace with the path, or None before the path has begun.

    The rule, as the page says it (PACE_RULE): every phase ends in a concrete end state, so each
    phase whose weeks are over needs one passed skill test in the trunks that phase teaches
    (`phase_trunks`, with the learner's `depth_trunk` for the phases that specialise).
    `passed_trunks` holds a trunk number per passed test; each test counts for one phase only,
    phases with named trunks served first. The learner keeps pace while no phase that is over
    lacks a test. During the first phase nothing is owed; after the 20 weeks every phase is.
    For the first GRACE_WEEKS weeks after joining (`days_since_joining`) nobody is behind, so a
    newcomer whose path began weeks ago has time to record what they did. No queries.
    """
    if position.state in ("not_started", "before"):
        return None
    finished = tuple(
        phase
        for phase in sorted(phases, key=lambda phase: (phase.start_week, phase.end_week))
        if phase.end_week < position.week
    )
    left = Counter(passed_trunks)
    missing = set()
    owed = []
    for phase in finished:
        trunks = phase_trunks(phase, depth_trunk)
        owed.append((phase, None if trunks is None else {trunk.number for trunk in trunks}))
    for phase, numbers in sorted(owed, key=lambda item: item[1] is None):
        candidates = [t for t in left if left[t] and (numbers is None or t in numbers)]
        if candidates:
            left[max(candidates, key=left.__getitem__)] -= 1
        else:
            missing.add(phase.order)
    grace = 0
    if days_since_joining is not None:
        grace = max(0, GRACE_WEEKS * 7 - days_since_joining)
    return Pace(
        finished=finished,
        missing=tuple(phase for phase in finished if phase.order in missing),
        grace_days_left=grace,
    )


PHASE_LABELS = {
    "finished": "Finished",
    "no_test": "Weeks over, no test yet",
    "current": "You are here",
    "ahead": "",
}


@dataclass(frozen=True)
class PhaseState:
    """One phase as the learner stands in it, and the trunks its test may be in (None: any)."""

    phase: object
    state: str
    trunks: tuple | None = None

    @property
    def label(self):
        return PHASE_LABELS[self.state]


def phase_states(position, pace, phases, depth_trunk=None):
    """A PhaseState per phase, in order: the rule behind "Finished", the same as keeps_pace's.

    A phase whose weeks are over is "finished" only when a passed test counts for it (it is
    not in `pace.missing`), else "no_test"; the phase holding this week is "current"; the rest
    are "ahead". Before the path begins every phase is ahead. No queries.
    """
    over = {phase.order for phase in pace.finished} if pace else set()
    missing = {phase.order for phase in pace.missing} if pace else set()
    current = position.phase.order if position.phase is not None else None
    states = []
    for phase in sorted(phases, key=lambda phase: (phase.start_week, phase.end_week)):
        if phase.order in over:
            state = "no_test" if phase.order in missing else "finished"
        elif phase.order == current:
            state = "current"
        else:
            state = "ahead"
        states.append(PhaseState(phase, state, phase_trunks(phase, depth_trunk)))
    return states


def set_path_start(user, started_on):
    """Save the day the learner started the path, or clear it with None; one query."""
    user.path_started_on = started_on
    user.save(update_fields=["path_started_on"])
    bump_learner(user.pk)
