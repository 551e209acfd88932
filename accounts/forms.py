from datetime import timedelta

from allauth.account.models import EmailAddress
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from accounts.emails import (
    LEAD_KIND,
    LEARNER_KINDS,
    apply_email_choices,
    has_chosen,
    record_email_choices,
)
from curriculum.models import Track
from pages import bump_learner

User = get_user_model()

PATH_START_LIMIT_YEARS = 5


def earliest_path_start(today):
    return today - timedelta(days=365 * PATH_START_LIMIT_YEARS)


def check_path_start(started_on, today):
    """The day a learner started the 20-week path: not after today, at most five years back.

    The one rule for that date, wherever it is entered (the profile, the path page).
    """
    if started_on > today:
        raise forms.ValidationError(
            "That date is in the future. Set it on the day you start, or pick today."
        )
    if started_on < earliest_path_start(today):
        raise forms.ValidationError(
            f"That is more than {PATH_START_LIMIT_YEARS} years ago. Pick the day you "
            "started this 20-week path (or restart it today)."
        )
    return started_on


_EMAIL_CHOICES = forms.fields_for_model(get_user_model(), fields=LEARNER_KINDS)


class SignUpEmailChoices(forms.Form):
    """What allauth's sign-up form asks beyond its own fields (ACCOUNT_SIGNUP_FORM_CLASS): the
    two learner emails, nothing ticked. Choosing is recorded on the new account."""

    email_audit_reminders = _EMAIL_CHOICES["email_audit_reminders"]
    email_review_verdicts = _EMAIL_CHOICES["email_review_verdicts"]

    field_order = ["username", "email", "password1", "password2", *LEARNER_KINDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "email" in self.fields:
            self.fields["email"].help_text = (
                "We send a link to check it is yours. It is for resetting a forgotten password, "
                "and for the emails you tick below: none unless you do. Never shown to anyone."
            )

    def signup(self, request, user):
        record_email_choices(user, [name for name in LEARNER_KINDS if self.cleaned_data.get(name)])


class ProfileForm(forms.ModelForm):
    target_track = forms.ModelChoiceField(
        queryset=Track.objects.current(),
        required=False,
        empty_label="No track yet",
        help_text="The dashboard measures your gap to this track.",
    )

    class Meta:
        model = User
        fields = [
            "display_name",
            "target_track",
            "path_started_on",
            "email_audit_reminders",
            "email_review_verdicts",
            "email_review_digest",
        ]
        labels = {
            "display_name": "Display name",
            "path_started_on": "Date you started the 20-week path",
        }
        help_texts = {
            "display_name": "Shown instead of your username. Leave empty to use your username.",
            "path_started_on": "Leave empty if you have not started it yet.",
        }
        widgets = {"path_started_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, leads=False, **kwargs):
        """`leads`: whether the person leads a cohort; only then is the digest offered."""
        super().__init__(*args, **kwargs)
        if not leads:
            del self.fields[LEAD_KIND]
        if not has_chosen(self.instance):
            for name in (*LEARNER_KINDS, LEAD_KIND):
                self.initial[name] = False
        self.today = timezone.localdate()
        kept = Q(pk=self.instance.target_track_id) if self.instance.target_track_id else Q()
        self.fields["target_track"].queryset = Track.objects.filter(Q(retired=False) | kept)
        self.fields["path_started_on"].widget.attrs.update(
            {"max": self.today.isoformat(), "min": earliest_path_start(self.today).isoformat()}
        )

    def clean_path_started_on(self):
        started_on = self.cleaned_data["path_started_on"]
        if started_on is None or "path_started_on" not in self.changed_data:
            return started_on
        return check_path_start(started_on, self.today)

    def save(self, commit=True):
        asked_digest = LEAD_KIND in self.fields
        kinds = (*LEARNER_KINDS, LEAD_KIND) if asked_digest else LEARNER_KINDS
        ticked = [name for name in kinds if self.cleaned_data.get(name)]
        apply_email_choices(self.instance, ticked, asked_digest=asked_digest)
        user = super().save(commit)
        bump_learner(user.pk)
        return user


class EmailChoicesForm(forms.ModelForm):
    """The dashboard's one-time question to an account that never chose its emails."""

    class Meta:
        model = User
        fields = list(LEARNER_KINDS)

    def ticked(self):
        return [name for name in LEARNER_KINDS if self.cleaned_data.get(name)]


def confirms_by_code(user):
    """Someone without a password (who signs in with a provider) proves who they are before
    deleting their account by a code mailed to a confirmed address (allauth's reauthentication
    by code). Without a confirmed address either, they set a password first."""
    return (
        not user.has_usable_password()
        and EmailAddress.objects.filter(user=user, verified=True).exists()
    )


NO_WAY_TO_CONFIRM = (
    "You have no password here and no confirmed email to mail a code to: set a password first, "
    "then delete your account with it. Nothing was deleted."
)


class DeleteAccountForm(forms.Form):
    """Asks for the password once more, so an unattended session cannot erase an account. A
    person without a password ticks a box instead, once a mailed code proved who they are (the
    view asks allauth for that: confirms_by_code); one who cannot get a code sets a password
    first."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Type your password to confirm that you want everything deleted.",
    )
    confirm = forms.BooleanField(
        label="Yes, delete my account and everything in it",
        help_text="You have no password here, so tick this to confirm.",
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.cannot_confirm = False
        if user.has_usable_password():
            del self.fields["confirm"]
        elif confirms_by_code(user):
            del self.fields["password"]
        else:
            self.cannot_confirm = True
            del self.fields["password"], self.fields["confirm"]

    def clean(self):
        if self.cannot_confirm:
            raise forms.ValidationError(NO_WAY_TO_CONFIRM)
        return super().clean()

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That is not your password. Nothing was deleted.", code="password_incorrect"
            )
        return password
