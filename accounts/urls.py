from allauth.mfa.recovery_codes.views import generate_recovery_codes
from allauth.mfa.totp.views import activate_totp
from allauth.mfa.webauthn.views import add_webauthn, edit_webauthn, remove_webauthn
from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path, reverse_lazy
from django.views.generic import RedirectView

from accounts import views


def moved_to(name):
    """Addresses from before django-allauth (bookmarks, mails already sent) lead to its page."""
    return RedirectView.as_view(url=reverse_lazy(name), permanent=False, query_string=True)


urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/emails/", views.email_choices, name="email_choices"),
    path("aim/<slug:slug>/", views.aim_track, name="aim_track"),
    path("password_reset/", moved_to("account_reset_password"), name="moved_password_reset"),
    path(
        "password_reset/done/",
        moved_to("account_reset_password"),
        name="moved_password_reset_done",
    ),
    # A reset link mailed before django-allauth cannot be read by it: ask for a new one.
    path(
        "reset/<str:uidb64>/<str:token>/",
        moved_to("account_reset_password"),
        name="moved_password_reset_confirm",
    ),
    path("reset/done/", moved_to("account_login"), name="moved_password_reset_complete"),
    path("password_change/", moved_to("account_change_password"), name="moved_password_change"),
    path(
        "password_change/done/",
        moved_to("account_change_password"),
        name="moved_password_change_done",
    ),
    # Before allauth's own pattern of the same name and address (accounts.views.confirm_email).
    re_path(
        r"^confirm-email/(?P<key>[-:\w]+)/$", views.confirm_email, name="account_confirm_email"
    ),
    # Before allauth's own pattern of the same name and address (accounts.views.continue_with_issuer).
    re_path(
        r"^oidc/(?P<provider_id>[^/]+)/login/$",
        views.continue_with_issuer,
        name="openid_connect_login",
    ),
    # Before allauth's own patterns of the same names and addresses: a visitor's post is sent to
    # log in without a session made to keep it for after the password is asked again.
    path("2fa/totp/activate/", login_required(activate_totp), name="mfa_activate_totp"),
    path(
        "2fa/recovery-codes/generate/",
        login_required(generate_recovery_codes),
        name="mfa_generate_recovery_codes",
    ),
    path("2fa/webauthn/add/", login_required(add_webauthn), name="mfa_add_webauthn"),
    path(
        "2fa/webauthn/keys/<int:pk>/remove/",
        login_required(remove_webauthn),
        name="mfa_remove_webauthn",
    ),
    path(
        "2fa/webauthn/keys/<int:pk>/edit/",
        login_required(edit_webauthn),
        name="mfa_edit_webauthn",
    ),
    path("", include("allauth.urls")),
]
