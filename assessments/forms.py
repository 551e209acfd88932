"""The forms a learner fills in about their own progress: a skill's status, ladder signals, path start."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from accounts.forms import check_path_start, earliest_path_start
from assessments.models import Progress, SkillNote
from curriculum.converters import RowId
from curriculum.models import LadderSignal

EVIDENCE_SCHEMES_MESSAGE = (
    "Use a link that starts with http:// or https:// (a repository, a write-up, a demo)."
)


class EvidenceURLField(forms.URLField):
    """A URL field that takes http and https links only (no javascript:, data:, ftp:...)."""

    default_validators = [URLValidator(schemes=["http", "https"], message=EVIDENCE_SCHEMES_MESSAGE)]


class SkillNoteForm(forms.Form):
    text = forms.CharField(
        label="Private notes (only you see these)",
        required=False,
        max_length=SkillNote.MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you read, tried, got stuck on. Not shown to cohort leads or on your "
        "public profile. Up to 5,000 characters; empty deletes the notes.",
        error_messages={
            "max_length": "Keep the notes to %(limit_value)d characters or fewer "
            "(they have %(show_value)d)."
        },
    )


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
        help_text="Optional, up to 500 characters. Your cohort’s leads see this note.",
        error_messages={
            "max_length": "Keep the note to %(limit_value)d characters or fewer "
            "(it has %(show_value)d)."
        },
    )
    resubmit = forms.BooleanField(
        required=False,
        widget=forms.HiddenInput,
        help_text="Set by the “Submit it again for review” button after a “needs work” verdict.",
    )

    def clean(self):
        cleaned = super().clean()
        passed = cleaned.get("status") == Progress.Status.TEST_PASSED
        if passed and not cleaned.get("evidence_url") and "evidence_url" not in self.errors:
            self.add_error("evidence_url", "Add a link to your evidence to mark the test passed.")
        return cleaned


class SignalChoices(forms.ModelMultipleChoiceField):
    """Refuses an id of more than 18 digits as not a choice before it reaches the database
    (SQLite overflows on integers past 2**63; the hostile-input test found it)."""

    def _check_values(self, value):
        for pk in value:
            if not re.fullmatch(RowId.regex, str(pk)):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class LadderForm(forms.Form):
    signals = SignalChoices(
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
