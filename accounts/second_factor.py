"""A second factor (django-allauth's mfa): who has one, and who must.

Its pages, log-in step and recovery codes are allauth's (/accounts/2fa/); this module holds the
site's one rule on top, read by accounts.middleware.StaffSecondFactorMiddleware, and the words of
its form for adding a passkey.
"""

from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn.forms import AddWebAuthnForm

SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

STAFF_NEED_ONE = (
    "Staff can edit the whole curriculum and see every learner, so the admin needs a second "
    "factor: set one up here, then open the admin again."
)


def has_second_factor(user):
    """An authenticator app or a passkey counts; recovery codes alone do not (they are a way
    back in when the factor is not at hand, and go when the last factor is removed)."""
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTORS).exists()


def must_set_up_second_factor(user):
    """Staff use the admin only once they have a second factor; leads and learners may turn
    one on, and nobody else is ever stopped for lacking one."""
    return user.is_authenticated and user.is_staff and not has_second_factor(user)


class AddPasskeyForm(AddWebAuthnForm):
    """allauth's form for adding a passkey (MFA_FORMS["add_webauthn"]), in the site's words; a
    passkey that can log in alone is the usual kind, so that box starts ticked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "A name to tell it apart"
        self.fields["name"].help_text = "For instance the device it is on: “Phone”, “Laptop”."
        passwordless = self.fields["passwordless"]
        passwordless.label = "Let it log me in on its own, without my password"
        passwordless.help_text = (
            "The device then asks for your fingerprint, face or PIN each time. Untick it for a "
            "key asked for only after your password."
        )
        passwordless.initial = True
