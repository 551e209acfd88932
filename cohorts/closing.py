"""A lead who deletes their account closes the cohorts nobody else leads.

A cohort with no lead is a list of learners whose data nobody may see and an invite link that
still works: so it goes with its last lead. Its members keep their accounts and everything in
them; only their place in that cohort ends. A cohort with another lead carries on. The delete
page names these cohorts before the lead confirms.
"""

from django.db.models import Count
from django.db.models.signals import pre_delete
from django.template.loader import render_to_string

from cohorts.models import Cohort


def cohorts_closed_with(user):
    """The cohorts `user` is the only lead of, each with its member count. One query."""
    return (
        Cohort.objects.filter(pk__in=user.led_cohorts.values("pk"))
        .annotate(
            lead_count=Count("leads", distinct=True),
            member_count=Count("memberships", distinct=True),
        )
        .filter(lead_count=1)
        .order_by("name", "pk")
    )


def close_cohorts_of_deleted_lead(sender, instance, **kwargs):
    Cohort.objects.filter(pk__in=[cohort.pk for cohort in cohorts_closed_with(instance)]).delete()


def delete_account_page(request):
    """The delete page's warning about the cohorts that close with the account."""
    closing = list(cohorts_closed_with(request.user))
    if not closing:
        return {}
    return {"cohorts": render_to_string("cohorts/_closing.html", {"closing": closing})}


def connect(user_model):
    pre_delete.connect(
        close_cohorts_of_deleted_lead, sender=user_model, dispatch_uid="cohorts.close_cohorts"
    )
