"""The record of each email: written as due, marked sent when its email is queued in the outbox
(which then delivers it, and tries again when the mail server refuses)."""

from django.conf import settings
from django.db import models


class NoticeQuerySet(models.QuerySet):
    def due(self):
        return self.filter(sent_at__isnull=True)


class Notice(models.Model):
    """One email to one person. `key` names what it is about, so the same email is never due
    twice: the audit that started a lapse, the review (claim and time), or the digest's day."""

    class Kind(models.TextChoices):
        AUDIT_REMINDER = "audit_reminder", "Re-audit reminder"
        REVIEW_VERDICT = "review_verdict", "Review verdict"
        REVIEW_DIGEST = "review_digest", "Review digest"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=100)
    progress = models.ForeignKey(
        "assessments.Progress",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="The reviewed claim, for a review verdict.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="one_notice_per_key"),
        ]

    def __str__(self):
        state = f"sent {self.sent_at:%Y-%m-%d %H:%M}" if self.sent_at else "due"
        return f"{self.get_kind_display()} to {self.user} ({state})"
