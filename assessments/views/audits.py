"""Audits: the quick baseline, the full audit (draft, one rating at a time, save), history."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

import pages
from assessments import audits, history
from assessments.calibration import calibration_for, summary
from assessments.models import RATING_CHOICES, Audit, BaselineAnswer
from assessments.standing import standing_for
from assessments.views.dashboard import dashboard_links
from curriculum.cache import skill_count, trunks_with_skills
from curriculum.models import Bucket, Skill, Trunk
from curriculum.passages import passages


def _problem(request, message, status):
    """A 4xx page (or, for htmx, a bare message) that says in plain words what went wrong."""
    if request.htmx:
        return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    return render(
        request,
        "assessments/audit_problem.html",
        {"message": message, "status": status},
        status=status,
    )


# Quick audit


class QuickAuditForm(forms.Form):
    """One required 1–5 choice per baseline question, named ``question-<pk>``."""

    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"question-{question.pk}"] = forms.TypedChoiceField(
                label=question.text,
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "Pick a rating from 1 to 5 for this question."},
            )

    def rows(self):
        return [(q, self[f"question-{q.pk}"]) for q in self.questions]

    def answers(self):
        return {q: self.cleaned_data[f"question-{q.pk}"] for q in self.questions}


@require_http_methods(["GET", "POST"])
def quick_audit(request):
    """Open to visitors too: their answers stay in the session (no rows) until they sign up."""
    questions = list(audits.baseline_questions())
    visitor = not request.user.is_authenticated
    if request.method == "POST":
        form = QuickAuditForm(questions, request.POST)
        if form.is_valid():
            if visitor:
                audits.keep_visitor_answers(request.session, form.answers())
                return redirect("assessments:visitor_picture")
            audit, created = audits.record_quick_audit(request.user, form.answers())
            if created:
                messages.success(request, "Quick audit saved. Here is your first picture.")
            else:
                messages.info(request, "This quick audit was already saved: here it is.")
            return redirect("assessments:audit_detail", pk=audit.pk)
        status = 400
    else:
        if visitor:
            kept = audits.visitor_answers(request.session, questions)
            initial = {f"question-{a.question.pk}": a.value for a in kept}
        else:
            last = audits.last_saved_audit(request.user, Audit.Kind.QUICK)
            initial = {}
            if last is not None:
                initial = {
                    f"question-{question_id}": value
                    for question_id, value in last.answers.values_list("question_id", "value")
                }
        form = QuickAuditForm(questions, initial=initial)
        status = 200
    return render(
        request,
        "assessments/quick_audit.html",
        {
            "form": form,
            "rating_scale": audits.RATING_SCALE,
            "passages": passages("baseline-intro", "baseline-point"),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD"])
def visitor_picture(request):
    """A visitor's first picture from the answers in their session; signed in, their saved one."""
    if request.user.is_authenticated:
        last = audits.last_saved_audit(request.user, Audit.Kind.QUICK)
        if last is None:
            return redirect("assessments:quick_audit")
        return redirect("assessments:audit_detail", pk=last.pk)
    answers = audits.visitor_answers(request.session, audits.baseline_questions())
    if not answers:
        return redirect("assessments:quick_audit")
    return render(
        request,
        "assessments/audit_detail.html",
        {
            "buckets": audits.bucket_picture(answers),
            "skill_count": skill_count(),
            "passages": passages("baseline-point"),
            "visitor": True,
        },
    )


def keep_visitor_quick_audit(sender, request, user, **kwargs):
    """On sign-up or log-in (the user_logged_in signal), a visitor's quick audit becomes theirs."""
    if request is None or not hasattr(request, "session"):
        return
    if audits.adopt_visitor_answers(request.session, user) is not None:
        messages.success(request, "Your quick audit is saved to your account.")


# Full audit


def _audit_page_context(audit):
    """Every trunk with its current skills (and, in a saved audit, the retired skills it
    rated), each skill carrying this audit's rating (None = unrated) and whether its mastery
    text changed after it was rated (`bar_changed`)."""
    rated = {
        skill_id: (value, version)
        for skill_id, value, version in audit.ratings.values_list(
            "skill_id", "value", "mastery_version"
        )
    }
    values = {skill_id: value for skill_id, (value, _version) in rated.items()}
    labels = dict(RATING_CHOICES)
    trunks = trunks_with_skills()
    listed = {skill.pk for trunk in trunks for skill in trunk.skills.all()}
    if audit.is_saved and rated.keys() - listed:
        shown = Skill.objects.filter(Q(retired=False) | Q(pk__in=list(rated)))
        trunks = list(Trunk.objects.prefetch_related(Prefetch("skills", queryset=shown)))
    skill_count = 0
    for trunk in trunks:
        trunk.skill_count = trunk.rated_count = 0
        for skill in trunk.skills.all():
            skill.rating = values.get(skill.pk)
            skill.rating_label = labels.get(skill.rating)
            skill.bar_changed = skill.pk in rated and history.bar_changed(rated[skill.pk][1], skill)
            trunk.skill_count += 1
            trunk.rated_count += skill.rating is not None
        skill_count += trunk.skill_count
    return {
        "audit": audit,
        "trunks": trunks,
        "rated_count": len(values),
        "skill_count": skill_count,
        "rating_choices": RATING_CHOICES,
    }


@login_required
@require_http_methods(["GET", "HEAD"])
def audit(request):
    """The draft's page: what shows its ratings is kept in `{% cache %}` fragments per learner
    (pages.for_learner); the form around them, with the draft's number and the CSRF token,
    renders every time."""
    user = request.user
    draft = audits.draft_full_audit(user)

    def ratings():
        context = _audit_page_context(draft)
        context["previous"] = audits.last_saved_audit(user, Audit.Kind.FULL)
        return context

    context = {
        "audit": draft,
        "kept": pages.for_learner(user.pk),
        "draft": pages.lazily(ratings),
        "rating_choices": RATING_CHOICES,
        "passages": passages("baseline-point"),
    }
    return render(request, "assessments/audit.html", context)


@login_required
@require_POST
def rate(request, pk):
    """Store ratings in a draft: one skill per htmx click, or the whole form without JavaScript,
    both through `audits.rate` (404 for an audit that is not theirs, 409 for a saved one)."""
    try:
        ratings = audits.parse_ratings(request.POST)
        if not ratings:
            raise audits.BadRating("Pick a rating from 1 to 5 (or “unrated”) for a skill.")
        outcome = audits.rate(request.user, pk, ratings)
    except audits.AuditLocked as locked:
        message = f"{locked} Nothing was changed: rate in your new draft, which starts from it."
        if request.htmx:
            messages.warning(request, message)
            response = _problem(request, message, status=409)
            response["HX-Redirect"] = reverse("assessments:audit")
            return response
        return _problem(request, message, status=409)
    except audits.BadRating as bad:
        audits.own_audit(request.user, pk)
        return _problem(request, str(bad), status=400)

    if not request.htmx:
        messages.success(
            request,
            f"Ratings saved: {outcome.rated_count} of {outcome.skill_count} skills rated.",
        )
        return redirect("assessments:audit")

    if len(ratings) != 1:
        return HttpResponse(status=204, headers={"HX-Refresh": "true"})
    ((skill_id, value),) = ratings.items()
    skill = outcome.sent[skill_id]
    return render(
        request,
        "assessments/audit.html#saved",
        {
            "skill": {"pk": skill_id, "name": skill.name, "rating": value},
            "just_saved": True,
            "skill_trunk": {
                "number": skill.trunk_number,
                "rated_count": outcome.rated_in_trunk(skill),
                "skill_count": skill.trunk_skill_count,
            },
            "rated_count": outcome.rated_count,
            "skill_count": outcome.skill_count,
        },
    )


@login_required
@require_POST
def save_audit(request, pk):
    """Freeze the draft, taking in any ratings the no-JavaScript form sent with the button."""
    audit = audits.own_audit(request.user, pk)
    if audit.is_saved:
        return _problem(
            request,
            f"This audit was already saved on {audits.saved_on(audit)} and can’t be changed.",
            status=409,
        )
    try:
        ratings = audits.parse_ratings(request.POST)
        if ratings:
            audits.rate(request.user, audit.pk, ratings)
    except audits.AuditLocked as locked:
        return _problem(request, str(locked), status=409)
    except audits.BadRating as bad:
        return _problem(request, str(bad), status=400)
    try:
        saved = audits.save_audit(audit)
    except audits.NothingRated as empty:
        messages.error(request, str(empty))
        return redirect("assessments:audit")
    if not saved:
        return _problem(request, "This audit was already saved and can’t be changed.", status=409)
    messages.success(
        request,
        f"Audit saved on {audits.saved_on(audit)}. It is a snapshot now and won’t change; "
        "your next audit starts from these ratings.",
    )
    return redirect("assessments:audit_detail", pk=audit.pk)


# History


@login_required
def audit_history(request):
    """Kept in a `{% cache %}` fragment per learner (pages.for_learner); two queries on a miss,
    and one or two for how the learner's ratings held up (assessments.calibration)."""
    user = request.user

    def saved_and_draft():
        saved = (
            Audit.objects.saved()
            .filter(user=user)
            .annotate(
                rated_count=Count("ratings", distinct=True),
                answer_count=Count("answers", distinct=True),
            )
            .order_by("-saved_at")
        )
        draft = (
            Audit.objects.drafts()
            .filter(user=user, kind=Audit.Kind.FULL)
            .annotate(rated_count=Count("ratings"))
            .first()
        )
        held_up = calibration_for(user)
        return {
            "audits": saved,
            "draft": draft,
            "skill_count": skill_count(),
            "calibration": held_up,
            "calibration_summary": summary(held_up),
        }

    return render(
        request,
        "assessments/audit_history.html",
        {"kept": pages.for_learner(user.pk), "history": pages.lazily(saved_and_draft)},
    )


@login_required
def audit_detail(request, pk):
    """A saved audit's result: the quick audit's first picture, or what a full audit earned
    (the gap to the target track, what moved since the audit before it, the fit to each track)."""
    audit = audits.own_audit(request.user, pk)
    if not audit.is_saved:
        return redirect("assessments:audit")
    if audit.kind == Audit.Kind.QUICK:
        answers = BaselineAnswer.objects.filter(audit=audit).select_related("question__bucket")
        return render(
            request,
            "assessments/audit_detail.html",
            {
                "audit": audit,
                "buckets": audits.bucket_picture(answers),
                "bars": history.bar_report(audit, Bucket.objects.all()),
                "skill_count": skill_count(),
                "passages": passages("baseline-point"),
            },
        )
    standing = standing_for(request.user, as_of=audit)
    return render(
        request,
        "assessments/audit_detail.html",
        {
            "audit": audit,
            "standing": standing,
            "links": dashboard_links(),
            "bars": standing.bars,
            "rated_count": len(standing.reading.ratings),
            "skill_count": skill_count(),
        },
    )


@login_required
def audit_ratings(request, pk):
    """A saved full audit's rating of every skill, trunk by trunk."""
    audit = audits.own_audit(request.user, pk)
    if not audit.is_saved:
        return redirect("assessments:audit")
    if audit.kind != Audit.Kind.FULL:
        return redirect("assessments:audit_detail", pk=audit.pk)
    return render(request, "assessments/audit_ratings.html", _audit_page_context(audit))
