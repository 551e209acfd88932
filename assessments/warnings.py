"""The seed's failure modes, spotted in a learner's own progress, and the re-audit reminder.

Each rule is a plain function of the learner's Progress rows (with skill and trunk loaded) and the
current time, so the dashboard and a lead's view of a learner share them.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, Q

from assessments import status as skill_status_rule
from assessments.models import Progress

SPRAWL_TRUNKS = 4
LOOP_SKILLS = 3
LOOP_AGE = timedelta(weeks=3)
AUDIT_AGE = timedelta(weeks=6)

TRUNK_SPRAWL = "trunk-sprawl"
TUTORIAL_LOOP = "tutorial-loop"


def _learning(progress):
    return [p for p in progress if p.status == Progress.Status.LEARNING]


def trunk_sprawl(progress):
    """The trunks the learner is "learning" in when there are four or more of them, else []."""
    trunks = {}
    for p in _learning(progress):
        trunks.setdefault(p.skill.trunk_id, p.skill.trunk)
    if len(trunks) < SPRAWL_TRUNKS:
        return []
    return sorted(trunks.values(), key=lambda trunk: trunk.number)


def is_stuck(learning_for_weeks, passed_lately):
    """The tutorial loop: three or more skills "learning" for over three weeks, and no test
    passed in those three weeks (a test a lead said needs work is not passed: assessments.status). Read by `tutorial_loop` (Python) and `loop_counts` (SQL)."""
    return passed_lately == 0 and learning_for_weeks >= LOOP_SKILLS


def loop_counts(now):
    """Annotations for a Progress query grouped by learner: the two numbers `is_stuck` takes."""
    since = now - LOOP_AGE
    return {
        "learning_for_weeks": Count(
            "pk", filter=Q(status=Progress.Status.LEARNING, learning_since__lte=since)
        ),
        "passed_lately": Count("pk", filter=skill_status_rule.PASSED & Q(passed_at__gte=since)),
    }


def tutorial_loop(progress, now):
    """The skills "learning" for over three weeks when the learner `is_stuck`, else []."""
    since = now - LOOP_AGE
    passed_lately = sum(
        p.shown_status.is_passed and p.passed_at is not None and p.passed_at >= since
        for p in progress
    )
    stuck = [p for p in _learning(progress) if p.learning_since and p.learning_since <= since]
    if not is_stuck(len(stuck), passed_lately):
        return []
    return sorted(stuck, key=lambda p: (p.learning_since, p.skill.pk))


@dataclass(frozen=True)
class FailureWarning:
    """A failure mode the learner's data shows, with the seed's words for it (if still there)."""

    slug: str
    name: str
    finding: str
    failure_mode: object = None
    items: list = field(default_factory=list)

    @property
    def quote(self):
        return self.failure_mode.text if self.failure_mode else ""


def failure_warnings(progress, failure_modes, now):
    """The FailureWarnings for this learner, in the seed's order of failure modes."""
    modes = {mode.slug: mode for mode in failure_modes}
    found = []
    trunks = trunk_sprawl(progress)
    if trunks:
        found.append(
            FailureWarning(
                slug=TRUNK_SPRAWL,
                name=modes[TRUNK_SPRAWL].name if TRUNK_SPRAWL in modes else "trunk sprawl",
                finding=f"Skills “learning” in {len(trunks)} trunks at once.",
                failure_mode=modes.get(TRUNK_SPRAWL),
                items=trunks,
            )
        )
    stuck = tutorial_loop(progress, now)
    if stuck:
        weeks = LOOP_AGE.days // 7
        found.append(
            FailureWarning(
                slug=TUTORIAL_LOOP,
                name=modes[TUTORIAL_LOOP].name if TUTORIAL_LOOP in modes else "tutorial loop",
                finding=(
                    f"{len(stuck)} skills have been “learning” for more than {weeks} weeks, "
                    f"and no test was passed in that time."
                ),
                failure_mode=modes.get(TUTORIAL_LOOP),
                items=[p.skill for p in stuck],
            )
        )
    order = {mode.slug: mode.order for mode in failure_modes}
    return sorted(found, key=lambda w: order.get(w.slug, 0))


def audit_is_due(audit, now):
    """True when the learner's latest saved audit is more than six weeks old."""
    return audit is not None and audit.saved_at is not None and now - audit.saved_at > AUDIT_AGE
