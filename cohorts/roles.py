"""Who may start and lead cohorts, and what the navigation knows about the signed-in user's role.

By default any signed-in user may start a cohort and lead it (self-serve, as teams work on
roadmap.sh). An operator who sets DJANGO_COHORT_LEADS_GROUP_ONLY=1 restricts starting cohorts to
users with the `cohorts.lead_cohorts` permission (the "Cohort leads" group). Whether a user may
open one cohort stays a per-object check: they lead it.
"""

import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q

from accounts.compiled import CompiledQuery
from cohorts.models import Cohort, may_lead
from cohorts.sessions import user_read_with_session

LEAD_PERMISSION = "cohorts.lead_cohorts"


def can_start_cohorts(user):
    """Any signed-in user, or only holders of the lead permission when the operator restricts it.
    No query unless restricted (then has_perm's two, cached on the user)."""
    if not user.is_authenticated:
        return False
    if not settings.COHORTS_RESTRICTED_TO_GROUP:
        return True
    return user.has_perm(LEAD_PERMISSION)


def leads_cohorts(user):
    """Whether the user leads at least one cohort they may still lead (`Cohort.objects.led_by`).
    No query when the user came from
    LeadAwareBackend (the annotation rides on the session's user query), else one EXISTS."""
    if not user.is_authenticated:
        return False
    annotated = getattr(user, "leads_cohorts", None)
    if annotated is not None:
        return annotated
    return Cohort.objects.led_by(user).exists()


class LeadAwareBackend(ModelBackend):
    """ModelBackend whose per-request user query also says whether the user leads a cohort,
    so the role-aware navigation costs no extra query on any page. On a request, the user comes
    with the session's own read (cohorts.sessions), and this asks the database only when not."""

    def get_user(self, user_id):
        read = user_read_with_session(user_id)
        if read is not None:
            return read if self.user_can_authenticate(read) else None
        User = get_user_model()
        try:
            user_id = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        alias = router.db_for_read(User)
        query = _user_query(alias, connections[alias].vendor, settings.COHORTS_RESTRICTED_TO_GROUP)
        user = query.first(alias, pk=user_id)
        if user is None:
            return None
        user.leads_cohorts = bool(user.leads_cohorts)
        return user if self.user_can_authenticate(user) else None


@functools.cache
def _user_query(alias, vendor, restricted):
    """One user by id, annotated with `leads_cohorts`: compiled once per process, database and
    lead rule (accounts.compiled says why)."""
    User = get_user_model()
    users = User._default_manager.using(alias).annotate(
        leads_cohorts=ExpressionWrapper(leads_and_may_lead(User), BooleanField())
    )
    return CompiledQuery.of(users, "pk")


def leads_and_may_lead(user_model, user="pk"):
    """The `Cohort.objects.led_by` rule on the user the outer row names in its field `user` (the
    user row itself by default), as one boolean expression (a nested led_by(OuterRef) would
    compare its own subquery's pk with the cohort's)."""
    leads = Q(Exists(Cohort.leads.through.objects.filter(user=OuterRef(user))))
    holds = user_model.objects.filter(pk=OuterRef(user), is_active=True).filter(may_lead())
    return leads & Q(Exists(holds))


def role(request):
    """Context processor: `leads_cohorts` for the navigation, lazily, and only for signed-in users."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"leads_cohorts": False}
    return {"leads_cohorts": lambda: leads_cohorts(user)}
