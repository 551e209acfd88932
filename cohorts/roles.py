"""Who may start and lead cohorts, and what the navigation knows about the signed-in user's role.

By default any signed-in user may start a cohort and lead it (self-serve, as teams work on
roadmap.sh). An operator who sets DJANGO_COHORT_LEADS_GROUP_ONLY=1 restricts starting cohorts to
users with the `cohorts.lead_cohorts` permission (the "Cohort leads" group). Whether a user may
open one cohort stays a per-object check: they lead it.
"""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from cohorts.models import LEAD_PERMISSION, Cohort


def can_start_cohorts(user):
    """Any signed-in user, or only holders of the lead permission when the operator restricts it.
    No query unless restricted (then has_perm's two, cached on the user)."""
    if not user.is_authenticated:
        return False
    if not settings.COHORTS_RESTRICTED_TO_GROUP:
        return True
    return user.has_perm(LEAD_PERMISSION)


def leads_cohorts(user):
    """Whether the user leads at least one cohort they may still lead (`Cohort.objects.led_by`):
    one EXISTS query for a signed-in user, none for a visitor."""
    if not user.is_authenticated:
        return False
    return Cohort.objects.led_by(user).exists()


def role(request):
    """Context processor: `leads_cohorts` for the navigation, asked only when a template reads it,
    and once per request however many templates render for it."""
    if not hasattr(request, "leads_cohorts"):
        request.leads_cohorts = SimpleLazyObject(lambda: leads_cohorts(request.user))
    return {"leads_cohorts": request.leads_cohorts}
