"""The learner's data is theirs: download all of it, or delete the account and everything in it.

Every view here works only on the signed-in learner's own rows; none takes an id.
"""

import csv

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.forms import DeleteAccountForm
from accounts.models import Membership
from assessments.models import Audit, BaselineAnswer, Progress, Rating, SignalTick

EXPORT_FORMAT = "skill-tree-export/1"
RATINGS_CSV_HEADER = ["audit_id", "kind", "saved_at", "trunk", "skill", "rating"]


def _iso(moment):
    return moment.isoformat() if moment else None


def _audits_of(user):
    return (
        Audit.objects.filter(user=user)
        .order_by("started_at", "pk")
        .prefetch_related(
            Prefetch(
                "ratings",
                queryset=Rating.objects.select_related("skill__trunk").order_by(
                    "skill__trunk__number", "skill__order", "skill__pk"
                ),
            ),
            Prefetch(
                "answers",
                queryset=BaselineAnswer.objects.select_related("question").order_by(
                    "question__order", "question__pk"
                ),
            ),
        )
    )


def _skill_ref(skill):
    return {"trunk": skill.trunk.name, "skill": skill.name, "skill_slug": skill.slug}


def learner_export(user):
    """Everything the product holds about one learner, as plain JSON-ready data."""
    track = user.target_track
    profile = {
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "target_track": {"name": track.name, "slug": track.slug} if track else None,
        "path_started_on": user.path_started_on,
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
    }
    audits = [
        {
            "id": audit.pk,
            "kind": audit.kind,
            "started_at": _iso(audit.started_at),
            "saved_at": _iso(audit.saved_at),
            "ratings": [
                {**_skill_ref(rating.skill), "rating": rating.value}
                for rating in audit.ratings.all()
            ],
            "baseline_answers": [
                {
                    "question": answer.question.text,
                    "topic": answer.question.topic,
                    "answer": answer.value,
                }
                for answer in audit.answers.all()
            ],
        }
        for audit in _audits_of(user)
    ]
    progress = [
        {
            **_skill_ref(entry.skill),
            "status": entry.status,
            "evidence_url": entry.evidence_url,
            "note": entry.note,
            "learning_since": _iso(entry.learning_since),
            "passed_at": _iso(entry.passed_at),
            "updated_at": _iso(entry.updated_at),
            "review": entry.review,
            "review_comment": entry.review_comment,
            "reviewed_by": entry.reviewed_by.shown_name if entry.reviewed_by else None,
            "reviewed_at": _iso(entry.reviewed_at),
        }
        for entry in Progress.objects.filter(user=user)
        .select_related("skill__trunk", "reviewed_by")
        .order_by("skill__trunk__number", "skill__order", "skill__pk")
    ]
    ladder_ticks = [
        {
            "level": tick.signal.level.number,
            "level_name": tick.signal.level.name,
            "signal": tick.signal.text,
            "ticked_at": _iso(tick.ticked_at),
        }
        for tick in SignalTick.objects.filter(user=user)
        .select_related("signal__level")
        .order_by("signal__level__number", "signal__order", "signal__pk")
    ]
    cohorts = [
        {
            "cohort": membership.cohort.name,
            "joined_at": _iso(membership.joined_at),
            "leads": [lead.shown_name for lead in membership.cohort.leads.all()],
        }
        for membership in Membership.objects.filter(user=user)
        .select_related("cohort")
        .prefetch_related("cohort__leads")
        .order_by("joined_at", "pk")
    ]
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _iso(timezone.now()),
        "profile": profile,
        "audits": audits,
        "progress": progress,
        "ladder_ticks": ladder_ticks,
        "cohort_memberships": cohorts,
    }


def _attachment_name(extension):
    return f"skill-tree-{timezone.localdate().isoformat()}.{extension}"


@login_required
def export_json(request):
    response = JsonResponse(
        learner_export(request.user),
        encoder=DjangoJSONEncoder,
        json_dumps_params={"indent": 2, "ensure_ascii": False},
    )
    response["Content-Disposition"] = f'attachment; filename="{_attachment_name("json")}"'
    return response


@login_required
def export_ratings_csv(request):
    """One row per audit per rated skill. Unrated skills have no row, as in the audit itself."""
    ratings = (
        Rating.objects.filter(audit__user=request.user)
        .select_related("audit", "skill__trunk")
        .order_by("audit__started_at", "audit__pk", "skill__trunk__number", "skill__order", "pk")
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_attachment_name("csv")}"'
    writer = csv.writer(response)
    writer.writerow(RATINGS_CSV_HEADER)
    for rating in ratings:
        writer.writerow(
            [
                rating.audit.pk,
                rating.audit.kind,
                _iso(rating.audit.saved_at) or "",
                rating.skill.trunk.name,
                rating.skill.name,
                rating.value,
            ]
        )
    return response


@login_required
def delete_account(request):
    user = request.user
    form = DeleteAccountForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user.delete()
        logout(request)
        messages.success(
            request,
            "Your account is deleted, with every audit, rating, progress entry and ladder tick "
            "in it. Thank you for learning with Skill Tree.",
        )
        return redirect("curriculum:home")
    holdings = {
        "audits": Audit.objects.filter(user=user).count(),
        "ratings": Rating.objects.filter(audit__user=user).count(),
        "progress": Progress.objects.filter(user=user).count(),
        "ticks": SignalTick.objects.filter(user=user).count(),
        "cohorts": Membership.objects.filter(user=user).count(),
    }
    return render(request, "assessments/delete_account.html", {"form": form, "holdings": holdings})
