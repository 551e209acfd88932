"""The learner's data is theirs: download all of it, or delete the account and everything in it.

Every view here works only on the signed-in learner's own rows; none takes an id. What goes into
the download is built in `assessments.export`. Deleting the account also removes its login records
and its other sessions (`accounts.signals`) and closes the cohorts only it led (`cohorts.closing`,
whose warning the delete page shows).
"""

import csv

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from accounts.forms import DeleteAccountForm, confirms_by_code
from assessments.export import holdings, learner_export, ratings_rows
from curriculum import personal


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
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_attachment_name("csv")}"'
    csv.writer(response).writerows(ratings_rows(request.user))
    return response


def confirms_with_a_code(request):
    return confirms_by_code(request.user)


@login_required
@reauthentication_required(enabled=confirms_with_a_code)
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
    return render(
        request,
        "assessments/delete_account.html",
        {
            "form": form,
            "holdings": holdings(user),
            "personal": personal.context_for(request, "delete_account"),
        },
    )
