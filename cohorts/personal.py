"""The learner's cohorts on their profile, given to `curriculum.personal` in CohortsConfig.ready."""

from django.template.loader import render_to_string

from cohorts.models import WHAT_LEADS_SEE, Membership
from cohorts.roles import can_start_cohorts, role
from curriculum import personal


def profile_page(request):
    """The signed-in learner's cohorts and who can see their data: one query, two when they are
    in a cohort (its leads); whether they lead is the page's `leads_cohorts` (cohorts.roles.role),
    asked once for the navigation and this section together."""
    user = request.user
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("cohort")
        .prefetch_related("cohort__leads")
        .order_by("cohort__name", "cohort__pk")
    )
    context = {
        "memberships": memberships,
        "what_leads_see": WHAT_LEADS_SEE,
        "can_start_cohorts": can_start_cohorts(user),
    }
    return {
        "cohorts": render_to_string("cohorts/_profile.html", context, request=request),
        "leads": bool(role(request)["leads_cohorts"]),
    }


def register_providers():
    from cohorts.closing import delete_account_page

    personal.register("profile", profile_page)
    personal.register("delete_account", delete_account_page)
