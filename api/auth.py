"""Who is asking: a personal access token in `Authorization: Bearer <token>`, and nothing else.

The API reads no session cookie (so no page's log-in reaches it, and no cross-site form can post
to it), and tokens are read here only (so no token reaches the admin or any page). Each token,
and each visitor's address (`accounts.login.client_address`), has its own budget of requests
(`API_RATE_LIMIT`, `API_VISITOR_RATE_LIMIT`: "requests/seconds"), counted in the shared cache;
past it, 429 with Retry-After. With the cache down, requests are not counted (the API stays up).

Operations read the person as `request.auth.owner` (`request.user` stays the session's, which
the API never reads).
"""

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from ninja.errors import AuthenticationError, AuthorizationError, Throttled
from ninja.security import HttpBearer

from accounts.login import client_address
from api import tokens

RATE_CACHE = "shared"


@dataclass(frozen=True)
class Visitor:
    """A request without a token, on an operation open to everyone."""

    address: str

    owner = None


def parse_rate(rate):
    count, _, seconds = rate.partition("/")
    return int(count), int(seconds or 60)


def spend(bucket, rate):
    """Count one request against `bucket`'s fixed window; raise Throttled past `rate`."""
    allowed, seconds = parse_rate(rate)
    now = time.time()
    window = int(now // seconds)
    key = f"api-rate:{bucket}:{window}"
    cache = caches[RATE_CACHE]
    try:
        cache.add(key, 0, timeout=seconds + 1)
        used = cache.incr(key)
    except Exception:  # noqa: BLE001 - a cache that is down or hangs counts nothing
        return
    if used > allowed:
        raise Throttled(wait=int((window + 1) * seconds - now) + 1)


def spend_token(token):
    """Count one request against `token`'s own budget (`API_RATE_LIMIT`): every request it makes,
    a replayed write too (api.middleware); raise Throttled past it."""
    spend(f"token:{token.pk}", settings.API_RATE_LIMIT)


def checked(request, sent, *, write):
    """The usable token `sent` is, its budget spent; 401 for anything else, 403 for a read-only
    token asked to write."""
    token = tokens.token_for(sent)
    if token is None:
        raise AuthenticationError()
    spend_token(token)
    if write and not token.can_write:
        raise AuthorizationError(
            message="This token is read only: make a read-and-write token on your profile page "
            "to change anything."
        )
    return token


class Token(HttpBearer):
    """A usable token is required; `write=True` also requires it to be a read-and-write one."""

    def __init__(self, *, write=False):
        self.write = write
        super().__init__()

    def authenticate(self, request, token):
        return checked(request, token, write=self.write)


def anyone(request):
    """Open to everyone: a visitor's requests are counted by address; a token, if sent, must
    still be a usable one (a revoked token is refused, not taken for a visitor)."""
    sent = tokens.sent_token(request)
    if sent is None:
        address = client_address(request)
        spend(f"visitor:{address}", settings.API_VISITOR_RATE_LIMIT)
        return Visitor(address)
    if not sent:
        raise AuthenticationError()
    return checked(request, sent, write=False)


READ = Token()
WRITE = Token(write=True)
