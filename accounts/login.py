"""Logging in with django-allauth's form, guarded by django-axes (the one lock against password
guessing: AXES_* settings; allauth's own log-in limits are off)."""

from allauth.account import forms as allauth_forms
from django.conf import settings
from django.core.validators import MaxLengthValidator

EMAIL_MAX_LENGTH = 254


def client_address(request):
    """The address a request came from: REMOTE_ADDR, or behind `PROXY_COUNT` proxies the one
    the outermost of them was reached from, `PROXY_COUNT` entries from the end of
    X-Forwarded-For (what the client itself put before them there is not believed). django-axes
    counts failed log-ins by it (AXES_CLIENT_IP_CALLABLE) and the API a visitor's requests."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.PROXY_COUNT:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if len(forwarded) >= settings.PROXY_COUNT:
            address = forwarded[-settings.PROXY_COUNT].strip() or address
    return address


def login_attempted_as(request, credentials):
    """The name django-axes counts failed log-ins under (AXES_USERNAME_CALLABLE): what was typed
    in the log-in form (allauth's field "login", a username or an email; the admin's
    "username"), in lower case, so ADA and ada are one count."""
    typed = request.POST.get("login") if request is not None else None
    if not typed and credentials:
        typed = credentials.get("username") or credentials.get("email")
    if not typed and request is not None:
        typed = request.POST.get("username")
    return (typed or "").strip().lower()[:EMAIL_MAX_LENGTH] or None


class LoginForm(allauth_forms.LoginForm):
    """allauth's log-in form (ACCOUNT_FORMS), its one field named for what it takes and no
    longer than an email, so an overlong name is refused before authentication (and before
    django-axes stores it). The page offers the password reset beside the button."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["login"]
        field.label = "Username or email"
        field.max_length = EMAIL_MAX_LENGTH
        field.validators.append(MaxLengthValidator(EMAIL_MAX_LENGTH))
        field.widget.attrs["maxlength"] = str(EMAIL_MAX_LENGTH)
        self.fields["password"].help_text = ""  # the page links to the reset itself
