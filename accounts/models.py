"""The people who use Skill Tree: a learner's profile, target track and path start date.

Accounts know the curriculum; audits, progress and cohorts build on accounts, never the reverse.
"""

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    display_name = models.CharField(max_length=100, blank=True)
    target_track = models.ForeignKey(
        "curriculum.Track",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    path_started_on = models.DateField("started the 20-week path on", null=True, blank=True)

    def __str__(self):
        return self.display_name or self.username

    @property
    def shown_name(self):
        return self.display_name or self.username
