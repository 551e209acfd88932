"""The form on the profile page that makes a personal access token."""

import uuid

from django import forms

from api.models import AccessToken
from api.tokens import LIFETIMES


class AccessTokenForm(forms.Form):
    name = forms.CharField(
        max_length=80,
        help_text="What it is for, so you know which to revoke: “Cohort spreadsheet”.",
        error_messages={
            "required": "Name the token: what will use it?",
            "max_length": "Keep the name to %(limit_value)d characters or fewer.",
        },
    )
    scope = forms.ChoiceField(
        label="What it may do",
        choices=[
            (AccessToken.Scope.READ, "Read only: see your data and your cohorts’"),
            (AccessToken.Scope.WRITE, "Read and write: also rate, record progress and review"),
        ],
        initial=AccessToken.Scope.READ,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose read only or read and write.",
            "invalid_choice": "Choose read only or read and write.",
        },
    )
    days = forms.TypedChoiceField(
        label="Expires after",
        choices=list(LIFETIMES.items()),
        coerce=int,
        initial=30,
        error_messages={"invalid_choice": "Choose when the token expires."},
    )
    form_token = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This form is out of date: reload the page and send it again.",
            "invalid": "This form is out of date: reload the page and send it again.",
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("form_token", uuid.uuid4())
        super().__init__(*args, **kwargs)
