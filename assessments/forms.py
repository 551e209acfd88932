"""The forms a learner fills in about their own progress: a skill's status, ladder signals, path start."""

from django import forms
from django.core.validators import URLValidator

from accounts.forms import check_path_start, earliest_path_start
from assessments.models import Progress
from curriculum.models import LadderSignal

EVIDENCE_SCHEMES_MESSAGE = (
    "Use a link that starts with http:// or https:// (a repository, a write-up, a demo)."
)


class EvidenceURLField(forms.URLField):
    """A URL field that takes http and https links only (no javascript:, data:, ftp:...)."""

    default_validators = [URLValidator(schemes=["http", "https"], message=EVIDENCE_SCHEMES_MESSAGE)]


class ProgressForm(forms.Form):
    status = forms.ChoiceField(
        choices=Progress.Status.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose where you stand: not started, learning or test passed.",
            "invalid_choice": "Choose where you stand: not started, learning or test passed.",
        },
    )
    evidence_url = EvidenceURLField(
        label="Link to your evidence",
        required=False,
        max_length=500,
        assume_scheme="https",
        error_messages={"invalid": EVIDENCE_SCHEMES_MESSAGE},
        help_text="Needed for “Test passed”: the repo, write-up or demo that meets the skill’s test.",
    )
    note = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Optional, up to 500 characters.",
        error_messages={
            "max_length": "Keep the note to %(limit_value)d characters or fewer "
            "(it has %(show_value)d)."
        },
    )

    def clean(self):
        cleaned = super().clean()
        passed = cleaned.get("status") == Progress.Status.TEST_PASSED
        if passed and not cleaned.get("evidence_url") and "evidence_url" not in self.errors:
            self.add_error("evidence_url", "Add a link to your evidence to mark the test passed.")
        return cleaned


class LadderForm(forms.Form):
    signals = forms.ModelMultipleChoiceField(
        queryset=LadderSignal.objects.current(),
        required=False,
        error_messages={
            "invalid_choice": "That signal is not on the ladder. Nothing was saved.",
            "invalid_pk_value": "That signal is not on the ladder. Nothing was saved.",
        },
    )


class PathStartForm(forms.Form):
    started_on = forms.DateField(
        label="The day you started the path",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the day you started, as a date.",
            "invalid": "Enter the day you started as a date, like 2026-01-05.",
        },
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.earliest = earliest_path_start(today)
        self.fields["started_on"].widget.attrs.update(
            {"max": today.isoformat(), "min": self.earliest.isoformat()}
        )

    def clean_started_on(self):
        return check_path_start(self.cleaned_data["started_on"], self.today)
