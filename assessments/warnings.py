"""The seed's failure modes, spotted in a learner's own progress, and the re-audit reminder.

Each rule is a plain function of the learner's Progress rows (with skill and trunk loaded) and the
current time, so the dashboard and a lead's view of a learner share them. Hype substitution also
reads their latest ratings, notes and target track (`hype_substitution`); a lead's heatmap asks
the same rule of a whole cohort in SQL (`loop_counts`, `hype_substituting`).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Count, OuterRef, Q, Subquery

from assessments import status as skill_status_rule
from assessments.models import Audit, Progress, Rating, SkillNote

SPRAWL_TRUNKS = 4
LOOP_SKILLS = 3
LOOP_AGE = timedelta(weeks=3)
AUDIT_AGE = timedelta(weeks=6)

# Hype substitution: "spending time on the model release of the week instead of fundamentals
# that compound". Editorial choices, not in the seeds: which trunks are the practical and
# frontier ones (deep learning, "the most-hyped trunk", and practical AI engineering), which
# are the fundamentals (foundations, ML fundamentals), how long "lately" is, how much effort
# and how many neglected foundations make the pattern.
HYPE_TRUNKS = (3, 4)
FOUNDATION_TRUNKS = (1, 2)
HYPE_AGE = timedelta(weeks=4)
HYPE_SKILLS = 3
NEGLECTED_FOUNDATIONS = 2
LOW_RATING = 2

TRUNK_SPRAWL = "trunk-sprawl"
TUTORIAL_LOOP = "tutorial-loop"
HYPE_SUBSTITUTION = "hype-substitution"


def _learning(progress):
    return [p for p in progress if p.status == Progress.Status.LEARNING]


def is_sprawling(trunks_learning):
    """Trunk sprawl: skills "learning" in four or more trunks at once. Read by `trunk_sprawl`
    (Python) and a cohort's count of it (`cohorts.over_time`, SQL)."""
    return trunks_learning >= SPRAWL_TRUNKS


def trunk_sprawl(progress):
    """The trunks the learner is "learning" in when there are four or more of them, else []."""
    trunks = {}
    for p in _learning(progress):
        trunks.setdefault(p.skill.trunk_id, p.skill.trunk)
    if not is_sprawling(len(trunks)):
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


def worked_on_lately(progress, notes, ratings, previous_ratings, rated_at, now):
    """The pks of the skills the learner put effort into in the last HYPE_AGE: started
    learning, passed a test, wrote notes, or rated higher in a full audit saved in that time
    than in the one before. `notes` are (skill pk, updated_at) pairs; `ratings` and
    `previous_ratings` map skill pks to the two latest full audits' ratings, the latest saved
    at `rated_at`. Pure: no queries."""
    since = now - HYPE_AGE
    worked = {
        p.skill_id
        for p in progress
        if (p.learning_since and p.learning_since >= since)
        or (p.passed_at and p.passed_at >= since)
    }
    worked |= {skill_id for skill_id, updated_at in notes if updated_at >= since}
    if rated_at is not None and rated_at >= since:
        worked |= {
            skill_id
            for skill_id, value in ratings.items()
            if previous_ratings.get(skill_id) is not None and value > previous_ratings[skill_id]
        }
    return worked


def needed_foundations(track):
    """The numbers of the foundation trunks the learner's target `track` goes deep or literate
    in (all of FOUNDATION_TRUNKS without a target track). `track` comes with its depth trunk
    and literacy trunks loaded (`gaps.tracks_for_fit`)."""
    if track is None:
        return set(FOUNDATION_TRUNKS)
    trunks = {track.depth_trunk.number, *(t.number for t in track.literacy_trunks.all())}
    return trunks & set(FOUNDATION_TRUNKS)


def is_hype_substitution(hype_worked, foundations_worked, foundations_neglected):
    """Hype substitution: effort in the last four weeks went into three or more skills of the
    practical and frontier trunks (HYPE_TRUNKS), none into the foundations the target track
    needs, and two or more of those foundations sit at 1–2 in the latest full audit, untouched.
    Read by `hype_substitution` (one learner) and `hype_substituting` (a cohort)."""
    return (
        hype_worked >= HYPE_SKILLS
        and foundations_worked == 0
        and foundations_neglected >= NEGLECTED_FOUNDATIONS
    )


@dataclass(frozen=True)
class HypeFinding:
    """What hype substitution found: the practical and frontier skills worked on lately
    (`worked`), the needed foundations at 1–2 left untouched (`neglected`), in tree order."""

    worked: list
    neglected: list


def _counts(skills, worked, ratings, needed):
    hype = [s for s in skills if s.trunk.number in HYPE_TRUNKS and s.pk in worked]
    foundations = [s for s in skills if s.trunk.number in needed]
    worked_foundations = [s for s in foundations if s.pk in worked]
    neglected = [
        s
        for s in foundations
        if s.pk not in worked and ratings.get(s.pk) is not None and ratings[s.pk] <= LOW_RATING
    ]
    return hype, worked_foundations, neglected


def hype_substitution(skills, worked, ratings, track):
    """The HypeFinding when the learner `is_hype_substitution`, else None. `skills` are the
    current skills with their trunks, `worked` the pks `worked_on_lately` gives, `ratings` the
    latest full audit's (skill pk: value). Pure: no queries."""
    ordered = sorted(skills, key=lambda s: (s.trunk.number, s.order, s.pk))
    hype, worked_foundations, neglected = _counts(
        ordered, worked, ratings, needed_foundations(track)
    )
    if not is_hype_substitution(len(hype), len(worked_foundations), len(neglected)):
        return None
    return HypeFinding(worked=hype, neglected=neglected)


def hype_substituting(members, skills, tracks, now):
    """The pks of the learners among `members` who `is_hype_substitution`, in three queries
    whatever their number: progress and notes changed in the last HYPE_AGE, and the latest
    full audits' ratings that matter (foundations at 1–2; practical, frontier and foundation
    ratings of audits saved lately, each with the learner's rating of it in their full audit
    before: a rise counts only in an audit saved lately, as `worked_on_lately` counts it).
    `members` are (user pk, target track pk, latest full audit pk) triples; `skills` the current
    skills with trunks; `tracks` the tracks as `needed_foundations` reads them."""
    members = list(members)
    since = now - HYPE_AGE
    user_ids = [user_id for user_id, _track, _audit in members]
    worked = defaultdict(set)
    recent = Q(learning_since__gte=since) | Q(passed_at__gte=since)
    for user_id, skill_id in Progress.objects.filter(recent, user_id__in=user_ids).values_list(
        "user_id", "skill_id"
    ):
        worked[user_id].add(skill_id)
    for user_id, skill_id in SkillNote.objects.filter(
        user_id__in=user_ids, updated_at__gte=since
    ).values_list("user_id", "skill_id"):
        worked[user_id].add(skill_id)
    before = Rating.objects.filter(
        skill=OuterRef("skill"),
        audit__user=OuterRef("audit__user"),
        audit__kind=Audit.Kind.FULL,
        audit__saved_at__lt=OuterRef("audit__saved_at"),
    ).order_by("-audit__saved_at", "-audit_id")
    rows = (
        Rating.objects.filter(audit_id__in=[audit for _u, _t, audit in members if audit])
        .filter(
            Q(skill__trunk__number__in=FOUNDATION_TRUNKS, value__lte=LOW_RATING)
            | Q(
                skill__trunk__number__in=(*HYPE_TRUNKS, *FOUNDATION_TRUNKS),
                audit__saved_at__gte=since,
            )
        )
        .annotate(before=Subquery(before.values("value")[:1]))
        .values_list("audit__user_id", "skill_id", "value", "before", "audit__saved_at")
    )
    ratings = defaultdict(dict)
    for user_id, skill_id, value, rated_before, saved_at in rows:
        ratings[user_id][skill_id] = value
        if saved_at >= since and rated_before is not None and value > rated_before:
            worked[user_id].add(skill_id)
    tracks = {track.pk: track for track in tracks}
    found = set()
    for user_id, track_id, _audit in members:
        hype, worked_foundations, neglected = _counts(
            skills, worked[user_id], ratings[user_id], needed_foundations(tracks.get(track_id))
        )
        if is_hype_substitution(len(hype), len(worked_foundations), len(neglected)):
            found.add(user_id)
    return found


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


def failure_warnings(progress, failure_modes, now, *, hype=None):
    """The FailureWarnings for this learner, in the seed's order of failure modes; `hype` is
    the learner's HypeFinding, if `hype_substitution` found one."""
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
    if hype is not None:
        trunks = sorted({skill.trunk for skill in hype.worked}, key=lambda t: t.number)
        found.append(
            FailureWarning(
                slug=HYPE_SUBSTITUTION,
                name=(
                    modes[HYPE_SUBSTITUTION].name
                    if HYPE_SUBSTITUTION in modes
                    else "hype substitution"
                ),
                finding=(
                    f"In the last {HYPE_AGE.days // 7} weeks the effort went into "
                    f"{len(hype.worked)} skills of {' and '.join(t.name for t in trunks)}, "
                    f"while {len(hype.neglected)} foundations the target track needs sit at "
                    f"1–{LOW_RATING}, untouched."
                ),
                failure_mode=modes.get(HYPE_SUBSTITUTION),
                items=hype.neglected,
            )
        )
    order = {mode.slug: mode.order for mode in failure_modes}
    return sorted(found, key=lambda w: order.get(w.slug, 0))


def audit_is_due(audit, now):
    """True when the learner's latest saved audit is more than six weeks old."""
    return audit is not None and audit.saved_at is not None and now - audit.saved_at > AUDIT_AGE
