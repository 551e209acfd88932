"""The page cache, all of it: what is kept, under which versions, and who moves them on.

Three kinds of version, each a random token in the `shared` cache (settings.CACHES: Redis with
REDIS_URL, so every server reads the same; otherwise Django's file cache, shared by one server's
processes: a read costs no query, as the database cache's would, and Django's culling, which
lists the directory, runs only on a write, that is on a bump; a culled token is only made
afresh, which moves its pages on): `curriculum`, one per learner (`learner:<pk>`) and one per
cohort (`cohort:<pk>`). What is kept lives in each process's own memory (the `default` cache) under keys that hold the versions
it was made at, so nothing is ever invalidated by hand: a new token makes new keys, and the old
entries age out. Kept are (1) visitors' curriculum pages, whole, by path and the curriculum's
version (`VisitorPagesMiddleware`, for views marked `kept_for_visitors`: no session cookie, so
no CSRF token and nothing personal; answered before the session and auth middleware, with an
ETag, 304 when it matches, and a short public Cache-Control with `Vary: Cookie`);
(2) `{% cache %}` fragments of signed-in pages, keyed by a `Fragment`'s version: a learner's
(`for_learner`: the curriculum's and theirs) or a lead's (`for_people`: the curriculum's, each
learner shown and each cohort shown), and the hour, as pages count days and weeks; the page
around them, forms and CSRF token included, renders every time; (3) curriculum reads many pages
share (`kept`, `remembered`). Each domain write calls the bump for what it changed,
where it writes: `bump_curriculum` (an admin save or delete, `load_curriculum`,
`import_framework`, the link check), `bump_learner` (a rating, a saved audit, progress and
evidence, ladder ticks, notes, sharing, the profile, the target track, the path's start, a
lead's verdict on their evidence, joining or leaving a cohort) and `bump_cohort` (that cohort's
creation, rename, invite link, members). Inside a transaction a bump happens at once and again
on commit, so neither a later read in it nor a page made meanwhile from uncommitted rows outlives
it. The cache is an accelerator, never a dependency: when the shared cache cannot be read (Redis
down or hung: its socket timeouts are 50 ms) there is no version, nothing is kept or served from
memory, and the page is computed from the database; the next reads in the following few seconds
(`shared_backoff`) do not wait on it again.
"""

import functools
import hashlib
import logging
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import condition, require_safe

logger = logging.getLogger(__name__)

CURRICULUM = "curriculum"
KEPT_SECONDS = 24 * 60 * 60
FRAGMENT_SECONDS = 60 * 60
VISITORS_MAX_AGE = 60


class Backoff:
    """After a failed read, a cache is left alone for `seconds` (this process's clock), so that
    a page that reads it several times (each curriculum read reads a version) waits for one
    timeout, not one per read. One for the shared cache, which the sessions' Redis copy also
    heeds: it is the same Redis."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.until = 0.0

    def resting(self):
        return time.monotonic() < self.until

    def failed(self):
        self.until = time.monotonic() + self.seconds

    def reset(self):
        self.until = 0.0


RETRY_SECONDS = 5.0
shared_backoff = Backoff(RETRY_SECONDS)


def _learner(pk):
    return f"learner:{pk}"


def _cohort(pk):
    return f"cohort:{pk}"


# Versions


def versions(keys):
    """One string standing for the tokens of `keys`, or None when the shared cache cannot be
    read. A token not there yet is made (`add`, so two processes agree on the first one)."""
    if shared_backoff.resting():
        return None
    store = caches["shared"]
    try:
        found = store.get_many(keys)
        missing = [key for key in keys if key not in found]
        if missing:
            for key in missing:
                store.add(key, uuid.uuid4().hex, None)
            found = store.get_many(keys)
    except Exception as error:  # noqa: BLE001 - any cache failure means "not kept"
        shared_backoff.failed()
        logger.warning("cache read failed, computing instead", extra={"error": repr(error)})
        return None
    if len(found) != len(keys):
        return None
    tokens = ":".join(found[key] for key in keys)
    return tokens if len(keys) <= 2 else hashlib.sha256(tokens.encode()).hexdigest()


def curriculum_version():
    return versions([CURRICULUM])


def _replace(keys):
    """New tokens for `keys`; should that fail (a full store, say), the old ones are deleted, so
    that nothing is served under them."""
    store = caches["shared"]
    try:
        store.set_many({key: uuid.uuid4().hex for key in keys}, None)
    except Exception as error:  # noqa: BLE001
        logger.warning("cache write failed", extra={"error": repr(error)})
        try:
            store.delete_many(keys)
        except Exception as error:  # noqa: BLE001
            logger.warning("cache delete failed", extra={"error": repr(error)})


def _bump(keys):
    keys = list(keys)
    if not keys:
        return
    if transaction.get_connection().in_atomic_block:
        _replace(keys)
    transaction.on_commit(lambda: _replace(keys))


def bump_curriculum():
    """Every page moves on: a curriculum row changed."""
    _bump([CURRICULUM])


def bump_learner(*user_pks):
    """These learners' own pages, and every lead's page that shows them, move on."""
    _bump(_learner(pk) for pk in user_pks)


def bump_cohort(*cohort_pks):
    """These cohorts' lead pages move on; no other cohort's."""
    _bump(_cohort(pk) for pk in cohort_pks)


# Fragments of signed-in pages


@dataclass(frozen=True)
class Fragment:
    """What a `{% cache fragment.timeout <name> fragment.version %}` block is kept under. When
    the shared cache cannot be read the timeout is 0: the block renders and nothing is kept."""

    version: str
    timeout: int


def _fragment(keys):
    found = versions(keys)
    if found is None:
        return Fragment(version="", timeout=0)
    hour = timezone.localtime().strftime("%Y%m%d%H")
    return Fragment(version=f"{found}:{hour}", timeout=FRAGMENT_SECONDS)


def for_learner(user_pk):
    """A learner's own pages: the curriculum's version and theirs."""
    return _fragment([CURRICULUM, _learner(user_pk)])


def for_people(learner_pks, cohort_pks=()):
    """A lead's pages: the curriculum's version, each learner's shown and each cohort's."""
    return _fragment(
        [
            CURRICULUM,
            *(_cohort(pk) for pk in sorted(set(cohort_pks))),
            *(_learner(pk) for pk in sorted(set(learner_pks))),
        ]
    )


_MISSING = object()


def kept_beside(fragment, name, compute):
    """`compute()`'s value, kept under `fragment`'s version like its blocks: for what a page
    shows outside its kept blocks (because it carries a form) but reads from the same data.
    Computed every time when nothing is kept."""
    if not fragment.timeout:
        return compute()
    key = f"kept:{name}:{fragment.version}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        cache.set(key, value, fragment.timeout)
    return value


def lazily(compute):
    """`compute` as a template variable: called on first use, once (a template calls a callable
    variable), so a view hands a kept fragment what it would show without computing it."""
    return functools.cache(compute)


# Curriculum reads


def _kept_key(name, parts):
    return ":".join(["kept", name, *map(str, parts)])


def kept(name, compute, *parts):
    """`compute()`'s value, kept at this curriculum version under `name` and `parts`."""
    version = curriculum_version()
    if version is None:
        return compute()
    key = _kept_key(name, [version, *parts])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, KEPT_SECONDS)
    return value


_remembered = {}


def remembered(name, compute):
    """`compute()`'s value at this curriculum version, kept in this process as the object itself
    (not pickled into a cache): for small values nobody changes that every rating click reads.
    One per name, replaced when the version moves on."""
    version = curriculum_version()
    if version is None:
        return compute()
    found = _remembered.get(name)
    if found is not None and found[0] == version:
        return found[1]
    value = compute()
    _remembered[name] = (version, value)
    return value


# Visitors' pages


def is_visitor(request):
    """No session cookie and no pending message: nothing on the page can be personal."""
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and CookieStorage.cookie_name not in cookies


def kept_for_visitors(view):
    """A public page (GET or HEAD only: anything else is a 405) that `VisitorPagesMiddleware`
    may keep for visitors: marked on the view, as Django's `csrf_exempt` marks one."""
    page = require_safe(view)
    page.kept_for_visitors = True
    return page


def _visitors_key(tag):
    return f"visitors-page:{tag}"


def _served(request, tag, kept):
    """A kept visitor's page as an answer: 304 when the browser's ETag matches, and a short
    public Cache-Control with `Vary: Cookie`, so a proxy may keep it too."""
    content, headers = kept
    response = condition(etag_func=lambda *_args: tag)(
        lambda _request: HttpResponse(content, headers=headers)
    )(request)
    patch_cache_control(response, public=True, max_age=VISITORS_MAX_AGE)
    patch_vary_headers(response, ["Cookie"])
    return response


class VisitorPagesMiddleware:
    """Visitors' pages (`is_visitor`, views marked `kept_for_visitors`), kept whole by path and
    curriculum version and answered from memory before the middleware below this one: a
    visitor's page needs no session, CSRF token, user or messages. What is kept is the page as
    the stack below answered it, its headers included (never one that sets a cookie); the
    middleware above (HTTPS, security headers, CSP) runs on every answer. Everyone else, and
    every other page, goes down the stack as usual."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        visiting = request.method in ("GET", "HEAD") and is_visitor(request)
        version = curriculum_version() if visiting else None
        if version is None:
            return self.get_response(request)
        tag = hashlib.sha256(f"{version} {request.get_full_path()}".encode()).hexdigest()
        kept = cache.get(_visitors_key(tag))
        if kept is not None:
            return _served(request, tag, kept)
        response = self.get_response(request)
        view = request.resolver_match.func if request.resolver_match else None
        keepable = (
            getattr(view, "kept_for_visitors", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
        )
        if not keepable:
            return response
        kept = (response.content, dict(response.items()))
        cache.set(_visitors_key(tag), kept, KEPT_SECONDS)
        return _served(request, tag, kept)
