"""What goes with a deleted account beyond its own rows: its login records.

Its sessions on other devices stop working at their next request (Django finds no user for the
id they name, and a later account never matches their password hash); their rows expire and
`clearsessions` removes them."""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete
from django.dispatch import receiver


def forget_login_records(username):
    """django-axes keeps the username, address and browser of every login and failed attempt."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=username).delete()


@receiver(post_delete, sender=get_user_model(), dispatch_uid="accounts.forget_deleted_user")
def forget_deleted_user(sender, instance, **kwargs):
    forget_login_records(instance.get_username())
