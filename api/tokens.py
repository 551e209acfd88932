"""Making, finding and revoking personal access tokens.

A token reads `st_<prefix>_<secret>`: the prefix (8 characters) finds its row, and only a
SHA-256 hash of the whole token is kept, so a copy of the database lets nobody in. The token is
shown once, when it is made. It acts as its owner and never more, and stops working once revoked,
expired, or its owner's account is deactivated (a deleted account's tokens go with it).
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from api.models import AccessToken

TOKEN_START = "st_"
PREFIX_LENGTH = 8
LIFETIMES = {7: "7 days", 30: "30 days", 90: "90 days", 365: "a year"}
"""How long a token may live, in days: a token always expires."""
LAST_USED_EVERY = timedelta(minutes=1)
"""`last_used_at` is written at most this often, so a busy script costs no write per request."""


def hash_of(token):
    return hashlib.sha256(token.encode()).hexdigest()


def make_token(owner, *, name, scope, days, form_token=None):
    """A new token for `owner`: (the row, the token itself, created). The token is in no row:
    show it once. The same form sent twice (`form_token`) makes one token; the second answer has
    no token to show; a form token already used by someone else gives (None, "", False)."""
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    token = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    now = timezone.now()
    try:
        with transaction.atomic():
            row = AccessToken.objects.create(
                owner=owner,
                name=name,
                scope=scope,
                prefix=prefix,
                secret_hash=hash_of(token),
                expires_at=now + timedelta(days=days),
                form_token=form_token,
            )
    except IntegrityError:
        if form_token is None:
            raise
        return AccessToken.objects.of(owner).filter(form_token=form_token).first(), "", False
    return row, token, True


def sent_token(request):
    """The token sent in `Authorization: Bearer <token>`; "" when the header names another
    scheme, None when there is no Authorization header at all."""
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def prefix_of(token):
    """The lookup prefix of a token as sent, or "" for anything not shaped like one of ours."""
    if not token.startswith(TOKEN_START):
        return ""
    prefix, _, secret = token.removeprefix(TOKEN_START).partition("_")
    return prefix if len(prefix) == PREFIX_LENGTH and secret else ""


def token_for(token, now=None):
    """The usable AccessToken (with its owner) that `token` is, or None: unknown, wrong secret,
    revoked, expired, or its owner deactivated (`AccessTokenQuerySet.usable`). One query; one
    more, at most once a minute, to note when it was last used."""
    now = now or timezone.now()
    prefix = prefix_of(token)
    if not prefix:
        return None
    row = AccessToken.objects.usable(now).select_related("owner").filter(prefix=prefix).first()
    if row is None or not hmac.compare_digest(row.secret_hash, hash_of(token)):
        return None
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_EVERY:
        AccessToken.objects.filter(pk=row.pk).update(last_used_at=now)
        row.last_used_at = now
    return row


def own_token(user, pk):
    """`user`'s token number `pk`, or Http404."""
    return get_object_or_404(AccessToken.objects.of(user), pk=pk)


def revoke(token, now=None):
    """Stop `token` working from now on; revoking it again changes nothing."""
    AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )
