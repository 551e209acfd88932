"""Errors as RFC 9457 problem details: `application/problem+json` with type, title, status and a
detail in plain words; nothing else ever answers a 4xx or 5xx under /api/."""

import json
from http import HTTPStatus

from django.http import HttpResponse
from ninja import Schema

PROBLEM_TYPE = "https://skilltree.example.org/problems/"
CONTENT_TYPE = "application/problem+json"


class ProblemOut(Schema):
    """RFC 9457 problem details; `errors` lists the fields that are not valid."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict] | None = None


class Problem(Exception):
    """Refuse a request: `status` with `detail` (and any `extra` members, e.g. field errors)."""

    def __init__(self, status, detail, **extra):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.extra = extra


def title_of(status):
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_body(status, detail, **extra):
    title = title_of(status)
    return {
        "type": PROBLEM_TYPE + title.lower().replace(" ", "-"),
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }


def problem_response(status, detail, headers=None, **extra):
    return HttpResponse(
        json.dumps(problem_body(status, detail, **extra)),
        status=status,
        content_type=CONTENT_TYPE,
        headers=headers,
    )


def too_many(wait, *, token_sent):
    """429 for a token (`token_sent`) or a visitor's address past its budget, with how long to
    wait."""
    wait = max(1, int(wait or 1))
    if token_sent:
        detail = f"Too many requests with this token: try again in {wait} seconds."
    else:
        detail = (
            f"Too many requests from your address without a token: try again in {wait} "
            "seconds, or send a personal access token (make one on your profile page), which "
            "has a budget of its own."
        )
    return problem_response(429, detail, headers={"Retry-After": str(wait)})


def field_errors(errors):
    """Ninja's (pydantic's) validation errors as [{"field": "a.b", "message": ...}]."""
    shown = []
    for error in errors:
        where = [str(part) for part in error.get("loc", ()) if part not in ("body", "payload")]
        shown.append({"field": ".".join(where), "message": error.get("msg", "Not valid.")})
    return shown


def form_errors(form):
    """A Django form's errors as [{"field": name, "message": ...}] (`field` "" for the form's own)."""
    return [
        {"field": "" if name == "__all__" else name, "message": str(message)}
        for name, messages in form.errors.items()
        for message in messages
    ]


def install(api):
    """Every error the API can raise, answered as problem details."""
    from django.http import Http404
    from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

    from api import tokens

    @api.exception_handler(Problem)
    def problem(request, exc):
        return problem_response(exc.status, exc.detail, **exc.extra)

    @api.exception_handler(ValidationError)
    def not_valid(request, exc):
        errors = field_errors(exc.errors)
        detail = "; ".join(
            f"{error['field'] or 'the request'}: {error['message']}" for error in errors
        )
        return problem_response(422, detail or "The request is not valid.", errors=errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return problem_response(
            401,
            "Send a valid personal access token: `Authorization: Bearer <token>` (make one on "
            "your profile page). A revoked or expired token, or one whose account is closed, "
            "no longer works.",
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
        )

    @api.exception_handler(Throttled)
    def throttled(request, exc):
        return too_many(exc.wait, token_sent=tokens.sent_token(request) is not None)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return problem_response(404, "There is no such thing here, or it is not yours to see.")

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        return problem_response(exc.status_code, str(exc))
