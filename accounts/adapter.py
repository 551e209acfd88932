"""How django-allauth's account pages fit Skill Tree (ACCOUNT_ADAPTER): its mail goes through the
outbox like all mail, a reset link goes only to the address an account uses, and two sign-ups
racing for one username end in the form's usual error, not a server error. And how signing in
with another provider does (SOCIALACCOUNT_ADAPTER): which existing account it may reach by email.
Its second-factor pages speak the site's words (MFA_ADAPTER)."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.db import IntegrityError, transaction
from django.http import Http404
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

    def send_password_reset_mail(self, user, email, context):
        """A reset link goes to the address the account uses, never to one its owner asked to
        change to and has not confirmed (User.is_changing_to): a mistyped new address must not
        be able to reset the password. The page answers the same either way."""
        if user.is_changing_to(email):
            return
        super().send_password_reset_mail(user, email, context)

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


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def can_authenticate_by_email(self, login, email):
        """Signing in with a provider reaches an existing account by its email only when both
        sides verified that address: the provider asserts it (allauth passes only the addresses
        the provider marks verified) and the account here followed our link for it. Anyone
        else gets an account of their own, never another person's."""
        return (
            super().can_authenticate_by_email(login, email)
            and EmailAddress.objects.filter(email__iexact=email, verified=True).exists()
        )

    def list_apps(self, request, provider=None, client_id=None):
        """Sign-in providers come from the environment only (SOCIALACCOUNT_PROVIDERS, built by
        skilltree.single_sign_on), never from the database: a page that names them asks it
        nothing, whoever has how many providers connected."""
        apps = []
        for provider_name, config in settings.SOCIALACCOUNT_PROVIDERS.items():
            for fields in config.get("APPS", []):
                app = SocialApp(provider=provider_name, **fields)
                if provider and provider not in (app.provider, app.provider_id):
                    continue
                if client_id and app.client_id != client_id:
                    continue
                apps.append(app)
        return apps

    def get_app(self, request, provider, client_id=None):
        """A provider the environment does not configure is not there: its addresses answer
        404, not a server error."""
        try:
            return super().get_app(request, provider, client_id=client_id)
        except SocialApp.DoesNotExist:
            raise Http404("No such sign-in provider.") from None


WRONG_CODE = (
    "That code is not right. Type the six digits your authenticator app shows now, or an unused "
    "recovery code."
)


class SecondFactorAdapter(DefaultMFAAdapter):
    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": WRONG_CODE,
        "unverified_email": (
            "Confirm your email address first (follow the link we sent, or send it again from "
            "Your email): a second factor set up on an address nobody confirmed could lock its "
            "owner out."
        ),
        "add_email_blocked": (
            "Your account has two-factor authentication, so its email cannot be changed here. "
            "Turn the second factor off first, or ask a member of staff."
        ),
    }
