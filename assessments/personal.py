"""The learner's own layer on a page: their progress on a skill, their ladder level, their week
on the path, with a sign-up prompt for visitors.

The context builders serve the learner's pages (assessments.views.progress) and, through the
providers at the bottom, the public curriculum pages, which know nothing of users: the providers
are registered with `curriculum.personal` in AssessmentsConfig.ready and return rendered fragments
the curriculum views pass to their templates.
"""

from collections import Counter

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

import pages
from assessments.forms import ProgressForm, SkillNoteForm
from assessments.ladder import ladder_standing
from assessments.models import Audit, Progress, PublicProfile, Rating, SignalTick
from assessments.path import PACE_RULE, keeps_pace, path_position, phase_states
from assessments.progress import note_for
from assessments.recheck import curriculum_recheck_months, is_due_for_recheck
from assessments.status import SkillStatus
from curriculum import personal
from curriculum.cache import ladder_levels, path_phases
from curriculum.models import TrackRequirement, Trunk
from curriculum.treemap import Mark


def get_progress_for_user(request, skill):
    """The signed-in learner's progress on `skill`, or an unsaved "not started" one.

    Every progress view reads rows through here: only request.user's own row can come back.
    """
    progress = (
        Progress.objects.filter(user=request.user, skill=skill)
        .select_related("reviewed_by")
        .first()
    )
    return progress or Progress(user=request.user, skill=skill)


def progress_context(request, skill, progress=None, form=None, saved=False, next_url=""):
    """What the skill-progress fragment needs, from its view or the skill page. The learner's
    row, the re-check and the form's first values are read only when the fragment renders them:
    its kept blocks (pages.for_learner) don't on a second view. A bound `form` (refused input)
    renders afresh, with what was sent."""

    def read_row():
        found = progress or get_progress_for_user(request, skill)
        found.skill = skill  # the row's own skill, already read: its re-check months
        return found

    row = pages.lazily(read_row)

    def recheck_due():
        found = row()
        return found.pk is not None and is_due_for_recheck(
            found, curriculum_recheck_months(), timezone.now()
        )

    def unbound_form():
        found = row()
        return ProgressForm(
            initial={"status": found.status, "evidence_url": found.evidence_url, "note": found.note}
        )

    return {
        "skill": skill,
        "progress": row,
        "recheck_due": pages.lazily(recheck_due),
        "form": form if form is not None else pages.lazily(unbound_form),
        "form_is_bound": form is not None,
        "kept": pages.for_learner(request.user.pk),
        "saved": saved,
        "next_url": next_url,
        "user": request.user,
        "request": request,
    }


def notes_context(request, skill, note=None, form=None, saved=False, next_url=""):
    """What the private-notes fragment needs (the skill page and the learner's progress page);
    like `progress_context`, the note is read only when the fragment renders it."""
    kept_note = pages.lazily(lambda: note_for(request.user, skill) if note is None else note)
    return {
        "skill": skill,
        "note": kept_note,
        "notes_form": form
        if form is not None
        else pages.lazily(lambda: SkillNoteForm(initial={"text": kept_note().text})),
        "notes_form_is_bound": form is not None,
        "notes_saved": saved,
        "kept": pages.for_learner(request.user.pk),
        "next_url": next_url,
        "user": request.user,
        "request": request,
    }


def ladder_context(request, form=None):
    """The learner's ladder standing, computed when a template first reads it: the ladder page
    keeps what shows it in `{% cache %}` fragments (pages.for_learner)."""
    user = request.user

    def standing():
        ticks = SignalTick.objects.filter(user=user).values_list("signal_id", flat=True)
        return ladder_standing(set(ticks), ladder_levels())

    return {
        "standing": pages.lazily(standing),
        "form": form,
        "user": user,
        "request": request,
    }


def path_context(request, today=None):
    """Where the learner is on the path and whether they keep pace (also on the public path page)."""
    today = today or timezone.localdate()
    phases = path_phases()
    user = request.user
    position = path_position(user.path_started_on, today, phases)
    passed_trunks = list(
        Progress.objects.passed().filter(user=user).values_list("skill__trunk__number", flat=True)
    )
    depth_trunk = None
    if user.target_track_id:
        depth_trunk = (
            Trunk.objects.with_skills_to_learn().filter(depth_tracks=user.target_track_id).first()
        )
    pace = keeps_pace(
        position,
        phases,
        passed_trunks,
        depth_trunk=depth_trunk,
        days_since_joining=(today - timezone.localdate(user.date_joined)).days,
    )
    return {
        "position": position,
        "pace": pace,
        "phase_states": phase_states(position, pace, phases, depth_trunk),
        "pace_rule": PACE_RULE,
        "phases": phases,
        "tests_passed": len(passed_trunks),
        "user": user,
        "request": request,
    }


# Providers for the public curriculum pages (curriculum.personal)


def _fragment(template, request, context=None):
    return render_to_string(
        template, {"user": request.user, "request": request, **(context or {})}, request=request
    )


def skill_page(request, *, skill):
    """The learner's status, evidence, review and form on a skill page, then their private
    notes; none for a visitor, and none signed in once the learner's fragments are kept (two
    the first time)."""
    context = {"skill": skill}
    if not request.user.is_authenticated:
        return {"progress": _fragment("assessments/progress.html#skill-progress", request, context)}
    context = progress_context(request, skill, next_url=request.get_full_path())
    notes = notes_context(request, skill, next_url=context["next_url"])
    return {
        "progress": _fragment("assessments/progress.html#skill-progress", request, context)
        + _fragment("assessments/progress.html#skill-notes", request, notes)
    }


def _needs(target):
    return f"{target.normalize():f}"


def tree_mark(progress, rating, target, *, recheck_due=False):
    """The learner's mark on one skill's node: `progress` (None: not started), `rating` from
    their latest saved full audit (None: not rated) and their target track's `target` for the
    skill's bucket (None: no target track); a verification `recheck_due` says so."""
    shown = progress.shown_status if progress else SkillStatus.NOT_STARTED
    standing = ""
    if target is not None and rating is not None:
        standing = "met" if rating >= target else f"{_needs(target - rating)} short"
    return Mark(
        rating=f"{rating}/5" if rating is not None else "not rated",
        progress=f"{shown.label}, due for a re-check" if recheck_due else shown.label,
        state=shown.value,
        needs=_needs(target) if target is not None else "",
        standing=standing,
    )


TREE_LEGEND = (
    (SkillStatus.NOT_STARTED.value, SkillStatus.NOT_STARTED.label, "dashed outline"),
    (SkillStatus.LEARNING.value, SkillStatus.LEARNING.label, "half-filled circle"),
    (SkillStatus.TEST_PASSED.value, SkillStatus.TEST_PASSED.label, "bold outline, tick"),
    (SkillStatus.VERIFIED.value, SkillStatus.VERIFIED.label, "double outline, filled tick"),
    (SkillStatus.NEEDS_WORK.value, SkillStatus.NEEDS_WORK.label, "red outline, exclamation mark"),
)


def tree_page(request, *, skills):
    """The learner's mark on every skill (rating from their latest saved full audit, progress,
    and what their target track needs of the skill's bucket) and a summary above the tree.

    Signed in: progress, the latest full audit, its ratings, the track's requirements: at most
    four queries, however many skills, ratings or audits (and the curriculum's re-check months
    when not kept). None for a visitor.
    """
    if not request.user.is_authenticated:
        return {"summary": _fragment("assessments/progress.html#tree-summary", request)}
    user = request.user
    progress = {p.skill_id: p for p in Progress.objects.filter(user=user).select_related("skill")}
    now, months = timezone.now(), curriculum_recheck_months()
    audit = Audit.objects.latest_full().filter(user=user).first()
    ratings = {}
    if audit:
        ratings = dict(Rating.objects.filter(audit=audit).values_list("skill_id", "value"))
    requirements = []
    if user.target_track_id:
        requirements = list(
            TrackRequirement.objects.filter(track_id=user.target_track_id).select_related(
                "track", "level"
            )
        )
    targets = {r.bucket_id: r.level.target for r in requirements}
    marks = {
        skill.pk: tree_mark(
            progress.get(skill.pk),
            ratings.get(skill.pk),
            targets.get(skill.bucket_id),
            recheck_due=skill.pk in progress
            and is_due_for_recheck(progress[skill.pk], months, now),
        )
        for skill in skills
    }
    counts = Counter(mark.state for mark in marks.values())
    context = {
        "counts": counts,
        "passed": sum(counts[status.value] for status in SkillStatus if status.is_passed),
        "audit": audit,
        "track": requirements[0].track if requirements else None,
    }
    return {
        "summary": _fragment("assessments/progress.html#tree-summary", request, context),
        "marks": marks,
        "legend": TREE_LEGEND,
    }


def ladder_page(request):
    """The learner's ladder level and the next rung; three queries."""
    context = ladder_context(request) if request.user.is_authenticated else {}
    return {"summary": _fragment("assessments/ladder.html#ladder-summary", request, context)}


def path_page(request):
    """The learner's week, phase and pace; two queries."""
    context = path_context(request) if request.user.is_authenticated else {}
    return {"summary": _fragment("assessments/path.html#path-summary", request, context)}


def profile_page(request):
    """The learner's public-profile settings on their account profile; one query."""
    shared = PublicProfile.objects.filter(user=request.user).first()
    return {"sharing": _fragment("assessments/_sharing.html", request, {"shared": shared})}


def track_page(request, *, track):
    """ "Aim for this track" (or the sign-up prompt, or "your target track"); no query."""
    context = {"track": track, "next": request.get_full_path()}
    return {"aim": _fragment("accounts/aim_track.html#aim", request, context)}


def tracks_page(request, *, tracks):
    """ "Aim for this track" beside every track, each sending the learner back to their
    dashboard; nothing for a visitor. No query of its own (it reads the page's tracks)."""
    if not request.user.is_authenticated:
        return {}
    context = {"tracks": tracks, "next": reverse("assessments:dashboard")}
    return {"aim_list": _fragment("accounts/aim_track.html#aim-list", request, context)}


def register_providers():
    personal.register("profile", profile_page)
    personal.register("skill", skill_page)
    personal.register("tree", tree_page)
    personal.register("ladder", ladder_page)
    personal.register("path", path_page)
    personal.register("track", track_page)
    personal.register("tracks", tracks_page)
