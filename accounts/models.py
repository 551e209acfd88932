"""People and the cohorts they learn in. Accounts know the curriculum, never the audits."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse


class User(AbstractUser):
    display_name = models.CharField(max_length=100, blank=True)
    target_track = models.ForeignKey(
        "curriculum.Track",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    path_started_on = models.DateField("started the 20-week path on", null=True, blank=True)

    class Meta(AbstractUser.Meta):
        # Sign-up checks these in the form too; the database settles two sign-ups at once.
        # Accounts made in the admin or by createsuperuser may have no email.
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="one_account_per_username_any_case",
                violation_error_message="A user with that username already exists.",
            ),
            models.UniqueConstraint(
                Lower("email"),
                condition=~Q(email=""),
                name="one_account_per_email_any_case",
                violation_error_message="Another account already has this email.",
            ),
        ]

    def __str__(self):
        return self.display_name or self.username

    @property
    def shown_name(self):
        return self.display_name or self.username


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


class Cohort(models.Model):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
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

    class Meta:
        ordering = ["name", "pk"]
        permissions = [("lead_cohorts", "Can create and lead cohorts")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("assessments:cohort", args=[self.pk])

    def regenerate_invite(self):
        """A new link; the old one stops working at once."""
        self.invite_token = new_invite_token()
        self.save(update_fields=["invite_token"])

    def turn_off_invite(self):
        self.invite_token = None
        self.save(update_fields=["invite_token"])


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
