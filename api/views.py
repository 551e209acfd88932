"""Personal access tokens on the profile page: make one (shown once), see them, revoke one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from api import tokens
from api.forms import AccessTokenForm
from api.models import AccessToken
from api.v1 import api
from curriculum import personal


def _tokens_url():
    return reverse("profile") + "#api-tokens"


def profile_section(request):
    """The profile's "API tokens" section: the person's tokens, newest first (one query)."""
    context = {"tokens": list(AccessToken.objects.of(request.user)), "now": timezone.now()}
    return {"access_tokens": render_to_string("api/_tokens.html", context, request=request)}


def register_providers():
    personal.register("profile", profile_section)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def token_create(request):
    """The form; sent, make a token and show it, once, on a page of its own (never in a redirect
    or a message, which would keep it in the session)."""
    if request.method != "POST":
        return render(request, "api/token_form.html", {"form": AccessTokenForm()})
    form = AccessTokenForm(request.POST)
    if not form.is_valid():
        return render(request, "api/token_form.html", {"form": form}, status=400)
    row, token, created = tokens.make_token(
        request.user,
        name=form.cleaned_data["name"],
        scope=form.cleaned_data["scope"],
        days=form.cleaned_data["days"],
        form_token=form.cleaned_data["form_token"],
    )
    if row is None:
        form.add_error(None, "This form was already used: reload the page and send it again.")
        return render(request, "api/token_form.html", {"form": form}, status=400)
    return render(request, "api/token_made.html", {"row": row, "token": token, "created": created})


@login_required
@require_POST
def token_revoke(request, pk):
    row = tokens.own_token(request.user, pk)
    tokens.revoke(row)
    messages.success(request, f"“{row.name}” is revoked: it no longer works.")
    return redirect(_tokens_url())


def token_needed(method, operation):
    """ "" (anyone), "read" (any token of yours) or "write" (a read-and-write token)."""
    if not operation.get("security"):
        return ""
    return "read" if method == "get" else "write"


@require_safe
def docs(request):
    """The API's operations, read from its OpenAPI schema: what each does and who may call it."""
    schema = api.get_openapi_schema()
    groups = {}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            groups.setdefault(operation.get("tags", ["Other"])[0], []).append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "token": token_needed(method, operation),
                    "parameters": [
                        p["name"] for p in operation.get("parameters", []) if p["in"] == "query"
                    ],
                }
            )
    return render(
        request,
        "api/docs.html",
        {"groups": groups, "schema_url": reverse("api:openapi-json"), "info": schema["info"]},
    )
