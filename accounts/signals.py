"""What goes with a deleted account beyond its own rows (its email addresses, django-allauth's
EmailAddress, go with it by their foreign key): its login records.

Its sessions on other devices stop working at their next request (Django finds no user for the
id they name, and a later account never matches their password hash); their rows expire and
`clearsessions` removes them."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver

from pages import bump_learner


def forget_login_records(*names):
    """django-axes keeps the name typed (a username or an email), address and browser of every
    login and failed attempt."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    typed = Q()
    for name in filter(None, names):
        typed |= Q(username__iexact=name)
    if not typed:
        return
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(typed).delete()


@receiver(post_delete, sender=get_user_model(), dispatch_uid="accounts.forget_deleted_user")
def forget_deleted_user(sender, instance, **kwargs):
    forget_login_records(instance.get_username(), instance.email)


def _addresses_changed(sender, request=None, user=None, email_address=None, **kwargs):
    """django-allauth confirmed, added, removed or changed the primary of an address (its own
    writes, whose documented signals these are): the learner's pages, which say whether their
    address is verified, move on."""
    person = user or getattr(email_address, "user", None)
    if person is not None:
        bump_learner(person.pk)


def connect_address_signals():
    from allauth.account import signals

    for name in ("email_confirmed", "email_added", "email_removed", "email_changed"):
        getattr(signals, name).connect(_addresses_changed, dispatch_uid=f"accounts.{name}")
