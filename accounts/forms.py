from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm

from curriculum.models import Track

User = get_user_model()


class SignUpForm(UserCreationForm):
    email = forms.EmailField(
        help_text="Only for resetting a forgotten password. Never shown to anyone.",
    )

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "email"]

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                "An account with this email already exists. Log in, or reset its password."
            )
        return email


class ProfileForm(forms.ModelForm):
    target_track = forms.ModelChoiceField(
        queryset=Track.objects.all(),
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


class DeleteAccountForm(forms.Form):
    """Asks for the password once more, so an unattended session cannot erase an account."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Type your password to confirm that you want everything deleted.",
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                "That is not your password. Nothing was deleted.", code="password_incorrect"
            )
        return password
