"""Progress views: the learner's status and evidence per skill, their ladder signals, their path."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

import pages
from accounts.redirects import safe_next
from assessments.forms import LadderForm, PathStartForm, ProgressForm, SkillNoteForm
from assessments.ladder import record_ticks
from assessments.path import path_position, set_path_start
from assessments.personal import (
    ladder_context,
    notes_context,
    path_context,
    progress_context,
)
from assessments.progress import record_note, record_progress, start_learning
from curriculum.cache import path_phases
from curriculum.models import Skill


def _get_skill(slug):
    """The skill with its trunk, retired or not, kept at the curriculum's version (only a skill
    that exists is kept: an unknown slug is a 404 each time)."""
    if len(slug) > Skill._meta.get_field("slug").max_length:
        raise Http404("No such skill.")
    return pages.kept(
        "skill-with-trunk",
        lambda: get_object_or_404(Skill.objects.select_related("trunk"), slug=slug),
        slug,
    )


@login_required
@require_http_methods(["GET", "POST"])
def skill_progress(request, slug):
    skill = _get_skill(slug)
    next_url = safe_next(request, skill.get_absolute_url())
    form = None
    status = 200
    if request.method == "POST":
        form = ProgressForm(request.POST)
        if form.is_valid():
            progress = record_progress(request.user, skill, **form.cleaned_data)
            message = f"Saved: {skill.name} is “{progress.shown_status.label}”."
            if request.htmx:
                context = progress_context(request, skill, progress, saved=True, next_url=next_url)
                context["saved_message"] = message
                return render(request, "assessments/progress.html#skill-progress", context)
            messages.success(request, message)
            return redirect(f"{next_url}#progress" if "#" not in next_url else next_url)
        status = 200 if request.htmx else 400
    context = progress_context(request, skill, form=form, next_url=next_url)
    template = "assessments/progress.html"
    if request.htmx:
        template += "#skill-progress"
    else:
        context.update(notes_context(request, skill, next_url=next_url))
    return render(request, template, context, status=status)


@login_required
@require_POST
def start_skill(request, slug):
    """One click from "not started" to "learning" (the dashboard's "Start learning it").
    htmx gets the card's new action; without it, back to `next` with a message."""
    skill = get_object_or_404(Skill.objects.current(), slug=slug)
    progress, started = start_learning(request.user, skill)
    if request.htmx:
        item = {"skill": skill, "status": progress.status}
        return render(
            request,
            "assessments/dashboard.html#start-learning-body",
            {"item": item, "just_started": started, "links": {"skill_progress": True}},
        )
    if started:
        messages.success(request, f"You are learning {skill.name} now.")
    else:
        messages.info(
            request, f"{skill.name} is already “{progress.get_status_display()}”: nothing changed."
        )
    return redirect(safe_next(request, reverse("assessments:dashboard")))


@login_required
@require_POST
def skill_notes(request, slug):
    """Save the learner's private notes on a skill (htmx swaps the notes; without it, redirect)."""
    skill = _get_skill(slug)
    next_url = safe_next(request, reverse("assessments:skill_progress", args=[skill.slug]))
    form = SkillNoteForm(request.POST)
    if not form.is_valid():
        context = notes_context(request, skill, form=form, next_url=next_url)
        if request.htmx:
            return render(request, "assessments/progress.html#skill-notes", context)
        page = progress_context(request, skill, next_url=next_url)
        page.update(context)
        return render(request, "assessments/progress.html", page, status=400)
    note = record_note(request.user, skill, form.cleaned_data["text"])
    if request.htmx:
        context = notes_context(request, skill, note, saved=True, next_url=next_url)
        return render(request, "assessments/progress.html#skill-notes", context)
    messages.success(request, "Saved your private notes." if note.pk else "Deleted your notes.")
    return redirect(f"{next_url}#notes" if "#" not in next_url else next_url)


@login_required
@require_http_methods(["GET", "POST"])
def my_ladder(request):
    form = None
    status = 200
    if request.method == "POST":
        form = LadderForm(request.POST)
        if form.is_valid():
            record_ticks(request.user, form.cleaned_data["signals"])
            context = ladder_context(request)
            message = f"Saved your signals. You are at {context['standing']().label}."
            if request.htmx:
                context["saved_message"] = message
                context["kept"] = pages.for_learner(request.user.pk)
                return render(request, "assessments/ladder.html#ladder-form", context)
            messages.success(request, message)
            return redirect("assessments:my_ladder")
        status = 200 if request.htmx else 400
    context = ladder_context(request, form=form)
    context["kept"] = pages.for_learner(request.user.pk)
    template = "assessments/ladder.html"
    if request.htmx:
        template += "#ladder-form"
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def my_path(request):
    today = timezone.localdate()
    user = request.user
    status = 200
    if request.method == "POST" and "clear" in request.POST:
        set_path_start(user, None)
        messages.success(request, "Cleared the day you started the path.")
        return redirect("assessments:my_path")
    if request.method == "POST":
        form = PathStartForm(request.POST, today=today)
        if form.is_valid():
            set_path_start(user, form.cleaned_data["started_on"])
            position = path_position(user.path_started_on, today, path_phases())
            messages.success(request, f"Saved the day you started. {position.summary}")
            return redirect("assessments:my_path")
        status = 400
    else:
        form = PathStartForm(initial={"started_on": user.path_started_on}, today=today)
    context = {
        "kept": pages.for_learner(user.pk),
        "path": pages.lazily(lambda: path_context(request, today)),
        "form": form,
        "is_path_page": True,
    }
    return render(request, "assessments/path.html", context, status=status)
