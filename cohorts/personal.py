"""The learner's cohorts on their profile, given to `curriculum.personal` in CohortsConfig.ready."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template.loader import render_to_string

from cohorts.models import WHAT_LEADS_SEE, Membership, holds_lead_permission
from curriculum import personal


def profile_page(request):
    """The signed-in learner's cohorts and who can see their data: two queries, three when
    they are in a cohort (its leads)."""
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
        "leads_cohorts": _leads_or_may_lead(user),
    }
    return {"cohorts": render_to_string("cohorts/_profile.html", context, request=request)}


def _leads_or_may_lead(user):
    """Whether the user may lead cohorts (and so reach the ones they lead), in one query
    (has_perm takes two)."""
    return get_user_model().objects.filter(Q(pk=user.pk) & holds_lead_permission()).exists()


def register_providers():
    from cohorts.closing import delete_account_page

    personal.register("profile", profile_page)
    personal.register("delete_account", delete_account_page)
