"""Forms a cohort lead fills in: the cohort itself and the review of a learner's evidence."""

from django import forms

from assessments.models import Progress
from cohorts.models import Cohort


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "description", "starts_on", "ends_on"]
        labels = {"starts_on": "Starts on", "ends_on": "Ends on"}
        help_texts = {
            "description": "What the cohort is for; learners read it before they join.",
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

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("review") == Progress.Review.NEEDS_WORK and not cleaned.get("comment"):
            self.add_error("comment", "Say what needs work, so the learner knows what to fix.")
        return cleaned
