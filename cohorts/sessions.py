"""A signed-in request's session and its user, read in one query.

Django reads the session, then the user the session names: two round trips to the database
before a signed-in page does anything of its own, the largest share of a rating click. Here the
session row carries its user's id (`accounts.Session.user`), the store reads the session joined
to that user, annotated with whether they lead a cohort (the navigation's role, as
`LeadAwareBackend` reads it), and the authentication middleware lets the backend take the user
from that read. Everything that decides who is signed in stays Django's own `get_user`: the
backend named in the session, the active flag, the password hash check, the flush when it fails.
"""

import contextvars
import functools

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import SESSION_KEY
from django.contrib.auth import middleware as auth_middleware
from django.contrib.sessions.backends import db
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import BooleanField, ExpressionWrapper
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from accounts.compiled import CompiledQuery
from accounts.models import Session, User

_reading = contextvars.ContextVar("the session whose user Django's get_user is reading")


class SessionStore(db.SessionStore):
    """Django's database sessions, kept in `accounts.Session` with the user's id beside the data,
    and read with that user in one query compiled once per process (accounts.compiled)."""

    user_row = None  # the session's user as read with it, not yet checked by Django's get_user

    @classmethod
    def get_model_class(cls):
        return Session

    def _get_session_from_db(self):
        alias = router.db_for_read(Session)
        restricted = settings.COHORTS_RESTRICTED_TO_GROUP
        query = _session_query(alias, connections[alias].vendor, restricted)
        session = query.first(alias, session_key=self.session_key, expire_date__gt=timezone.now())
        if session is None:
            self._session_key = None
            return None
        user = session.user
        if user is not None:
            user.leads_cohorts = bool(session.leads_cohorts)
        self.user_row = user
        return session

    def create_model_instance(self, data):
        session = super().create_model_instance(data)
        session.user_id = _user_id(data.get(SESSION_KEY))
        return session


def _user_id(value):
    try:
        return None if value is None else User._meta.pk.to_python(value)
    except ValidationError:
        return None


@functools.cache
def _session_query(alias, vendor, restricted):
    """Compiled once per process, database and lead rule (`may_lead` reads the setting)."""
    from cohorts.roles import leads_and_may_lead  # roles' backend takes the user read here

    sessions = (
        Session._default_manager.using(alias)
        .select_related("user")
        .annotate(leads_cohorts=ExpressionWrapper(leads_and_may_lead(User, "user"), BooleanField()))
    )
    return CompiledQuery.of(sessions, "session_key", "expire_date__gt")


def user_read_with_session(user_id):
    """The user Django's `get_user` asks the backend for, if the session it is reading was read
    with that very user; else None, and the backend reads the user itself."""
    session = _reading.get(None)
    user = getattr(session, "user_row", None)
    if user is None or str(user.pk) != str(user_id):
        return None
    return user


def get_user(request):
    """Django's `get_user`, told which session it is reading."""
    if not hasattr(request, "_cached_user"):
        token = _reading.set(request.session)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            _reading.reset(token)
    return request._cached_user


class AuthenticationMiddleware(auth_middleware.AuthenticationMiddleware):
    """Django's, whose `request.user` is found with the user read beside the session."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: get_user(request))
