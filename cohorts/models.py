"""Cohorts: a group of learners, the leads who see their data, and how learners join."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse

from pages import bump_cohort


def new_invite_token():
    return secrets.token_urlsafe(24)


WHAT_LEADS_SEE = [
    "your name, username and target track",
    "every audit you save, quick or full: its date and your ratings (drafts stay private)",
    "your gap to your target track, worked out from those ratings",
    "your progress on each skill: status, evidence link and note",
    "the ladder signals you tick and your 20-week path start date",
]
"""What a cohort's leads see of a member's data, shown before joining and on the profile."""


LEAD_PERMISSION = "cohorts.lead_cohorts"
"""Who may start cohorts when the operator restricts it (the "Cohort leads" group holds it)."""


def holds_lead_permission(prefix=""):
    """A Q on users (or, with `prefix`, on a relation to users): superusers, and users given the
    lead permission directly or by a group (the "Cohort leads" group), as
    `user.has_perm("cohorts.lead_cohorts")` decides, in SQL."""
    app_label, codename = LEAD_PERMISSION.split(".")
    return (
        Q(**{f"{prefix}is_superuser": True})
        | Q(
            **{
                f"{prefix}groups__permissions__codename": codename,
                f"{prefix}groups__permissions__content_type__app_label": app_label,
            }
        )
        | Q(
            **{
                f"{prefix}user_permissions__codename": codename,
                f"{prefix}user_permissions__content_type__app_label": app_label,
            }
        )
    )


def may_lead(prefix=""):
    """A Q on users (or on a relation to users, with `prefix`): who may lead the cohorts they
    lead. Everyone while cohorts are self-serve; with COHORTS_RESTRICTED_TO_GROUP, only holders
    of the lead permission (`holds_lead_permission`). The start rule is cohorts.roles."""
    if settings.COHORTS_RESTRICTED_TO_GROUP:
        return holds_lead_permission(prefix)
    return Q()


class CohortQuerySet(models.QuerySet):
    def led_by(self, user):
        """The cohorts `user` leads while they may lead (`may_lead`): with cohorts restricted to
        the group, someone taken out of "Cohort leads" no longer opens the cohorts they led (and
        does again if put back). One query; every lead page asks through here. `user` may be an
        OuterRef. Self-serve, that is a join on the leads; restricted, an EXISTS on the lead's
        groups and permissions (a join on those would repeat a cohort per matching row)."""
        leads = self.filter(leads=user, leads__is_active=True)
        if not settings.COHORTS_RESTRICTED_TO_GROUP:
            return leads
        holds = get_user_model().objects.filter(pk=getattr(user, "pk", user))
        return leads.filter(Exists(holds.filter(may_lead())))


DESCRIPTION_MAX_LENGTH = 2000
"""A cohort's description is read on the public join page: a few paragraphs, not a document."""


class Cohort(models.Model):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=DESCRIPTION_MAX_LENGTH)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    leads = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="led_cohorts")
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="cohorts"
    )
    invite_token = models.CharField(
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        default=new_invite_token,
        help_text="Empty when the invite link is turned off.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    form_token = models.UUIDField(
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="The token of the form that started the cohort: sent twice, one cohort.",
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        permissions = [("lead_cohorts", "Can create and lead cohorts")]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("description"), DESCRIPTION_MAX_LENGTH),
                name="cohort_description_max_length",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("cohorts:cohort", args=[self.pk])

    def regenerate_invite(self):
        """A new link; the old one stops working at once."""
        self.invite_token = new_invite_token()
        self.save(update_fields=["invite_token"])
        bump_cohort(self.pk)

    def turn_off_invite(self):
        self.invite_token = None
        self.save(update_fields=["invite_token"])
        bump_cohort(self.pk)


class Membership(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cohort", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "user"], name="one_membership_per_cohort"),
        ]

    def __str__(self):
        return f"{self.user} in {self.cohort}"
