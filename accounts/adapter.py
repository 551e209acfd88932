"""How django-allauth's account pages fit Skill Tree (ACCOUNT_ADAPTER): its mail goes through the
outbox like all mail, and two sign-ups racing for one username end in the form's usual error,
not a server error."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from django.contrib.sites.shortcuts import get_current_site
from django.db import IntegrityError, transaction
from django.shortcuts import render

from outbox.queue import send

USERNAME_TAKEN = "A user with that username already exists."


LOGIN_REFUSED = "That username or email and password do not match an account."


class AccountAdapter(DefaultAccountAdapter):
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "email_password_mismatch": LOGIN_REFUSED,
        "username_password_mismatch": LOGIN_REFUSED,
    }

    def send_mail(self, template_prefix, email, context):
        """allauth's mail (verification links, password resets) is rendered here and queued in
        the outbox (outbox.queue.send), the one way the site sends mail: no answer waits for
        the mail server, and a failure is tried again."""
        context = {
            "request": self.request,
            "email": email,
            "current_site": get_current_site(self.request),
            **context,
        }
        send(self.render_mail(template_prefix, email, context))

    def save_user(self, request, user, form, commit=True):
        """The form checked the username before another sign-up inserted it; the database's
        constraint (any case) refuses the later insert, shown as the form's error."""
        user = super().save_user(request, user, form, commit=False)
        if not commit:
            return user
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            form.add_error("username", USERNAME_TAKEN)
            raise ImmediateHttpResponse(
                render(request, "account/signup.html", {"form": form})
            ) from None
        return user
