"""What goes with a deleted account beyond its own rows: its login records and its sessions."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone


def forget_login_records(username):
    """django-axes keeps the username, address and browser of every login and failed attempt."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=username).delete()


def end_sessions(user_pk):
    """Every stored session signed in as the user, on any device: each one is read, since the
    user id is inside the session's encoded data. Sessions kept only in a cache or a cookie
    cannot be listed; they stop working anyway, since their user no longer exists."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not issubclass(store, db.SessionStore):  # db and cached_db, and ours (accounts.compiled)
        return
    user_id = str(user_pk)
    sessions = Session.objects.filter(expire_date__gt=timezone.now())
    for session in sessions.iterator():
        if str(session.get_decoded().get("_auth_user_id")) == user_id:
            store(session_key=session.session_key).delete()


@receiver(post_delete, sender=get_user_model(), dispatch_uid="accounts.forget_deleted_user")
def forget_deleted_user(sender, instance, **kwargs):
    forget_login_records(instance.get_username())
    end_sessions(instance.pk)
