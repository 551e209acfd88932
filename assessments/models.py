"""Audits, ratings, progress and evidence: the learner's personal layer."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from assessments import status as skill_status_rule

RATING_CHOICES = [
    (1, "1 — never touched it"),
    (2, "2 — know what it is"),
    (3, "3 — can do it with help"),
    (4, "4 — can do it alone"),
    (5, "5 — could teach it"),
]


def _rating_between_1_and_5(name):
    return models.CheckConstraint(condition=Q(value__gte=1, value__lte=5), name=name)


class AuditQuerySet(models.QuerySet):
    def of(self, user):
        """`user`'s audits: the one rule for whose an audit is. Everyone else's do not exist
        for them (`assessments.audits.own_audit`, `rate`)."""
        return self.filter(user=user)

    def saved(self):
        return self.filter(saved_at__isnull=False)

    def drafts(self):
        return self.filter(saved_at__isnull=True)

    def latest_first(self):
        """Saved audits, latest first: by `saved_at`, and on a tie the one created last."""
        return self.saved().order_by("-saved_at", "-pk")

    def latest_full(self):
        """Saved full audits, latest first: `.first()` is a learner's standing."""
        return self.latest_first().filter(kind=Audit.Kind.FULL)


class Audit(models.Model):
    """A self-audit. A draft (saved_at empty) takes ratings; once saved it is a frozen snapshot."""

    class Kind(models.TextChoices):
        QUICK = "quick", "Quick audit"
        FULL = "full", "Full audit"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="audits"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FULL)
    started_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(null=True, blank=True)
    track = models.ForeignKey(
        "curriculum.Track",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The learner's target track when the audit was saved.",
    )
    requirements = models.JSONField(
        default=dict,
        blank=True,
        help_text="That track's requirements when the audit was saved: {bucket id: target}.",
    )

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-saved_at", "-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind"],
                condition=Q(saved_at__isnull=True),
                name="one_draft_audit_per_kind",
            ),
        ]

    def __str__(self):
        state = self.saved_at.date() if self.saved_at else "draft"
        return f"{self.get_kind_display()} by {self.user} ({state})"

    @property
    def is_saved(self):
        return self.saved_at is not None


class Rating(models.Model):
    """A learner's 1–5 rating of one skill in one audit. Unrated skills have no row."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="ratings")
    skill = models.ForeignKey("curriculum.Skill", on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(choices=RATING_CHOICES)
    mastery_version = models.PositiveIntegerField(
        default=1, help_text="The skill's mastery text version this rating was made against."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit", "skill"], name="one_rating_per_skill"),
            _rating_between_1_and_5("rating_between_1_and_5"),
        ]

    def __str__(self):
        return f"{self.skill}: {self.value}"


class BaselineAnswer(models.Model):
    """An answer to one of the five quick-audit questions."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(
        "curriculum.BaselineQuestion", on_delete=models.PROTECT, related_name="+"
    )
    value = models.PositiveSmallIntegerField(choices=RATING_CHOICES)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit", "question"], name="one_answer_per_question"),
            _rating_between_1_and_5("answer_between_1_and_5"),
        ]

    def __str__(self):
        return f"{self.question}: {self.value}"


class ProgressQuerySet(models.QuerySet):
    def claims(self):
        """Tests marked passed with an evidence link: what a lead can review (`Progress.is_claim`)."""
        return self.filter(status=Progress.Status.TEST_PASSED).exclude(evidence_url="")

    def awaiting_review(self):
        """Claims no lead has reviewed yet (AWAITING_REVIEW; `Progress.awaiting_review`)."""
        return self.filter(AWAITING_REVIEW)

    def in_review_order(self):
        """Oldest first, as a lead reviews them: by when the test was marked passed (any row
        without that date first), then by its last change, then by row."""
        return self.order_by(F("passed_at").asc(nulls_first=True), "updated_at", "pk")

    def after_in_review_order(self, pk):
        """The rows after row `pk` in `in_review_order`, read from where that row stands now
        (reviewed since, it still marks the place); Progress.DoesNotExist if it is gone."""
        last = Progress.objects.filter(pk=pk).values("passed_at", "updated_at").get()
        later = Q(updated_at__gt=last["updated_at"]) | Q(updated_at=last["updated_at"], pk__gt=pk)
        if last["passed_at"] is None:
            return self.filter(Q(passed_at__isnull=True) & later | Q(passed_at__isnull=False))
        return self.filter(
            Q(passed_at__gt=last["passed_at"]) | Q(passed_at=last["passed_at"]) & later
        )

    def reviewed(self):
        """Claims a lead has marked verified or needing work."""
        return self.claims().exclude(review=Progress.Review.PENDING)

    def passed(self):
        """Rows that count as a passed test (`assessments.status.PASSED`)."""
        return self.filter(skill_status_rule.PASSED)

    def needs_work(self):
        """Passed tests a lead said need work (`assessments.status.NEEDS_WORK`)."""
        return self.filter(skill_status_rule.NEEDS_WORK)


class Progress(models.Model):
    """Where a learner stands on one skill, with the evidence for its test and a lead's review."""

    Status = skill_status_rule.Status
    Review = skill_status_rule.Review

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="progress"
    )
    skill = models.ForeignKey("curriculum.Skill", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    evidence_url = models.URLField("evidence", max_length=500, blank=True)
    note = models.CharField(max_length=500, blank=True)
    learning_since = models.DateTimeField(null=True, blank=True)
    passed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    review = models.CharField(max_length=20, choices=Review.choices, blank=True, default="")
    review_comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    objects = ProgressQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "progress"
        constraints = [
            models.UniqueConstraint(fields=["user", "skill"], name="one_progress_per_skill"),
        ]

    def __str__(self):
        return f"{self.user} · {self.skill}: {self.get_status_display()}"

    # The same two rules as ProgressQuerySet.claims() and AWAITING_REVIEW, for one row in memory;
    # tests/test_progress.py holds each pair to the same answer.
    @property
    def is_claim(self):
        return self.status == Progress.Status.TEST_PASSED and bool(self.evidence_url)

    @property
    def awaiting_review(self):
        return self.is_claim and self.review == Progress.Review.PENDING

    @property
    def shown_status(self):
        """What every page shows for this row (`assessments.status.skill_status`)."""
        return skill_status_rule.skill_status(self.status, self.review)


AWAITING_REVIEW = Q(status=Progress.Status.TEST_PASSED, review=Progress.Review.PENDING) & ~Q(
    evidence_url=""
)
"""A claim waiting for review: a passed test with an evidence link and no review yet. A Q, so
counts can filter by it inside one aggregate query."""


class SignalTick(models.Model):
    """A ladder signal the learner says they have."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signal_ticks"
    )
    signal = models.ForeignKey(
        "curriculum.LadderSignal", on_delete=models.PROTECT, related_name="+"
    )
    ticked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "signal"], name="one_tick_per_signal"),
        ]

    def __str__(self):
        return f"{self.user} ✓ {self.signal}"


class SkillNote(models.Model):
    """A learner's private notes on one skill. Only the learner sees them: never a cohort lead,
    never the public profile (unlike `Progress.note`, which leads see)."""

    MAX_LENGTH = 5000

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skill_notes"
    )
    skill = models.ForeignKey("curriculum.Skill", on_delete=models.CASCADE, related_name="+")
    text = models.TextField(max_length=MAX_LENGTH)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "skill"], name="one_note_per_skill"),
        ]

    def __str__(self):
        return f"{self.user} on {self.skill_id}"


class PublicProfile(models.Model):
    """A learner's opt-in public page of their verified skills, passed tests and ladder level.

    It exists only while they share it: stopping deletes the row, and sharing again makes a new
    random slug, so an old link never comes back. Search engines are asked not to index it
    until the learner allows it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="public_profile"
    )
    slug = models.SlugField(max_length=80, unique=True)
    indexable = models.BooleanField(default=False)
    shared_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.slug

    def get_absolute_url(self):
        return reverse("assessments:public_profile", args=[self.slug])
