from django import template

from accounts.models import WHAT_LEADS_SEE, Membership

register = template.Library()


@register.inclusion_tag("accounts/_cohorts.html", takes_context=True)
def your_cohorts(context):
    """The signed-in learner's cohorts and who can see their data (two queries)."""
    user = context["request"].user
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("cohort")
        .prefetch_related("cohort__leads")
        .order_by("cohort__name", "cohort__pk")
    )
    return {
        "memberships": memberships,
        "what_leads_see": WHAT_LEADS_SEE,
        "leads_cohorts": user.has_perm("accounts.lead_cohorts") or user.led_cohorts.exists(),
        "csrf_token": context.get("csrf_token"),
    }
