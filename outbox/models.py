"""A Mail row is one email not yet taken by the mail server (sent mail is deleted)."""

import uuid

from django.core.mail import EmailMultiAlternatives
from django.db import models


class Mail(models.Model):
    """One email as the site wrote it, waiting for the mail server: its task is `task_id`, its
    failed tries `attempts` (the last one's error in `last_error`). `given_up_at` is set when
    every try failed; such mail stays here, for staff, and is never tried again."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    to = models.JSONField()
    from_email = models.TextField()
    subject = models.TextField()
    body = models.TextField()
    html = models.TextField(blank=True)
    headers = models.JSONField(default=dict, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="The task that sends it next.")
    attempts = models.PositiveSmallIntegerField(default=0, help_text="Tries that failed.")
    last_error = models.TextField(blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["queued_at"]
        verbose_name_plural = "mail"

    def __str__(self):
        return f"{self.subject} to {', '.join(self.to)}"

    def message(self):
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=self.body,
            from_email=self.from_email,
            to=self.to,
            headers=self.headers,
            reply_to=self.reply_to,
        )
        if self.html:
            message.attach_alternative(self.html, "text/html")
        return message
