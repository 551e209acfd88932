"""The people who use Skill Tree: a learner's profile, target track and path start date, and
which emails they want.

Accounts know the curriculum; audits, progress and cohorts build on accounts, never the reverse.
"""

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower


def shown_name(display_name, username):
    """The name other people see: the display name if the user gave one, else the username.
    A function as well as `User.shown_name`, for pages that read users as plain rows."""
    return display_name or username


class UserQuerySet(models.QuerySet):
    def with_verified_email(self):
        """People whose address (`User.email`) is verified: the only addresses any reminder,
        verdict or digest goes to. django-allauth keeps `User.email` on the primary address,
        and a changed address becomes primary only once it is verified; an address is verified
        when its owner followed the link mailed to it. One query (an EXISTS)."""
        from allauth.account.models import EmailAddress

        verified = EmailAddress.objects.filter(
            user=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True
        )
        return self.exclude(email="").filter(Exists(verified))


class PeopleManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    display_name = models.CharField(max_length=100, blank=True)
    target_track = models.ForeignKey(
        "curriculum.Track",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    path_started_on = models.DateField("started the 20-week path on", null=True, blank=True)
    email_audit_reminders = models.BooleanField(
        "remind me to audit again", default=False, help_text="Six weeks after your last audit."
    )
    email_review_verdicts = models.BooleanField(
        "tell me when a lead reviews my evidence",
        default=False,
        help_text="Verified or needs work, with the lead's comment.",
    )
    email_review_digest = models.BooleanField(
        "send me a daily digest of evidence waiting for my review",
        default=False,
        help_text="Only for cohort leads, and only on days when something waits.",
    )
    emails_chosen_at = models.DateTimeField(
        "chose which emails to get on",
        null=True,
        blank=True,
        help_text="Empty until the person chooses (at sign-up, on their profile or dashboard): "
        "no email goes to an account that never chose.",
    )

    objects = PeopleManager()

    class Meta(AbstractUser.Meta):
        # Sign-up checks this in the form too; the database settles two sign-ups at once.
        # An email is one account's once verified: allauth's EmailAddress has that constraint.
        # Before that, two accounts may hold one address (sign-up says nothing about it).
        constraints = [
            models.UniqueConstraint(
                Lower("username"),
                name="one_account_per_username_any_case",
                violation_error_message="A user with that username already exists.",
            ),
        ]

    def __str__(self):
        return self.shown_name

    @property
    def shown_name(self):
        return shown_name(self.display_name, self.username)

    def is_changing_to(self, email):
        """True when `email` is an address this person asked to change to on "Your email" and
        has not confirmed: django-allauth keeps it beside the one in use (ACCOUNT_CHANGE_EMAIL),
        and nothing but its link goes to it until the link is followed. One query, none for the
        address in use (confirmed or not: accounts from before django-allauth)."""
        from allauth.account.models import EmailAddress

        return email.lower() != self.email.lower() and (
            EmailAddress.objects.filter(user=self, email__iexact=email, verified=False).exists()
        )

    def address_to_confirm(self):
        """The address this person's dashboard asks them to confirm, or None: the one mail goes
        to (`User.email`) while it is unconfirmed; with none, the address they asked to change
        to (django-allauth drops an unconfirmed address for the new one, and `User.email` is
        empty until the new one is confirmed). One query."""
        if self.email:
            return None if self.has_verified_email() else self.email
        from allauth.account.models import EmailAddress

        waiting = EmailAddress.objects.filter(user=self, verified=False).order_by("pk").last()
        return waiting.email if waiting else None

    def has_verified_email(self):
        """`UserQuerySet.with_verified_email`, for this one person: one query, none without an
        address."""
        return bool(self.email) and (
            type(self).objects.with_verified_email().filter(pk=self.pk).exists()
        )
