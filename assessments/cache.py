"""A learner's own pages change only when their rows do (or the curriculum does): they are cached.

Each learner has a version, a random token in the shared cache (`learner:<pk>`), and the site one
more (`people`) for rows that belong to no single learner (a cohort's name, its lead). Saving a
row of any of the project's apps but the curriculum (which has its own version) replaces the
version of the learner it belongs to: the User itself, a row with a `user` (audit, progress,
signal tick, membership, note...), or one with an `audit` (rating, baseline answer); any other
row replaces `people`. Deleting one does the same, except ratings and baseline answers, whose
deletes go through `assessments/audits.py` (which calls `bump_learner`) or follow their audit's.
Writes that send no signal (`bulk_create`, `update`) call `bump_learner` themselves.

`cached_for_learner` caches a signed-in learner's whole page per path under the curriculum
version, theirs and `people` (read together: `learners_version`) and the hour (pages that count
days or weeks move on within the hour), with the CSRF token put back per request. Any change shows
on every server's next request.
"""

import functools
import hashlib
import uuid

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from curriculum import cache as curriculum_cache

PEOPLE_KEY = "people"
UNTRACKED_DELETES = {"assessments.Rating", "assessments.BaselineAnswer"}
UNTRACKED = set()


def _key(user_pk):
    return f"learner:{user_pk}"


def _new(keys):
    curriculum_cache.replace_versions({key: uuid.uuid4().hex for key in keys})


def _bump_keys(keys):
    """New tokens for `keys` once the transaction commits (at once outside one); inside one, now
    as well, so that a page read later in the same transaction is not one from before its writes.
    The commit's is the one that counts: a page computed before it, from rows not yet committed,
    is kept under a token that is then replaced."""
    keys = list(keys)
    if transaction.get_connection().in_atomic_block:
        _new(keys)
    transaction.on_commit(lambda: _new(keys))


def bump_learner(*user_pks):
    """A new version for each of these learners (see `_bump_keys` for when)."""
    if user_pks:
        _bump_keys(_key(pk) for pk in user_pks)


def learners_version(user_pks):
    """One token standing for the curriculum's version, these learners' and `people`'s, or None
    when the cache cannot be reached: it changes whenever a curriculum row, any of their rows, or
    a row of no single learner changes. Read in one round trip (two the first time a version is
    made)."""
    if curriculum_cache.shared_is_down():
        return None
    learners = [_key(pk) for pk in sorted(set(user_pks))]
    keys = [curriculum_cache.VERSION_KEY, *learners, PEOPLE_KEY]
    store = curriculum_cache.versions()
    try:
        found = store.get_many(keys)
        missing = [key for key in keys if key not in found]
        if missing:
            for key in missing:
                store.add(key, uuid.uuid4().hex, None)
            found = store.get_many(keys)
    except Exception as error:  # noqa: BLE001
        curriculum_cache.shared_failed(error)
        return None
    if len(found) != len(keys):
        return None
    tokens = ":".join(found[key] for key in keys)
    return tokens if len(keys) <= 3 else hashlib.sha256(tokens.encode()).hexdigest()


def _versions(user_pk):
    return learners_version([user_pk])


def _learner_of(instance):
    """The pk of the learner a row belongs to, or None for a row of no single learner."""
    if isinstance(instance, apps.get_model(settings.AUTH_USER_MODEL)):
        return instance.pk
    if getattr(instance, "user_id", None) is not None:
        return instance.user_id
    audit_id = getattr(instance, "audit_id", None)
    if audit_id is not None:
        audit = instance._state.fields_cache.get("audit")
        if audit is not None:
            return audit.user_id
        Audit = apps.get_model("assessments", "Audit")
        return Audit.objects.filter(pk=audit_id).values_list("user_id", flat=True).first()
    return None


def row_changed(sender, instance, **kwargs):
    user_pk = _learner_of(instance)
    if user_pk is None:
        _bump_keys([PEOPLE_KEY])
    else:
        bump_learner(user_pk)


def links_changed(sender, action, **kwargs):
    if action.startswith("post_"):
        _bump_keys([PEOPLE_KEY])


def _project_models():
    """Models of this repository's apps (a package at its top level) but for UNTRACKED, not
    Django's or a library's (axes' log-in records: saved on every log-in, they say nothing of a
    learner)."""
    for app_config in apps.get_app_configs():
        package = app_config.name.split(".")[0]
        if app_config.label == "curriculum" or not (settings.BASE_DIR / package).is_dir():
            continue
        yield from (m for m in app_config.get_models() if m._meta.label not in UNTRACKED)


def connect_signals():
    for model in _project_models():
        uid = f"learner-cache-{model._meta.label}"
        post_save.connect(row_changed, sender=model, dispatch_uid=f"{uid}-save")
        if model._meta.label not in UNTRACKED_DELETES:
            post_delete.connect(row_changed, sender=model, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                links_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"{uid}-{field.name}",
            )


def this_hour():
    """The hour, part of a kept page's version: pages that count days or weeks move on."""
    return timezone.localtime().strftime("%Y%m%d%H")


def cached_for_learner(view):
    """Cache a signed-in learner's GET of this page (no query string, not htmx, no pending
    messages) per path and the versions above; everything else runs the view."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        user = request.user
        if (
            request.method != "GET"
            or request.GET
            or request.htmx
            or not user.is_authenticated
            or len(getattr(request, "_messages", ()))
        ):
            return view(request, *args, **kwargs)
        mine = _versions(user.pk)
        if mine is None:
            return view(request, *args, **kwargs)
        key = f"learner-page:{user.pk}:{curriculum_cache.path_key(request.path)}"
        return curriculum_cache.cached_page(
            key, f"{mine}:{this_hour()}", request, view, args, kwargs, 60 * 60
        )

    return wrapper
