"""The curriculum changes only when a curator saves: what is derived from it is cached.

Every cached value lives in the process's own memory (Django's default cache) under a key holding
the curriculum version, a random token in the `shared` cache every process and server reads
(Redis with REDIS_URL, files on one server without it: see settings.CACHES). Saving or deleting
any curriculum row, a change to a many-to-many link between them, a bulk update (`bump()`), a
migration: each puts a new token there, so every process reads the new version on its next request
and computes afresh; entries under old versions drop out of memory on their own. A value is never
replaced under its key, so a copy kept by one process is as good as any other's.

The cache is an accelerator, never a dependency: when it fails (Redis down or unreachable), each
read or write here logs a warning and the page is computed from the database as if nothing were
cached. After a failed read of the shared cache the process leaves it alone for
SHARED_RETRY_SECONDS, so a Redis that hangs costs one timeout every few seconds, not one per read.

`cached(name, compute)` caches any picklable value (model rows with their prefetches included);
`cached_for_visitors` caches a whole public page for people who are not signed in, with the
CSRF token put back per request.
"""

import functools
import hashlib
import logging
import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.middleware.csrf import get_token

from curriculum.models import LadderLevel, PathPhase, Skill, Trunk

logger = logging.getLogger(__name__)

VERSION_KEY = "curriculum:version"
TIMEOUT = 24 * 60 * 60
CSRF_PLACEHOLDER = "__skilltree_csrf_token__"


def _get(key):
    try:
        return cache.get(key)
    except Exception as error:  # noqa: BLE001 - any cache failure means "not cached"
        logger.warning("cache read failed, computing instead", extra={"error": repr(error)})
        return None


def _set(key, value, timeout=TIMEOUT):
    try:
        cache.set(key, value, timeout)
    except Exception as error:  # noqa: BLE001
        logger.warning("cache write failed", extra={"error": repr(error)})


SHARED_RETRY_SECONDS = 5.0
_shared_down_until = 0.0


def versions():
    """The cache of version tokens that every process and server shares (settings.CACHES)."""
    return caches["shared"]


def shared_is_down():
    """Whether a read of the shared cache failed less than SHARED_RETRY_SECONDS ago."""
    return time.monotonic() < _shared_down_until


def shared_failed(error):
    global _shared_down_until
    _shared_down_until = time.monotonic() + SHARED_RETRY_SECONDS
    logger.warning("cache read failed, computing instead", extra={"error": repr(error)})


def version():
    """The current curriculum version, or None when the shared cache cannot be reached."""
    if shared_is_down():
        return None
    store = versions()
    try:
        current = store.get(VERSION_KEY)
        if current is not None:
            return current
        token = uuid.uuid4().hex
        if store.add(VERSION_KEY, token, None):
            return token
        return store.get(VERSION_KEY)
    except Exception as error:  # noqa: BLE001 - any cache failure means "not cached"
        shared_failed(error)
        return None


def replace_versions(tokens):
    """Put new version tokens in the shared cache. Should that fail (the store is full, say), the
    old ones are deleted instead, so that nothing is served under them: the next read makes new
    ones, or finds none and computes the page."""
    store = versions()
    try:
        store.set_many(tokens, None)
    except Exception as error:  # noqa: BLE001
        logger.warning("cache write failed", extra={"error": repr(error)})
        try:
            store.delete_many(list(tokens))
        except Exception as error:  # noqa: BLE001
            logger.warning("cache delete failed", extra={"error": repr(error)})


def _bump_now():
    replace_versions({VERSION_KEY: uuid.uuid4().hex})


def bump(**_signal_kwargs):
    """A new curriculum version when the surrounding transaction commits (at once outside one);
    inside one, now as well, so that what is read later in the same transaction is not from
    before its writes. The commit's is the one that counts: a page computed before it, from rows
    not yet committed, stays cached under a version that is then replaced."""
    if transaction.get_connection().in_atomic_block:
        _bump_now()
    transaction.on_commit(_bump_now)


def _kept(key, version):
    """The value kept under `key` if it was kept at `version`, else None.

    Everything here is kept under a key of its own (a name, a page's path and whose page it is)
    with the version it was made at beside it, and replaced when the version moves on: a process
    holds one copy of each thing, never a trail of copies under versions nobody reads again."""
    kept = _get(key)
    return kept[1] if kept is not None and kept[0] == version else None


def _keep(key, version, value, timeout=TIMEOUT):
    _set(key, (version, value), timeout)


def cached(name, compute, *parts):
    """`compute()`'s value, cached at this curriculum version under `name` and `parts`."""
    current = version()
    if current is None:
        return compute()
    key = ":".join(["curriculum", name, *map(str, parts)])
    value = _kept(key, current)
    if value is None:
        value = compute()
        _keep(key, current, value)
    return value


_remembered = {}


def remembered(name, compute):
    """`compute()`'s value at this curriculum version, kept in this process as the object itself
    rather than pickled into the cache and unpickled on every read: for small values nobody
    changes (numbers, frozen dataclasses) that every rating click reads. One per name, replaced
    when the version moves on."""
    current = version()
    if current is None:
        return compute()
    kept = _remembered.get(name)
    if kept is not None and kept[0] == current:
        return kept[1]
    value = compute()
    _remembered[name] = (current, value)
    return value


def cached_each(name, parts, compute_one):
    """{part: value} for every part in `parts`, read in one round trip; the missing ones come
    from `compute_one(part)` and are stored in one more."""
    current = version()
    if current is None:
        return {part: compute_one(part) for part in parts}
    keys = {f"curriculum:{name}:{part}": part for part in parts}
    try:
        found = cache.get_many(list(keys))
    except Exception as error:  # noqa: BLE001
        logger.warning("cache read failed, computing instead", extra={"error": repr(error)})
        found = {}
    values, missing = {}, {}
    for key, part in keys.items():
        kept = found.get(key)
        if kept is not None and kept[0] == current:
            values[part] = kept[1]
        else:
            values[part] = compute_one(part)
            missing[key] = (current, values[part])
    if missing:
        try:
            cache.set_many(missing, TIMEOUT)
        except Exception as error:  # noqa: BLE001
            logger.warning("cache write failed", extra={"error": repr(error)})
    return values


def csrf_placeholder(request):
    """Template context processor: while a page is rendered for the visitors' cache, its CSRF
    token is a placeholder that `cached_for_visitors` replaces with each visitor's own."""
    if getattr(request, "renders_for_visitors_cache", False):
        return {"csrf_token": CSRF_PLACEHOLDER}
    return {}


def _cacheable(request):
    if request.method not in ("GET", "HEAD") or request.GET or request.htmx:
        return False
    if request.user.is_authenticated:
        return False
    return not len(getattr(request, "_messages", ()))


def cached_for_visitors(view):
    """Cache a public page's whole HTML for visitors who are not signed in, per path and curriculum
    version. Signed-in people, htmx requests, query strings and pending messages skip it.

    The response carries the cached HTML (token placeholder and all) as `visitors_page`, which
    `skilltree.middleware.VisitorsPageMiddleware` keeps with the headers to answer the next
    visitor before the session, auth and message middleware run."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        current = version()
        if current is None:
            return view(request, *args, **kwargs)
        key = f"curriculum:page:{path_key(request.path)}"
        response = cached_page(key, current, request, view, args, kwargs)
        response.visitors_page = getattr(response, "kept_page", None)
        return response

    return wrapper


def cached_page(key, version, request, view, args, kwargs, timeout=TIMEOUT):
    """The view's page from the HTML kept under `key` at `version` (see `_kept`), rendering and
    keeping it when missing or older, with the requester's own CSRF token put in; the kept HTML
    (placeholder and all) rides along as `kept_page`. A response that is not a page to keep
    (not a 200, or streamed) is returned as the view made it."""
    body = _kept(key, version)
    if body is None:
        request.renders_for_visitors_cache = True
        try:
            response = view(request, *args, **kwargs)
        finally:
            request.renders_for_visitors_cache = False
        if response.status_code != 200 or response.streaming:
            return response
        body = response.content.decode()
        _keep(key, version, body, timeout)
    response = HttpResponse(body.replace(CSRF_PLACEHOLDER, get_token(request)))
    response.kept_page = body
    return response


def path_key(path):
    """A fixed-length stand-in for a path in a cache key (a long path would make a key past
    the 250 characters Django's cache backends warn about)."""
    return hashlib.sha256(path.encode()).hexdigest()


def visitors_page(path):
    """(headers, parts) of the page at `path` as last served to a visitor, or None: its HTML
    encoded and split where the CSRF token goes, so that answering is one bytes join."""
    current = version()
    if current is None:
        return None
    return _kept(f"curriculum:visitors-page:{path_key(path)}", current)


def keep_visitors_page(path, headers, body):
    current = version()
    if current is not None:
        parts = body.encode().split(CSRF_PLACEHOLDER.encode())
        _keep(f"curriculum:visitors-page:{path_key(path)}", current, (headers, parts))


# The curriculum's reads that many pages share


def trunks_with_skills():
    """Every trunk with its current skills and their buckets, cached per curriculum version."""
    return cached(
        "trunks-with-skills",
        lambda: list(
            Trunk.objects.prefetch_related(
                Prefetch("skills", queryset=Skill.objects.current().select_related("bucket"))
            )
        ),
    )


@dataclass(frozen=True)
class RateableSkill:
    """What a rating needs to know of a current skill, without the whole tree."""

    name: str
    mastery_version: int
    trunk_id: int
    trunk_number: int
    trunk_skill_count: int


def rateable_skills():
    """{pk: RateableSkill} of every current skill, kept per curriculum version: a rating click
    reads this (small, never changed) instead of unpickling every trunk with its skills."""

    def compute():
        return {
            skill.pk: RateableSkill(
                skill.name, skill.mastery_version, trunk.pk, trunk.number, len(trunk.skills.all())
            )
            for trunk in trunks_with_skills()
            for skill in trunk.skills.all()
        }

    return remembered("rateable-skills", compute)


def skill_count():
    """How many current skills the tree has, cached per curriculum version."""
    return remembered("skill-count", lambda: Skill.objects.current().count())


def ladder_levels():
    """The ladder's levels with their current signals, cached per curriculum version."""
    return cached("ladder-levels", lambda: list(LadderLevel.objects.with_current_signals()))


def path_phases():
    """The path's phases in order, cached per curriculum version."""
    return cached("path-phases", lambda: list(PathPhase.objects.all()))


def connect_signals(app_config):
    """Bump the version whenever any row of `app_config`'s models (or a link between them)
    is saved or deleted, and after every migration."""
    from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

    for model in app_config.get_models():
        uid = f"curriculum-cache-{model._meta.label}"
        post_save.connect(bump, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(bump, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                bump, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}"
            )
    post_migrate.connect(bump, dispatch_uid="curriculum-cache-migrate")
