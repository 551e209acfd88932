"""Forms a cohort lead fills in: the cohort itself and the review of a learner's evidence."""

import uuid

from django import forms

from assessments.models import Progress
from cohorts.models import DESCRIPTION_MAX_LENGTH, Cohort


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "description", "starts_on", "ends_on"]
        labels = {"starts_on": "Starts on", "ends_on": "Ends on"}
        help_texts = {
            "description": (
                "What the cohort is for; learners read it before they join. "
                f"Up to {DESCRIPTION_MAX_LENGTH:,} characters."
            ),
        }
        error_messages = {
            "description": {
                "max_length": (
                    "Keep the description to %(limit_value)s characters or fewer (it has "
                    "%(show_value)s): learners read it on the invite page."
                )
            }
        }
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The cohort cannot end before it starts.")
        return cleaned


class NewCohortForm(CohortForm):
    """The cohort form with a token hidden in it: the same form sent twice (a double click, a
    resend) starts one cohort, since the token is unique on Cohort."""

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


class ReviewForm(forms.Form):
    review = forms.ChoiceField(
        label="Outcome",
        choices=[
            (Progress.Review.VERIFIED, "Verified"),
            (Progress.Review.NEEDS_WORK, "Needs work"),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="Comment for the learner",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The evidence link the page showed: record_review refuses a claim changed since.
    seen_evidence = forms.CharField(required=False, max_length=500, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("review") == Progress.Review.NEEDS_WORK and not cleaned.get("comment"):
            self.add_error("comment", "Say what needs work, so the learner knows what to fix.")
        return cleaned
