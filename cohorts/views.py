"""Cohorts: a lead creates one and shares its invite link; learners join and leave; the lead
reads the cohort's heatmap, one learner's page, reviews evidence and exports a CSV.

Every cohort URL checks on the server that the user leads the cohort (or, to leave, is a member),
and answers 404 otherwise, so nobody learns which cohorts exist.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

import pages
from assessments.standing import standing_for
from cohorts import export, heatmap, over_time, report, review
from cohorts.forms import CohortForm, NewCohortForm, ReviewForm
from cohorts.members import join_cohort, leave_cohort, member_pks
from cohorts.models import WHAT_LEADS_SEE, Cohort, Membership
from cohorts.roles import can_start_cohorts, leads_cohorts
from cohorts.start import save_cohort, start_cohort


def _get_cohort_for_lead(request, pk):
    """The cohort if the signed-in user leads it and may still lead; 404 for everyone else,
    staff included."""
    return get_object_or_404(Cohort.objects.led_by(request.user), pk=pk)


def _get_member_for_lead(cohort, user_pk):
    return get_object_or_404(
        get_user_model().objects.select_related("target_track"),
        pk=user_pk,
        memberships__cohort=cohort,
    )


def _get_claim_for_lead(request, pk):
    """A "test passed" with evidence from a learner in one of the lead's cohorts, or 404."""
    return get_object_or_404(review.evidence_claims(request.user), pk=pk)


def _cohort_by_token(token):
    if not token:
        return None
    return Cohort.objects.filter(invite_token=token).prefetch_related("leads").first()


def _profile_url():
    return reverse("profile") + "#cohorts"


def _require_may_start(request):
    if not can_start_cohorts(request.user):
        raise Http404("Only cohort leads can create cohorts; staff make someone a lead.")


@login_required
def landing(request):
    """Where signing in lands: a lead's cohorts first, everyone else's dashboard."""
    if leads_cohorts(request.user):
        return redirect("cohorts:cohorts")
    return redirect("assessments:dashboard")


@login_required
def cohort_list(request):
    """The cohorts this user leads, and a way to start one if they may."""
    led = list(
        Cohort.objects.led_by(request.user)
        .annotate(member_count=Count("memberships", distinct=True))
        .order_by("name", "pk")
    )
    can_create = can_start_cohorts(request.user)
    if not led and not can_create:
        raise Http404("You do not lead any cohort.")
    return render(request, "cohorts/list.html", {"cohorts": led, "can_create": can_create})


@login_required
def cohort_create(request):
    """Start a cohort; the same form sent again (a double click) leads to the first one."""
    _require_may_start(request)
    form = NewCohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cohort, created = start_cohort(form, request.user)
        if cohort is None:
            form.add_error(None, "This form was already used: reload the page and send it again.")
        elif created:
            messages.success(request, f"“{cohort.name}” is ready. Share its invite link below.")
            return redirect(cohort)
        else:
            messages.info(request, f"“{cohort.name}” was already started: here it is.")
            return redirect(cohort)
    return render(request, "cohorts/form.html", {"form": form, "cohort": None})


@login_required
def cohort_edit(request, pk):
    cohort = _get_cohort_for_lead(request, pk)
    form = CohortForm(request.POST or None, instance=cohort)
    if request.method == "POST" and form.is_valid():
        save_cohort(form)
        messages.success(request, "The cohort is saved.")
        return redirect(cohort)
    return render(request, "cohorts/form.html", {"form": form, "cohort": cohort})


@login_required
def cohort_detail(request, pk):
    """The heatmap. `?view=skills` switches columns; `?sort=` and `?stale=1` shape the rows,
    `?page=` picks a page of them; htmx asks for the next page's rows only (`#heatmap-more`).
    The counts and the heatmap are kept until a member's or the cohort's rows change
    (pages.for_people), and computed on a miss."""
    cohort = _get_cohort_for_lead(request, pk)
    members = member_pks(cohort)
    columns = request.GET.get("view", "trunks")
    columns = columns if columns in heatmap.COLUMNS else "trunks"
    sort = request.GET.get("sort", "name")
    sort = sort if sort in heatmap.SORTS else "name"
    stale_only = request.GET.get("stale") == "1"
    context = {
        "kept": pages.for_people(members, [cohort.pk]),
        "member_count": len(members),
        "cohort": cohort,
        "grid": pages.lazily(
            lambda: heatmap.cohort_grid(
                cohort,
                columns=columns,
                sort=sort,
                stale_only=stale_only,
                page_number=request.GET.get("page"),
            )
        ),
        "columns": columns,
        "column_choices": heatmap.COLUMNS,
        "sort": sort,
        "sort_choices": heatmap.SORTS,
        "sort_label": heatmap.SORTS[sort].lower(),
        "stale_only": stale_only,
        "invite_url": (
            request.build_absolute_uri(reverse("cohorts:cohort_join", args=[cohort.invite_token]))
            if cohort.invite_token
            else ""
        ),
    }
    template = "cohorts/detail.html"
    if request.htmx and request.htmx.target == "heatmap":
        template += "#heatmap"
    elif request.htmx and request.htmx.target == "heatmap-more":
        template += "#heatmap-rows"
    return render(request, template, context)


@login_required
@require_POST
def cohort_invite(request, pk):
    """Turn the invite link off, or make a new one; either way the old link stops working."""
    cohort = _get_cohort_for_lead(request, pk)
    action = request.POST.get("action")
    if action == "off":
        cohort.turn_off_invite()
        messages.success(request, "The invite link is off. Nobody can join with it now.")
    elif action == "regenerate":
        cohort.regenerate_invite()
        messages.success(request, "Here is a new invite link. The old one no longer works.")
    else:
        return HttpResponseBadRequest("Choose to turn the invite link off or make a new one.")
    return redirect(reverse("cohorts:cohort", args=[cohort.pk]) + "#invite")


@login_required
def cohort_learner(request, pk, user_pk):
    cohort = _get_cohort_for_lead(request, pk)
    learner = _get_member_for_lead(cohort, user_pk)
    context = {
        "cohort": cohort,
        "learner": learner,
        "standing": standing_for(learner, subject=learner.shown_name),
        "links": {},
    }
    context.update(report.learner_report(learner))
    return render(request, "cohorts/learner.html", context)


@login_required
def cohort_over_time(request, pk):
    """The cohort's mean by trunk week by week, and the failure modes it shows now."""
    cohort = _get_cohort_for_lead(request, pk)
    return render(
        request,
        "cohorts/over_time.html",
        {"cohort": cohort, "progress": over_time.cohort_over_time(cohort)},
    )


@login_required
def cohort_export(request, pk):
    cohort = _get_cohort_for_lead(request, pk)
    filename = f"{slugify(cohort.name) or 'cohort'}-{timezone.localdate().isoformat()}.csv"
    response = StreamingHttpResponse(
        export.export_csv_chunks(cohort), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def review_queue(request):
    """Claims waiting for review, `?page=` at a time; htmx swaps just the waiting list."""
    if not Cohort.objects.led_by(request.user).exists():
        raise Http404("You do not lead any cohort.")
    queue = review.review_queue(request.user, page_number=request.GET.get("page"))
    template = "cohorts/reviews.html"
    if request.htmx and request.htmx.target == "waiting":
        template += "#waiting"
    return render(request, template, {"queue": queue, "form": ReviewForm()})


@login_required
def review_claim(request, pk):
    """One claim and its review form; the POST records the outcome and who gave it."""
    claim = _get_claim_for_lead(request, pk)
    form = ReviewForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            review.record_review(
                claim,
                lead=request.user,
                outcome=form.cleaned_data["review"],
                comment=form.cleaned_data["comment"],
                seen_evidence=form.cleaned_data["seen_evidence"] or None,
            )
        except review.ClaimChanged:
            claim = _get_claim_for_lead(request, pk)  # 404 once taken back
            messages.error(
                request,
                f"{claim.user.shown_name} changed this claim since you opened it, so nothing was "
                "recorded. Look at the evidence as it is now before you give your verdict.",
            )
            form = ReviewForm(initial={"comment": form.cleaned_data["comment"]})
            status = 409
        else:
            messages.success(
                request,
                f"{claim.user.shown_name}’s test for {claim.skill.name}: "
                f"{claim.get_review_display().lower()}.",
            )
            return redirect("cohorts:cohort_reviews")
    elif request.method == "POST":
        status = 400
    return render(request, "cohorts/review.html", {"claim": claim, "form": form}, status=status)


def join(request, token):
    """The invite page: who leads the cohort and what they will see, then one click to join."""
    cohort = _cohort_by_token(token)
    if cohort is None:
        return render(request, "cohorts/join_invalid.html", status=404)
    leads = list(cohort.leads.all())
    is_lead = any(lead.pk == request.user.pk for lead in leads)
    is_member = (
        request.user.is_authenticated
        and Membership.objects.filter(cohort=cohort, user=request.user).exists()
    )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        if is_lead:
            messages.info(request, f"You lead “{cohort.name}”: this is the link you share.")
            return redirect("cohorts:cohort", pk=cohort.pk)
        if not is_member:
            join_cohort(cohort, request.user)
            messages.success(
                request, f"You joined “{cohort.name}”. Its leads can now see your progress."
            )
        else:
            messages.info(request, f"You are already in “{cohort.name}”.")
        return redirect("cohorts:cohort_welcome", pk=cohort.pk)
    return render(
        request,
        "cohorts/join.html",
        {
            "cohort": cohort,
            "leads": leads,
            "what_leads_see": WHAT_LEADS_SEE,
            "is_lead": is_lead,
            "is_member": is_member,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def welcome(request, pk):
    """The step after joining: the cohort joined, who now sees what, and the audit to take next.
    Only the cohort's members see it; anyone else gets 404."""
    membership = get_object_or_404(
        Membership.objects.select_related("cohort"), cohort_id=pk, user=request.user
    )
    return render(
        request,
        "cohorts/welcome.html",
        {
            "cohort": membership.cohort,
            "leads": list(membership.cohort.leads.all()),
            "what_leads_see": WHAT_LEADS_SEE,
        },
    )


@login_required
@require_POST
def leave(request, pk):
    membership = get_object_or_404(Membership, cohort_id=pk, user=request.user)
    name = membership.cohort.name
    leave_cohort(membership)
    messages.success(request, f"You left “{name}”. Its leads no longer see your data.")
    return redirect(_profile_url())
