"""The cohort's learners and their standing ratings, as the lead's heatmap and CSV read them.

A learner's standing is their latest saved *full* audit (`Audit.objects.latest_full()`).
"Last audit" is the latest saved audit of either kind, since a quick audit also counts as
checking in.
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Q, Subquery

from assessments.models import Audit
from cohorts.models import Membership, may_lead
from pages import bump_cohort, bump_learner


def latest_full_audit_id(user_ref):
    """A subquery: the pk of the user's latest saved full audit."""
    return Subquery(Audit.objects.latest_full().filter(user=user_ref).values("pk")[:1])


def members_of(cohort):
    """The cohort's learners, each with the audit facts the lead's pages need."""
    last_audit_at = Subquery(
        Audit.objects.latest_first().filter(user=OuterRef("pk")).values("saved_at")[:1]
    )
    return (
        get_user_model()
        .objects.filter(memberships__cohort=cohort)
        .select_related("target_track")
        .annotate(
            latest_full_audit_id=latest_full_audit_id(OuterRef("pk")),
            last_audit_at=last_audit_at,
        )
    )


def member_pks(cohort):
    """The pks of the cohort's learners, in one query (what the lead's cached page is kept under)."""
    return list(Membership.objects.filter(cohort=cohort).values_list("user_id", flat=True))


def learners_led_by(lead):
    """A subquery of the pks of every learner in a cohort this lead leads while they may lead
    (the rule of `Cohort.objects.led_by`). `lead` may be an OuterRef: the lead's
    conditions are joins in this one query, not a nested subquery."""
    return Membership.objects.filter(
        Q(cohort__leads=lead, cohort__leads__is_active=True) & may_lead("cohort__leads__")
    ).values("user_id")


def join_cohort(cohort, user):
    """Make `user` a member of `cohort`; a double click still makes one membership."""
    try:
        with transaction.atomic():
            Membership.objects.create(cohort=cohort, user=user)
    except IntegrityError:
        return
    bump_cohort(cohort.pk)
    bump_learner(user.pk)


def leave_cohort(membership):
    """End a membership: the cohort's leads no longer see the learner."""
    membership.delete()
    bump_cohort(membership.cohort_id)
    bump_learner(membership.user_id)
