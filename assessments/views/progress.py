"""Progress views: the learner's status and evidence per skill, their ladder signals, their path."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.validators import URLValidator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from accounts.forms import check_path_start, earliest_path_start
from assessments.ladder import ladder_standing
from assessments.models import Progress, SignalTick
from assessments.path import PACE_RULE, keeps_pace, path_position
from assessments.progress import record_progress
from curriculum.models import LadderLevel, LadderSignal, PathPhase, Skill

EVIDENCE_SCHEMES_MESSAGE = (
    "Use a link that starts with http:// or https:// (a repository, a write-up, a demo)."
)


class EvidenceURLField(forms.URLField):
    """A URL field that takes http and https links only (no javascript:, data:, ftp:...)."""

    default_validators = [URLValidator(schemes=["http", "https"], message=EVIDENCE_SCHEMES_MESSAGE)]


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        choices=Progress.Status.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose where you stand: not started, learning or test passed.",
            "invalid_choice": "Choose where you stand: not started, learning or test passed.",
        },
    )
    evidence_url = EvidenceURLField(
        label="Link to your evidence",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": EVIDENCE_SCHEMES_MESSAGE},
        help_text="Needed for “Test passed”: the repo, write-up or demo that meets the skill’s test.",
    )
    note = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional, up to 500 characters.",
        error_messages={
            "max_length": "Keep the note to %(limit_value)d characters or fewer "
            "(it has %(show_value)d)."
        },
    )

    def clean(self):
        cleaned = super().clean()
        passed = cleaned.get("status") == Progress.Status.TEST_PASSED
        if passed and not cleaned.get("evidence_url") and "evidence_url" not in self.errors:
            self.add_error("evidence_url", "Add a link to your evidence to mark the test passed.")
        return cleaned


def _get_skill(slug):
    return get_object_or_404(Skill.objects.select_related("trunk"), slug=slug)


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


def _safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def progress_context(request, skill, progress, form=None, saved=False, next_url=""):
    """What the skill-progress fragment needs, from this view or the `skill_progress` tag."""
    if form is None:
        form = ProgressForm(
            initial={
                "status": progress.status,
                "evidence_url": progress.evidence_url,
                "note": progress.note,
            }
        )
    return {
        "skill": skill,
        "progress": progress,
        "form": form,
        "saved": saved,
        "next_url": next_url,
        "user": request.user,
        "request": request,
    }


@login_required
@require_http_methods(["GET", "POST"])
def skill_progress(request, slug):
    skill = _get_skill(slug)
    progress = get_progress_for_user(request, skill)
    next_url = _safe_next(request, skill.get_absolute_url())
    form = None
    status = 200
    if request.method == "POST":
        form = ProgressForm(request.POST)
        if form.is_valid():
            progress = record_progress(request.user, skill, **form.cleaned_data)
            message = f"Saved: {skill.name} is “{progress.get_status_display()}”."
            if request.htmx:
                context = progress_context(request, skill, progress, saved=True, next_url=next_url)
                context["saved_message"] = message
                return render(request, "assessments/progress.html#skill-progress", context)
            messages.success(request, message)
            return redirect(f"{next_url}#progress" if "#" not in next_url else next_url)
        status = 200 if request.htmx else 400
    context = progress_context(request, skill, progress, form=form, next_url=next_url)
    template = "assessments/progress.html"
    if request.htmx:
        template += "#skill-progress"
    return render(request, template, context, status=status)


class LadderForm(forms.Form):
    signals = forms.ModelMultipleChoiceField(
        queryset=LadderSignal.objects.all(),
        required=False,
        error_messages={
            "invalid_choice": "That signal is not on the ladder. Nothing was saved.",
            "invalid_pk_value": "That signal is not on the ladder. Nothing was saved.",
        },
    )


def _ladder_levels():
    return list(LadderLevel.objects.prefetch_related("signals"))


def ladder_context(request, form=None):
    levels = _ladder_levels()
    ticks = SignalTick.objects.filter(user=request.user).values_list("signal_id", flat=True)
    return {
        "standing": ladder_standing(set(ticks), levels),
        "form": form,
        "user": request.user,
        "request": request,
    }


@login_required
@require_http_methods(["GET", "POST"])
def my_ladder(request):
    form = None
    status = 200
    if request.method == "POST":
        form = LadderForm(request.POST)
        if form.is_valid():
            chosen = list(form.cleaned_data["signals"])
            with transaction.atomic():
                SignalTick.objects.filter(user=request.user).exclude(signal__in=chosen).delete()
                SignalTick.objects.bulk_create(
                    [SignalTick(user=request.user, signal=signal) for signal in chosen],
                    ignore_conflicts=True,
                )
            context = ladder_context(request)
            message = f"Saved your signals. You are at {context['standing'].label}."
            if request.htmx:
                context["saved_message"] = message
                return render(request, "assessments/ladder.html#ladder-form", context)
            messages.success(request, message)
            return redirect("assessments:my_ladder")
        status = 200 if request.htmx else 400
    context = ladder_context(request, form=form)
    template = "assessments/ladder.html"
    if request.htmx:
        template += "#ladder-form"
    return render(request, template, context, status=status)


class PathStartForm(forms.Form):
    started_on = forms.DateField(
        label="The day you started the path",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the day you started, as a date.",
            "invalid": "Enter the day you started as a date, like 2026-01-05.",
        },
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.earliest = earliest_path_start(today)
        self.fields["started_on"].widget.attrs.update(
            {"max": today.isoformat(), "min": self.earliest.isoformat()}
        )

    def clean_started_on(self):
        return check_path_start(self.cleaned_data["started_on"], self.today)


def path_context(request, today=None):
    """Where the learner is on the path and whether they keep pace; shared with `path_summary`."""
    today = today or timezone.localdate()
    phases = list(PathPhase.objects.all())
    position = path_position(request.user.path_started_on, today, phases)
    tests_passed = Progress.objects.filter(
        user=request.user, status=Progress.Status.TEST_PASSED
    ).count()
    return {
        "position": position,
        "pace": keeps_pace(position, tests_passed),
        "pace_rule": PACE_RULE,
        "phases": phases,
        "tests_passed": tests_passed,
        "user": request.user,
        "request": request,
    }


@login_required
@require_http_methods(["GET", "POST"])
def my_path(request):
    today = timezone.localdate()
    user = request.user
    status = 200
    if request.method == "POST" and "clear" in request.POST:
        user.path_started_on = None
        user.save(update_fields=["path_started_on"])
        messages.success(request, "Cleared the day you started the path.")
        return redirect("assessments:my_path")
    if request.method == "POST":
        form = PathStartForm(request.POST, today=today)
        if form.is_valid():
            user.path_started_on = form.cleaned_data["started_on"]
            user.save(update_fields=["path_started_on"])
            position = path_position(user.path_started_on, today, PathPhase.objects.all())
            messages.success(request, f"Saved the day you started. {position.summary}")
            return redirect("assessments:my_path")
        status = 400
    else:
        form = PathStartForm(initial={"started_on": user.path_started_on}, today=today)
    context = path_context(request, today)
    context["form"] = form
    context["is_path_page"] = True
    return render(request, "assessments/path.html", context, status=status)
