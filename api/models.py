"""Personal access tokens: how a person's own scripts and tools reach /api/v1/ as them.

Only a SHA-256 hash of a token is stored, with its first characters (`prefix`) to find the row;
the token itself is shown once, when it is made (api.tokens).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class AccessTokenQuerySet(models.QuerySet):
    def of(self, user):
        """`user`'s tokens: the one rule for whose a token is."""
        return self.filter(owner=user)

    def usable(self, now):
        """Tokens that still work at `now`: not revoked, not expired, and their owner's account
        active. A deleted account's tokens are deleted with it."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now, owner__is_active=True)


class AccessToken(models.Model):
    class Scope(models.TextChoices):
        READ = "read", "Read only"
        WRITE = "write", "Read and write"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(max_length=80, help_text="What the token is for: “My spreadsheet”.")
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    form_token = models.UUIDField(
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="The token of the form that made it: sent twice, one token.",
    )

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=["read", "write"]), name="access_token_scope_known"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="access_token_expires_after_it_is_made",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…) of {self.owner}"

    @property
    def can_write(self):
        return self.scope == self.Scope.WRITE


class IdempotentWrite(models.Model):
    """A write's response kept under the `Idempotency-Key` its client sent, for a day: the same
    key from the same token gets the same response, and the write is not done again."""

    token = models.ForeignKey(AccessToken, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    status = models.PositiveSmallIntegerField()
    body = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "key"], name="one_response_per_key"),
        ]

    def __str__(self):
        return f"{self.method} {self.path} ({self.key})"
