"""What every answer under /api/ shares: problem details for every refusal, an ETag on reads (304
for a matching If-None-Match), the replay of a write sent again with the same Idempotency-Key,
CORS for the origins the operator lists (none by default), and no caching by shared caches."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import conditional_page
from ninja.errors import Throttled

from api import auth, problems, tokens
from api.models import AccessToken, IdempotentWrite

API_PREFIX = "/api/"
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
IDEMPOTENCY_HEADER = "Idempotency-Key"
KEY_MAX_LENGTH = 100
KEPT_FOR = timedelta(days=1)
"""How long an Idempotency-Key's answer is kept: the same key after that is a new request."""
CORS_HEADERS = "Authorization, Content-Type, Idempotency-Key, If-None-Match"
CORS_EXPOSED = "ETag, Retry-After, Idempotent-Replayed"


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.answer_read = conditional_page(self.answer)

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        origin = request.headers.get("Origin", "")
        allowed = origin in settings.API_CORS_ALLOWED_ORIGINS
        if request.method == "OPTIONS" and allowed:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, POST, PUT, OPTIONS"
            response["Access-Control-Allow-Headers"] = CORS_HEADERS
            response["Access-Control-Max-Age"] = "600"
        elif request.method in WRITES:
            response = self.answer_write(request)
        else:
            response = self.answer_read(request)
        if allowed:
            response["Access-Control-Allow-Origin"] = origin
            response["Access-Control-Expose-Headers"] = CORS_EXPOSED
        patch_vary_headers(response, ["Authorization", "Origin"])
        patch_cache_control(response, private=True, no_cache=True)
        return response

    def answer(self, request):
        """The view's answer, any refusal in it made problem details."""
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            problems.CONTENT_TYPE
        ):
            detail = {
                404: "There is no such thing here, or it is not yours to see.",
                405: f"{request.method} is not allowed here.",
            }.get(response.status_code, "The request could not be answered.")
            headers = {"Allow": response["Allow"]} if response.has_header("Allow") else None
            response = problems.problem_response(response.status_code, detail, headers=headers)
        return response

    def answer_write(self, request):
        """A write; with an Idempotency-Key, the answer kept for that key and token if it was
        sent before (the write is not done again, but the request counts against the token's
        budget), else the answer, kept under it."""
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is None:
            return self.answer(request)
        if not key or len(key) > KEY_MAX_LENGTH:
            return problems.problem_response(
                400, f"An {IDEMPOTENCY_HEADER} is 1 to {KEY_MAX_LENGTH} characters."
            )
        token = tokens.token_for(tokens.sent_token(request) or "")
        if token is not None:
            IdempotentWrite.objects.filter(
                token=token, created_at__lt=timezone.now() - KEPT_FOR
            ).delete()
            kept = IdempotentWrite.objects.filter(token=token, key=key).first()
            if kept is not None:
                try:
                    auth.spend_token(token)
                except Throttled as throttled:
                    return problems.too_many(throttled.wait, token_sent=True)
                return self.replay(request, kept)
        response = self.answer(request)
        if (
            isinstance(getattr(request, "auth", None), AccessToken)
            and response.status_code < 500
            and response.status_code not in (401, 429)
        ):
            try:
                with transaction.atomic():
                    IdempotentWrite.objects.create(
                        token=request.auth,
                        key=key,
                        method=request.method,
                        path=request.path,
                        status=response.status_code,
                        body=response.content,
                    )
            except IntegrityError:
                pass  # the same key at the same moment: the first one's answer is kept
        return response

    def replay(self, request, kept):
        if (kept.method, kept.path) != (request.method, request.path):
            return problems.problem_response(
                422,
                f"This {IDEMPOTENCY_HEADER} was used for {kept.method} {kept.path}: use a new key "
                "for another request.",
            )
        content_type = "application/json" if kept.status < 400 else problems.CONTENT_TYPE
        response = HttpResponse(bytes(kept.body), status=kept.status, content_type=content_type)
        response["Idempotent-Replayed"] = "true"
        return response
