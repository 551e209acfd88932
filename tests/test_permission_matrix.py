"""Every URL × every role × GET and POST: the answer each person gets, and that a refusal writes nothing.

`MATRIX` holds one entry per named URL pattern outside the admin site: the URL's arguments (names of
objects in the world below) and, for GET and POST, the outcome for each role. The admin site's
model pages are checked as one family for every registered model (`admin_model_outcomes`; marked
slow, as the admin's list pages are heavy); its other pages have entries in `ADMIN_SITE`. A URL
pattern the resolver knows and neither covers fails `test_every_url_pattern_has_an_entry`: add
your URL to `MATRIX`.

The world is built once for the module; every request runs in a transaction that is rolled back,
so a POST that is allowed (joining, leaving, logging out) does not change what the next one sees.
POSTs carry no form data: this file is about who gets in, not what forms accept
(tests/test_hostile_input.py sends them hostile values).
"""

import hashlib
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from allauth.account.forms import EmailAwarePasswordResetTokenGenerator
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import int_to_base36, urlsafe_base64_encode

from assessments.models import Audit, Progress
from assessments.sharing import share
from cohorts.models import Cohort
from curriculum.models import Skill, Track, Trunk
from notices.mail import unsubscribe_token
from notices.models import Notice
from tests import factories

ROLES = [
    "anonymous",
    "learner",
    "other_learner",
    "member",
    "lead",
    "other_lead",
    "former_member",
    "staff",
    "curator",
    "superuser",
]
STAFF = ["staff", "curator", "superuser"]


@dataclass(frozen=True)
class Redirect:
    """A 302 to the page named `to` (a URL name; "login" sends `next` along), whose URL takes
    the objects of the world named in `kwargs` ((argument, object name) pairs)."""

    to: str
    kwargs: tuple = ()
    why: str = ""

    def __str__(self):
        return f"302 → {self.to}"


LOGIN = Redirect("account_login")
ADMIN_LOGIN = Redirect("admin:login")
THE_COHORT = Redirect("cohorts:cohort", kwargs=(("pk", "cohort"),))


def outcomes(default, **by_role):
    """{role: outcome} for every role: `default` unless the role is named."""
    unknown = set(by_role) - set(ROLES)
    assert not unknown, f"not roles: {unknown}"
    return {role: by_role.get(role, default) for role in ROLES}


def get_and_post(expected):
    """The same outcomes for a GET and a POST."""
    return {"GET": expected, "POST": expected}


EVERYONE = outcomes(200)
SIGNED_IN = outcomes(200, anonymous=LOGIN)
SIGNED_IN_405 = outcomes(405, anonymous=LOGIN)
LEARNER_ONLY = outcomes(404, anonymous=LOGIN, learner=200)
LEAD_ONLY = outcomes(404, anonymous=LOGIN, lead=200)
AFTER_LOGIN = outcomes(
    Redirect("assessments:dashboard"),
    anonymous=LOGIN,
    lead=Redirect("cohorts:cohorts"),
    other_lead=Redirect("cohorts:cohorts"),
)
LEADS_A_COHORT = outcomes(404, anonymous=LOGIN, lead=200, other_lead=200)
ADMIN_STAFF = outcomes(ADMIN_LOGIN, **dict.fromkeys(STAFF, 200))
ADMIN_STAFF_405 = outcomes(ADMIN_LOGIN, **dict.fromkeys(STAFF, 405))
CURRICULUM_VIEWERS = outcomes(ADMIN_LOGIN, staff=403, curator=200, superuser=200)
# allauth's sensitive second-factor steps ask for the password again (those with one), else for a
# code mailed to a verified address; the leads in this world have neither
ASKED_AGAIN = outcomes(
    Redirect("account_request_reauthentication_code"),
    anonymous=LOGIN,
    lead=403,
    other_lead=403,
    **dict.fromkeys(["learner", "curator", "superuser"], Redirect("account_reauthenticate")),
)

MATRIX = {
    # Accounts
    "account_signup": get_and_post(outcomes(Redirect("cohorts:landing"), anonymous=200)),
    "account_login": get_and_post(outcomes(Redirect("cohorts:landing"), anonymous=200)),
    "account_logout": {
        "GET": outcomes(200, anonymous=Redirect("curriculum:home")),
        "POST": outcomes(Redirect("curriculum:home")),
    },
    "account_inactive": {"GET": EVERYONE, "POST": outcomes(405)},
    "profile": {"GET": SIGNED_IN, "POST": outcomes(Redirect("profile"), anonymous=LOGIN)},
    # The dashboard's one-time question about emails: POST only, back to the profile
    "email_choices": {
        "GET": SIGNED_IN_405,
        "POST": outcomes(Redirect("profile"), anonymous=LOGIN),
    },
    # The person's email: see it, change it (used once verified), send the link again
    "account_email": {
        "GET": SIGNED_IN,
        "POST": outcomes(Redirect("account_email"), anonymous=LOGIN),
    },
    "account_email_verification_sent": {"GET": EVERYONE, "POST": outcomes(405)},
    # The link mailed to an address: the key is the credential, whoever follows it; only its
    # owner stays signed in (anyone else is asked to log in)
    "account_confirm_email": {
        "kwargs": {"key": "confirmation_key"},
        "GET": EVERYONE,
        "POST": outcomes(
            Redirect("account_login", why="confirmed, then log in as its owner"),
            learner=Redirect("cohorts:landing"),
        ),
    },
    # Asked again for a password (or a code mailed to a verified address) before allauth's
    # sensitive steps; people without a password (made by staff) are offered the code, leads
    # in this world have no verified address
    "account_reauthenticate": get_and_post(
        outcomes(
            Redirect("account_request_reauthentication_code"),
            anonymous=LOGIN,
            learner=200,
            curator=200,
            superuser=200,
            lead=403,
            other_lead=403,
        )
    ),
    "account_request_reauthentication_code": get_and_post(
        outcomes(200, anonymous=LOGIN, lead=403, other_lead=403)
    ),
    # Without a code asked for, back to asking for one
    "account_confirm_reauthentication_code": get_and_post(
        outcomes(Redirect("account_request_reauthentication_code"), anonymous=LOGIN)
    ),
    # Log-in by a mailed code is off: its page sends people back to log in, or on if they are
    "account_confirm_login_code": get_and_post(
        outcomes(
            Redirect("cohorts:landing"), anonymous=Redirect("account_login", why="no code login")
        )
    ),
    # Made by staff without a password: set one first
    "account_change_password": get_and_post(
        outcomes(
            Redirect("account_set_password"),
            anonymous=LOGIN,
            learner=200,
            curator=200,
            superuser=200,
        )
    ),
    "account_set_password": get_and_post(
        outcomes(
            200,
            anonymous=LOGIN,
            **dict.fromkeys(
                ["learner", "curator", "superuser"], Redirect("account_change_password")
            ),
        )
    ),
    "account_reset_password": get_and_post(EVERYONE),
    "account_reset_password_done": {"GET": EVERYONE, "POST": outcomes(405)},
    "account_reset_password_from_key": {
        "kwargs": {"uidb36": "reset_uid", "key": "reset_token"},
        "GET": outcomes(Redirect("account_reset_password_from_key")),
        "POST": outcomes(Redirect("account_reset_password_from_key")),
    },
    "account_reset_password_from_key_done": {"GET": EVERYONE, "POST": outcomes(405)},
    # Addresses from before django-allauth lead to its pages
    "moved_password_reset": get_and_post(outcomes(Redirect("account_reset_password"))),
    "moved_password_reset_done": get_and_post(outcomes(Redirect("account_reset_password"))),
    "moved_password_reset_confirm": {
        "kwargs": {"uidb64": "old_reset_uid", "token": "old_reset_token"},
        "GET": outcomes(Redirect("account_reset_password")),
        "POST": outcomes(Redirect("account_reset_password")),
    },
    "moved_password_reset_complete": get_and_post(outcomes(Redirect("account_login", why="moved"))),
    "moved_password_change": get_and_post(outcomes(Redirect("account_change_password"))),
    "moved_password_change_done": get_and_post(outcomes(Redirect("account_change_password"))),
    # Single sign-on (django-allauth's socialaccount). The providers a person has connected: theirs
    # to see and remove (a POST naming none re-shows the page)
    "socialaccount_connections": get_and_post(SIGNED_IN),
    # The sign-up step after a provider, only while one is under way
    "socialaccount_signup": get_and_post(
        outcomes(Redirect("account_login", why="no provider sign-up under way"))
    ),
    "socialaccount_login_cancelled": {"GET": EVERYONE, "POST": outcomes(405)},
    "socialaccount_login_error": {"GET": outcomes(401), "POST": outcomes(405)},
    # The providers this world configures (SSO_PROVIDERS): "Continue with" asks first, then sends
    # anyone to the provider; its issuer down, the OpenID Connect one says the log-in did not work.
    # A callback outside a provider's flow, or a token that is not one, is refused (401).
    "google_login": {"GET": EVERYONE, "POST": outcomes(302)},
    "github_login": {"GET": EVERYONE, "POST": outcomes(302)},
    "openid_connect_login": {
        "kwargs": {"provider_id": "sso_provider"},
        "GET": EVERYONE,
        "POST": outcomes(502),
    },
    "google_callback": get_and_post(outcomes(401)),
    "google_login_by_token": get_and_post(outcomes(401)),
    "github_callback": get_and_post(outcomes(401)),
    "openid_connect_callback": {
        "kwargs": {"provider_id": "sso_provider"},
        **get_and_post(outcomes(401)),
    },
    # Two-factor authentication (django-allauth's mfa). In this world staff have an authenticator
    # app and recovery codes, nobody else has; ada's new address is unconfirmed, so she may not
    # add one yet (back to the page, told why). Adding or removing one asks for the password again
    # (or a mailed code for those without one; leads here have neither: 403).
    "mfa_index": {"GET": SIGNED_IN, "POST": SIGNED_IN_405},
    # The log-in's second step: nothing to do for someone already signed in
    "mfa_authenticate": get_and_post(outcomes(Redirect("cohorts:landing"), anonymous=LOGIN)),
    "mfa_reauthenticate": get_and_post(
        outcomes(
            Redirect("account_request_reauthentication_code"),
            anonymous=LOGIN,
            learner=Redirect("account_reauthenticate"),
            lead=403,
            other_lead=403,
            **dict.fromkeys(STAFF, 200),
        )
    ),
    "mfa_activate_totp": get_and_post(
        outcomes(
            Redirect("account_request_reauthentication_code"),
            anonymous=LOGIN,
            learner=Redirect("mfa_index", why="her new address is not confirmed"),
            lead=403,
            other_lead=403,
            curator=Redirect("account_reauthenticate"),
            superuser=Redirect("account_reauthenticate"),
        )
    ),
    "mfa_deactivate_totp": get_and_post(
        outcomes(
            404,
            anonymous=LOGIN,
            staff=Redirect("account_request_reauthentication_code"),
            curator=Redirect("account_reauthenticate"),
            superuser=Redirect("account_reauthenticate"),
        )
    ),
    "mfa_view_recovery_codes": {
        "GET": outcomes(
            404,
            anonymous=LOGIN,
            staff=Redirect("account_request_reauthentication_code"),
            curator=Redirect("account_reauthenticate"),
            superuser=Redirect("account_reauthenticate"),
        ),
        "POST": SIGNED_IN_405,
    },
    "mfa_download_recovery_codes": get_and_post(
        outcomes(
            404,
            anonymous=LOGIN,
            staff=Redirect("account_request_reauthentication_code"),
            curator=Redirect("account_reauthenticate"),
            superuser=Redirect("account_reauthenticate"),
        )
    ),
    # Passkeys: the superuser in this world has one. Adding, renaming or removing one asks again
    # first, as above (ada's unconfirmed address keeps her from adding one). Only one's owner
    # reaches their passkey; anyone else is asked again too, then finds nothing (404).
    "mfa_list_webauthn": {"GET": SIGNED_IN, "POST": SIGNED_IN_405},
    "mfa_add_webauthn": get_and_post(
        outcomes(
            Redirect("account_request_reauthentication_code"),
            anonymous=LOGIN,
            learner=Redirect("mfa_index", why="her new address is not confirmed"),
            lead=403,
            other_lead=403,
            curator=Redirect("account_reauthenticate"),
            superuser=Redirect("account_reauthenticate"),
        )
    ),
    "mfa_remove_webauthn": {"kwargs": {"pk": "passkey"}, **get_and_post(ASKED_AGAIN)},
    "mfa_edit_webauthn": {"kwargs": {"pk": "passkey"}, **get_and_post(ASKED_AGAIN)},
    # Asking again with a passkey: for the one who has one (an empty answer: back to log in)
    "mfa_reauthenticate_webauthn": {
        "GET": {**ASKED_AGAIN, "superuser": 200},
        "POST": {**ASKED_AGAIN, "superuser": Redirect("account_login", why="no passkey answer")},
    },
    # "Use a passkey instead" on the log-in page: the browser's question (an XHR), then its answer
    "mfa_login_webauthn": get_and_post(
        outcomes(
            Redirect("cohorts:landing"),
            anonymous=Redirect("account_login", why="not asked by the page's script"),
        )
    ),
    "mfa_generate_recovery_codes": get_and_post(
        outcomes(
            Redirect("account_request_reauthentication_code"),
            anonymous=LOGIN,
            lead=403,
            other_lead=403,
            **dict.fromkeys(
                ["learner", "curator", "superuser"], Redirect("account_reauthenticate")
            ),
        )
    ),
    "aim_track": {
        "kwargs": {"slug": "track"},
        "GET": SIGNED_IN_405,
        "POST": outcomes(
            Redirect("curriculum:track", kwargs=(("slug", "track"),)), anonymous=LOGIN
        ),
    },
    # The link in every email: no log-in, the signed token names whose emails stop
    "notices:unsubscribe": {
        "kwargs": {"token": "unsubscribe_token"},
        "GET": EVERYONE,
        "POST": EVERYONE,
    },
    # The learner's own audits, progress and data
    "assessments:quick_audit": {"GET": EVERYONE, "POST": outcomes(400)},
    "assessments:visitor_picture": {
        "GET": outcomes(
            Redirect("assessments:quick_audit"),
            learner=Redirect("assessments:audit_detail", kwargs=(("pk", "quick_audit"),)),
        ),
        "POST": outcomes(405),
    },
    "assessments:audit": {"GET": SIGNED_IN, "POST": SIGNED_IN_405},
    "assessments:audit_history": get_and_post(SIGNED_IN),
    "assessments:audit_detail": {
        "kwargs": {"pk": "saved_audit"},
        "GET": LEARNER_ONLY,
        "POST": LEARNER_ONLY,
    },
    "assessments:audit_ratings": {
        "kwargs": {"pk": "saved_audit"},
        "GET": LEARNER_ONLY,
        "POST": LEARNER_ONLY,
    },
    "assessments:rate": {
        "kwargs": {"pk": "draft_audit"},
        "GET": SIGNED_IN_405,
        "POST": outcomes(404, anonymous=LOGIN, learner=400),
    },
    "assessments:save_audit": {
        "kwargs": {"pk": "draft_audit"},
        "GET": SIGNED_IN_405,
        "POST": outcomes(404, anonymous=LOGIN, learner=Redirect("assessments:audit")),
    },
    "assessments:dashboard": get_and_post(SIGNED_IN),
    "assessments:skill_progress": {
        "kwargs": {"slug": "skill"},
        "GET": SIGNED_IN,
        "POST": outcomes(400, anonymous=LOGIN),
    },
    "assessments:my_ladder": {
        "GET": SIGNED_IN,
        "POST": outcomes(Redirect("assessments:my_ladder"), anonymous=LOGIN),
    },
    "assessments:my_path": {"GET": SIGNED_IN, "POST": outcomes(400, anonymous=LOGIN)},
    "assessments:export_json": get_and_post(SIGNED_IN),
    "assessments:export_ratings_csv": get_and_post(SIGNED_IN),
    # Deleting the account: with a password, the page asks for it; without one (this world's
    # factory people), a mailed code first (allauth's reauthentication), or, with no confirmed
    # address to mail it to, the page says to set a password first (a POST changes nothing)
    "assessments:delete_account": get_and_post(
        outcomes(
            Redirect("account_request_reauthentication_code"),
            anonymous=LOGIN,
            learner=200,
            lead=200,
            other_lead=200,
            curator=200,
            superuser=200,
        )
    ),
    # "Start learning it": one click, back to the dashboard, only the learner's own progress
    "assessments:start_learning": {
        "kwargs": {"slug": "skill"},
        "GET": SIGNED_IN_405,
        "POST": outcomes(Redirect("assessments:dashboard"), anonymous=LOGIN),
    },
    # Private notes per skill: an empty note saved (deleted) goes back to the progress page
    "assessments:skill_notes": {
        "kwargs": {"slug": "skill"},
        "GET": SIGNED_IN_405,
        "POST": outcomes(
            Redirect("assessments:skill_progress", kwargs=(("slug", "skill"),)), anonymous=LOGIN
        ),
    },
    # The shareable profile: public once shared; its settings are the learner's own
    "assessments:public_profile": {
        "kwargs": {"slug": "public_profile"},
        "GET": EVERYONE,
        "POST": EVERYONE,
    },
    "assessments:share_settings": {
        "GET": SIGNED_IN_405,
        "POST": outcomes(Redirect("profile"), anonymous=LOGIN),
    },
    # Cohorts: only the cohort's lead sees it; staff and superusers are not leads. Starting
    # one is self-serve (DJANGO_COHORT_LEADS_GROUP_ONLY=1 restricts it: tests/test_cohorts.py)
    "cohorts:cohorts": get_and_post(SIGNED_IN),
    "cohorts:cohort_create": get_and_post(SIGNED_IN),
    "cohorts:landing": get_and_post(AFTER_LOGIN),
    "cohorts:cohort_reviews": get_and_post(LEADS_A_COHORT),
    "cohorts:cohort_review": {
        "kwargs": {"pk": "claim"},
        "GET": LEAD_ONLY,
        "POST": outcomes(404, anonymous=LOGIN, lead=400),
    },
    "cohorts:cohort": {"kwargs": {"pk": "cohort"}, "GET": LEAD_ONLY, "POST": LEAD_ONLY},
    "cohorts:cohort_edit": {"kwargs": {"pk": "cohort"}, "GET": LEAD_ONLY, "POST": LEAD_ONLY},
    "cohorts:cohort_invite": {
        "kwargs": {"pk": "cohort"},
        "GET": SIGNED_IN_405,
        "POST": outcomes(404, anonymous=LOGIN, lead=400),
    },
    "cohorts:cohort_export": {"kwargs": {"pk": "cohort"}, "GET": LEAD_ONLY, "POST": LEAD_ONLY},
    "cohorts:cohort_over_time": {
        "kwargs": {"pk": "cohort"},
        "GET": LEAD_ONLY,
        "POST": LEAD_ONLY,
    },
    "cohorts:cohort_learner": {
        "kwargs": {"pk": "cohort", "user_pk": "member"},
        "GET": LEAD_ONLY,
        "POST": LEAD_ONLY,
    },
    "cohorts:cohort_leave": {
        "kwargs": {"pk": "cohort"},
        "GET": SIGNED_IN_405,
        "POST": outcomes(404, anonymous=LOGIN, member=Redirect("profile")),
    },
    "cohorts:cohort_join": {
        "kwargs": {"token": "invite_token"},
        "GET": EVERYONE,
        # A lead opening their own link is sent back to the cohort, not made a member.
        "POST": outcomes(
            Redirect("cohorts:cohort_welcome", kwargs=(("pk", "cohort"),)),
            anonymous=LOGIN,
            lead=THE_COHORT,
        ),
    },
    # The step after joining: the cohort's members only
    "cohorts:cohort_welcome": {
        "kwargs": {"pk": "cohort"},
        "GET": outcomes(404, anonymous=LOGIN, member=200),
        "POST": outcomes(405, anonymous=LOGIN),
    },
    # The public curriculum
    "curriculum:home": {"GET": EVERYONE, "POST": outcomes(405)},
    "curriculum:tree": {"GET": EVERYONE, "POST": outcomes(405)},
    "curriculum:trunk": {"kwargs": {"slug": "trunk"}, "GET": EVERYONE, "POST": outcomes(405)},
    "curriculum:skill": {"kwargs": {"slug": "skill"}, "GET": EVERYONE, "POST": outcomes(405)},
    "curriculum:tracks": {"GET": EVERYONE, "POST": outcomes(405)},
    "curriculum:track": {"kwargs": {"slug": "track"}, "GET": EVERYONE, "POST": outcomes(405)},
    "curriculum:ladder": {"GET": EVERYONE, "POST": outcomes(405)},
    "curriculum:path": {"GET": EVERYONE, "POST": outcomes(405)},
    "curriculum:sources": {"GET": EVERYONE, "POST": outcomes(405)},
    # The curriculum as a framework file, from the admin
    "curriculum-framework": get_and_post(CURRICULUM_VIEWERS),
    # The icon browsers ask for on pages that name none
    "favicon": {"GET": EVERYONE, "POST": outcomes(405)},
    # The API's documentation page (its operations are in API_MATRIX below)
    "api_docs": {"GET": EVERYONE, "POST": outcomes(405)},
    # Personal access tokens on the profile page: an empty form is refused; only its owner
    # revokes a token
    "access_token_create": {"GET": SIGNED_IN, "POST": outcomes(400, anonymous=LOGIN)},
    "access_token_revoke": {
        "kwargs": {"pk": "learner_token"},
        "GET": SIGNED_IN_405,
        "POST": outcomes(404, anonymous=LOGIN, learner=Redirect("profile")),
    },
}

ADMIN_SITE = {
    "admin:index": get_and_post(ADMIN_STAFF),
    # The admin's own log-in form would skip the second factor: visitors are sent to the site's
    # (allauth's secure_admin_login); signed-in people who are not staff are refused
    "admin:login": {
        "GET": outcomes(403, anonymous=LOGIN, **dict.fromkeys(STAFF, Redirect("admin:index"))),
        "POST": outcomes(403, anonymous=LOGIN, **dict.fromkeys(STAFF, 200)),
    },
    "admin:logout": {
        "GET": outcomes(Redirect("admin:index"), **dict.fromkeys(STAFF, 405)),
        "POST": outcomes(
            Redirect("admin:index"), **dict.fromkeys(STAFF, Redirect("curriculum:home"))
        ),
    },
    "admin:password_change": get_and_post(ADMIN_STAFF),
    "admin:password_change_done": {"GET": ADMIN_STAFF, "POST": ADMIN_STAFF_405},
    "admin:jsi18n": {"GET": ADMIN_STAFF, "POST": ADMIN_STAFF_405},
    "admin:autocomplete": {
        "GET": outcomes(ADMIN_LOGIN, **dict.fromkeys(STAFF, 403)),
        "POST": ADMIN_STAFF_405,
    },
    "admin:view_on_site": {
        "kwargs": {"content_type_id": "cohort_content_type", "object_id": "cohort"},
        "GET": outcomes(ADMIN_LOGIN, **dict.fromkeys(STAFF, THE_COHORT)),
        "POST": outcomes(ADMIN_LOGIN, **dict.fromkeys(STAFF, THE_COHORT)),
    },
    "admin:auth_user_password_change": {
        "kwargs": {"id": "learner"},
        "GET": outcomes(ADMIN_LOGIN, staff=403, curator=403, superuser=200),
        "POST": outcomes(ADMIN_LOGIN, staff=403, curator=403, superuser=200),
    },
    "admin:app_list": {
        "kwargs": {"app_label": "curriculum_app"},
        "GET": outcomes(ADMIN_LOGIN, staff=404, curator=200, superuser=200),
        "POST": outcomes(ADMIN_LOGIN, staff=404, curator=200, superuser=200),
    },
}

UNNAMED = {
    "accounts/social/login/cancelled/": "socialaccount_login_cancelled",
    "accounts/social/login/error/": "socialaccount_login_error",
    "accounts/social/signup/": "socialaccount_signup",
    "accounts/social/connections/": "socialaccount_connections",
}
"""django-allauth's unnamed addresses from before its "3rdparty/": a permanent redirect to the
named page (which the matrix covers), for everyone."""

ADMIN_MODEL_ACTIONS = ["changelist", "add", "history", "delete", "change"]
"""The pages the admin makes for each registered model (and an unnamed redirect to `change`)."""


# The URL patterns


def url_patterns(patterns=None, namespace=None, route=""):
    """(name with its namespace, route, namespace) of every URL pattern, through includes."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, inner, route + str(pattern.pattern))
            continue
        name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
        yield name, route + str(pattern.pattern), namespace


ADMIN_MODELS = [model for model in apps.get_models() if admin.site.is_registered(model)]


def admin_model_page_names():
    return {
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}"
        for model in ADMIN_MODELS
        for action in ADMIN_MODEL_ACTIONS
    }


def test_every_url_pattern_has_an_entry():
    model_pages = admin_model_page_names()
    missing = []
    for name, route, namespace in url_patterns():
        if namespace == API_NAMESPACE:
            continue  # the API's operations: API_MATRIX, from its schema
        if namespace == "admin":
            if name is None or name in model_pages or name in ADMIN_SITE:
                continue
        elif name in MATRIX or (name is None and route in UNNAMED):
            continue
        missing.append(f"{name or '(no name)'} at /{route}")
    assert not missing, (
        "These URL patterns have no entry in tests/test_permission_matrix.py: "
        + "; ".join(missing)
        + ". Name each one and add it to MATRIX (or ADMIN_SITE for an admin page) with the "
        "outcome of GET and POST for every role."
    )


def test_every_entry_is_a_url_pattern_with_every_role():
    names = {name for name, _route, namespace in url_patterns() if namespace != API_NAMESPACE}
    for name, entry in {**MATRIX, **ADMIN_SITE}.items():
        assert name in names, f"{name} is in the matrix but not in the URLs: remove its entry"
        for method in ("GET", "POST"):
            assert set(entry[method]) == set(ROLES), f"{name} {method} names every role"


@pytest.mark.django_db
@pytest.mark.parametrize("route", sorted(UNNAMED))
def test_each_unnamed_address_sends_everyone_to_its_named_page(world, route):
    wrong = []
    for method in ("GET", "POST"):
        for role in ROLES:
            response, _ = ask(world, role, method, f"/{route}", watch=False)
            got = (response.status_code, response.get("Location"))
            if got != (301, reverse(UNNAMED[route])):
                wrong.append(f"{method} /{route} as {role}: got {got}")
    assert not wrong, "\n".join(wrong)


# The world


@dataclass
class World:
    sessions: dict
    objects: dict

    def argument(self, name):
        value = self.objects[name]
        return value.pk if hasattr(value, "pk") else value


def build_world():
    """Ten people, a learner's audits, a cohort with a member, its claim and its invite link."""
    learner = factories.learner()
    saved_audit = factories.AuditFactory(
        user=learner, days_ago=3, ratings={Skill.objects.first(): 3}
    )
    quick_audit = factories.AuditFactory(user=learner, quick=True, answers={})
    draft_audit = factories.AuditFactory(user=learner, draft=True)

    lead = factories.lead_with_cohort(username="lead")
    cohort = lead.led_cohorts.get()
    member = factories.member_of(cohort, username="member")
    factories.AuditFactory(user=member, ratings={Skill.objects.first(): 2})
    claim = factories.ProgressFactory(user=member, skill=Skill.objects.first(), passed=True)
    people = {
        "learner": learner,
        "other_learner": factories.other_learner(),
        "member": member,
        "lead": lead,
        "other_lead": factories.lead_with_cohort(username="other_lead"),
        "former_member": factories.former_member_of(cohort, username="former"),
        "staff": factories.staff_without_permissions(username="staff"),
        "curator": factories.curator(),
        "superuser": factories.superuser(),
    }
    sessions = {"anonymous": None}
    for role, user in people.items():
        client = Client()
        client.force_login(user)
        sessions[role] = client.session.session_key
    learner.refresh_from_db()
    new_address = EmailAddress.objects.create(user=learner, email="ada-new@example.org")
    objects = {
        **people,
        "saved_audit": saved_audit,
        "draft_audit": draft_audit,
        "quick_audit": quick_audit,
        "unsubscribe_token": unsubscribe_token(learner, Notice.Kind.AUDIT_REMINDER),
        "cohort": cohort,
        "claim": claim,
        "invite_token": cohort.invite_token,
        "skill": Skill.objects.first().slug,
        "trunk": Trunk.objects.first().slug,
        "track": Track.objects.first().slug,
        "reset_uid": int_to_base36(learner.pk),
        "reset_token": EmailAwarePasswordResetTokenGenerator().make_token(learner),
        "old_reset_uid": urlsafe_base64_encode(force_bytes(learner.pk)),
        "old_reset_token": default_token_generator.make_token(learner),
        "confirmation_key": EmailConfirmationHMAC(new_address).key,
        "cohort_content_type": ContentType.objects.get_for_model(Cohort).pk,
        "curriculum_app": "curriculum",
        "sso_provider": "campus",
    }
    objects["passkey"] = factories.give_passkey(people["superuser"])
    objects["public_profile"] = share(learner).slug
    objects.update(api_tokens(people))
    assert Audit.objects.filter(user=learner).count() == 3
    assert Progress.objects.filter(user=member, status=Progress.Status.TEST_PASSED).exists()
    return World(sessions=sessions, objects=objects)


SSO_PROVIDERS = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "campus",
                "name": "Campus",
                "client_id": "skilltree",
                "secret": "s",
                "settings": {"server_url": "http://127.0.0.1:9"},
            }
        ]
    },
    "google": {"APPS": [{"client_id": "google-id", "secret": "s"}]},
    "github": {"APPS": [{"client_id": "github-id", "secret": "s"}]},
}
"""Single sign-on as the environment would configure it, the issuer at a port nobody answers."""


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once; the tests' own transactions nest inside this one, which is rolled back.
    A transactional test before it may have emptied the tables: the curriculum and the leads group come back first
    (the autouse fixture that does so runs only after module fixtures)."""
    with (
        django_db_blocker.unblock(),
        override_settings(SOCIALACCOUNT_PROVIDERS=SSO_PROVIDERS),
        transaction.atomic(),
    ):
        factories.restore_migrated_data()
        yield build_world()
        transaction.set_rollback(True)


PEOPLE_APPS = {"auth", "accounts", "assessments", "cohorts", "sessions", "mfa"}


def fingerprint():
    """Per table: row count and highest key (as text: some keys are UUIDs, which PostgreSQL
    has no MAX for); and every row of the people's tables (small in this world), so a refused
    request cannot even change a value unseen. Raw SQL: it runs twice for each refused
    request."""
    models = [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join(
                f"SELECT '{m._meta.db_table}', COUNT(*), MAX(CAST({quote(m._meta.pk.column)} AS TEXT)) "
                f"FROM {quote(m._meta.db_table)}"
                for m in models
            )
        )
        counts = {table: (count, str(top)) for table, count, top in cursor.fetchall()}
        rows = {}
        for m in models:
            if m._meta.app_label in PEOPLE_APPS and m._meta.db_table != "django_session":
                cursor.execute(f"SELECT * FROM {quote(m._meta.db_table)} ORDER BY 1")
                rows[m._meta.db_table] = hashlib.sha256(repr(cursor.fetchall()).encode()).digest()
    return counts, rows


def changes(before, after):
    (counts_before, rows_before), (counts_after, rows_after) = before, after
    changed = [t for t in counts_before if counts_before[t] != counts_after.get(t)]
    changed += [f"a row in {t}" for t in rows_before if rows_before[t] != rows_after[t]]
    return changed


# The requests


def ask(world, role, method, path, *, watch):
    """The response to one request by `role`, and (if `watch`) the tables it changed; then
    undo what it did."""
    client = Client()
    if world.sessions[role]:
        client.cookies["sessionid"] = world.sessions[role]
    with transaction.atomic():
        before = fingerprint() if watch else None
        response = client.generic(method, path)
        changed = changes(before, fingerprint()) if watch else []
        transaction.set_rollback(True)
    return response, changed


def outcome_of(world, response, expected):
    """The response as the matrix writes it: the status, or `expected` if it is the redirect
    expected (else the redirect's path)."""
    if response.status_code != 302 or not isinstance(expected, Redirect):
        return response.status_code
    location = urlsplit(response["Location"]).path
    if expected.to == "account_reset_password_from_key":  # to itself, the key swapped for this
        return expected if location.endswith("-set-password/") else location
    kwargs = {key: world.argument(name) for key, name in expected.kwargs}
    return expected if location == reverse(expected.to, kwargs=kwargs) else location


def refused(expected):
    return expected in (LOGIN, ADMIN_LOGIN) or (isinstance(expected, int) and expected >= 400)


def check(world, name, entry):
    kwargs = {key: world.argument(value) for key, value in entry.get("kwargs", {}).items()}
    path = reverse(name, kwargs=kwargs)
    wrong = []
    for method in ("GET", "POST"):
        for role, expected in entry[method].items():
            response, changed = ask(world, role, method, path, watch=refused(expected))
            got = outcome_of(world, response, expected)
            if got != expected:
                wrong.append(f"{method} {path} as {role}: expected {expected}, got {got}")
            elif refused(expected) and changed:
                wrong.append(f"{method} {path} as {role} was refused but changed {changed}")
    return wrong


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_the_outcome_in_the_matrix(world, name):
    wrong = check(world, name, MATRIX[name])
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ADMIN_SITE))
def test_each_role_gets_the_outcome_in_the_admin_site(world, name):
    wrong = check(world, name, ADMIN_SITE[name])
    assert not wrong, "\n".join(wrong)


READ_ONLY_IN_THE_ADMIN = {"axes", "notices", "outbox", "django_tasks_database"}
"""Apps whose models the admin shows but lets nobody add (the log-in throttle's records, the
emails sent, the mail waiting for the mail server and the mail worker's tasks)."""


def admin_model_outcomes(model, action):
    """Non-staff are sent to the admin's log-in; staff without a permission get 403; the curator
    may use the curriculum's pages; the superuser every page the model's admin offers."""
    app = model._meta.app_label
    superuser = 403 if action == "add" and app in READ_ONLY_IN_THE_ADMIN else 200
    curator = superuser if app == "curriculum" else 403
    return outcomes(ADMIN_LOGIN, staff=403, curator=curator, superuser=superuser)


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize(
    "model", ADMIN_MODELS, ids=lambda m: f"{m._meta.app_label}.{m._meta.model_name}"
)
def test_each_role_gets_the_outcome_on_every_admin_model_page(world, model):
    """Its list, add and change pages; a POST with nothing in it is refused or re-shows the form
    (an admin whose change form has nothing to fill in saves and redirects)."""
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    some = model._meta.default_manager.order_by("pk").first()
    pages = [("changelist", {}, ["GET"]), ("add", {}, ["GET", "POST"])]
    if some is not None:
        pages.append(("change", {"object_id": some.pk}, ["GET", "POST"]))
    wrong = []
    for action, kwargs, methods in pages:
        path = reverse(f"{prefix}_{action}", kwargs=kwargs)
        for method in methods:
            for role, want in admin_model_outcomes(model, action).items():
                response, changed = ask(world, role, method, path, watch=refused(want))
                got = outcome_of(world, response, want)
                if method == "POST" and want == 200 and got == 302:
                    got = 200 if response["Location"].startswith("/admin/") else got
                if got != want:
                    wrong.append(f"{method} {path} as {role}: expected {want}, got {got}")
                elif refused(want) and changed:
                    wrong.append(f"{method} {path} as {role} was refused but changed {changed}")
    assert not wrong, "\n".join(wrong)


# The API (/api/v1/): every operation in its OpenAPI schema × every way of asking


API_NAMESPACE = "api"
"""The URL namespace of the API's operations: they are checked here from the schema, not as URL
patterns (`test_every_api_operation_has_an_entry`)."""

API_ROLES = [
    "visitor",  # no token
    "learner",  # a read-and-write token of each of these people
    "other_learner",
    "lead",
    "other_lead",
    "staff",  # the superuser's: staff are no one special to the API
    "read_only",  # the learner's read-only token
    "revoked",  # the learner's revoked token
]
TOKEN_ROLES = {
    "learner": ("learner", "write"),
    "other_learner": ("other_learner", "write"),
    "lead": ("lead", "write"),
    "other_lead": ("other_lead", "write"),
    "staff": ("superuser", "write"),
    "read_only": ("learner", "read"),
    "revoked": ("learner", "write"),
}


def api_outcomes(default, **by_role):
    """{API role: status} for every API role: `default` unless the role is named."""
    unknown = set(by_role) - set(API_ROLES)
    assert not unknown, f"not API roles: {unknown}"
    return {role: by_role.get(role, default) for role in API_ROLES}


def api_tokens(people):
    """A token for each API role (made as the profile page makes them), and the learner's token
    that revokes (for the token revoke page)."""
    from api.tokens import make_token, revoke

    tokens = {}
    for role, (person, scope) in TOKEN_ROLES.items():
        row, token, _created = make_token(people[person], name=role, scope=scope, days=30)
        tokens[role] = (row, token)
    revoke(tokens["revoked"][0])
    return {
        "api_tokens": {role: token for role, (_row, token) in tokens.items()},
        "learner_token": tokens["learner"][0],
    }


PUBLIC = api_outcomes(200, revoked=401)
"""The curriculum: anyone, but a token sent must be a usable one."""
OWN = api_outcomes(200, visitor=401, revoked=401)
"""A person's own data (each reads their own; nobody else's is in it)."""
OWN_WRITE = api_outcomes(200, visitor=401, revoked=401, read_only=403)
LEARNERS_OWN = api_outcomes(404, visitor=401, revoked=401, learner=200, read_only=200)
"""One of the learner's own things by its number: nobody else's."""
LEADS_OWN = api_outcomes(404, visitor=401, revoked=401, lead=200)
"""The lead's cohort (or a claim in it): a lead of another cohort, its member and staff get 404."""

API_MATRIX = {
    # The public curriculum
    "list_trunks": {"outcomes": PUBLIC},
    "get_trunk": {"path": {"slug": "trunk"}, "outcomes": PUBLIC},
    "list_skills": {"outcomes": PUBLIC},
    "get_skill": {"path": {"slug": "skill"}, "outcomes": PUBLIC},
    "list_tracks": {"outcomes": PUBLIC},
    "get_track": {"path": {"slug": "track"}, "outcomes": PUBLIC},
    "get_ladder": {"outcomes": PUBLIC},
    "get_path": {"outcomes": PUBLIC},
    "get_framework": {"outcomes": PUBLIC},
    # A learner's own
    "get_me": {"outcomes": OWN},
    "put_target_track": {"body": {"track": "track"}, "outcomes": OWN_WRITE},
    "list_audits": {"outcomes": OWN},
    "get_audit": {"path": {"audit_id": "saved_audit"}, "outcomes": LEARNERS_OWN},
    "get_draft": {"outcomes": LEARNERS_OWN},  # only the learner has a draft
    "put_rating": {"path": {"skill": "skill"}, "body": {"value": 3}, "outcomes": OWN_WRITE},
    # The learner's draft has no rating yet: saving it is refused (422), changing nothing
    "save_audit": {
        "path": {"audit_id": "draft_audit"},
        "outcomes": api_outcomes(404, visitor=401, revoked=401, read_only=403, learner=422),
    },
    "get_standing": {"outcomes": OWN},
    "list_progress": {"outcomes": OWN},
    "get_progress": {"path": {"skill": "skill"}, "outcomes": OWN},
    "put_progress": {
        "path": {"skill": "skill"},
        "body": {"status": "learning"},
        "outcomes": OWN_WRITE,
    },
    # A lead's cohorts: every token may list the cohorts it leads (none, for most)
    "list_cohorts": {"outcomes": OWN},
    "get_cohort": {"path": {"cohort_id": "cohort"}, "outcomes": LEADS_OWN},
    "list_members": {"path": {"cohort_id": "cohort"}, "outcomes": LEADS_OWN},
    "cohort_csv": {"path": {"cohort_id": "cohort"}, "outcomes": LEADS_OWN},
    "list_evidence": {"outcomes": OWN},
    "put_verdict": {
        "path": {"claim_id": "claim"},
        "body": {"review": "verified"},
        "outcomes": api_outcomes(404, visitor=401, revoked=401, read_only=403, lead=200),
    },
}


def api_operations():
    """{operation id: (method, path template)} of every operation in the API's schema."""
    from api.v1 import api

    return {
        operation["operationId"]: (method.upper(), path)
        for path, methods in api.get_openapi_schema()["paths"].items()
        for method, operation in methods.items()
    }


def test_every_api_operation_has_an_entry():
    operations = api_operations()
    missing = sorted(set(operations) - set(API_MATRIX))
    assert not missing, (
        f"These API operations have no entry in API_MATRIX (tests/test_permission_matrix.py): "
        f"{', '.join(missing)}. Add each with the status every API role gets."
    )
    gone = sorted(set(API_MATRIX) - set(operations))
    assert not gone, f"In API_MATRIX but not in the API's schema: {', '.join(gone)}"
    for name, entry in API_MATRIX.items():
        assert set(entry["outcomes"]) == set(API_ROLES), f"{name} names every API role"


def api_body(world, body):
    """The entry's JSON body, a value naming an object of the world (a slug) swapped for it."""
    return {
        key: world.argument(value) if isinstance(value, str) and value in world.objects else value
        for key, value in body.items()
    }


def ask_api(world, role, method, path, body, *, watch):
    client = Client()
    token = world.objects["api_tokens"].get(role)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = json.dumps(body) if body is not None else ""
    with transaction.atomic():
        before = fingerprint() if watch else None
        response = client.generic(
            method, path, data, content_type="application/json", headers=headers
        )
        changed = changes(before, fingerprint()) if watch else []
        transaction.set_rollback(True)
    return response, changed


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(API_MATRIX))
def test_each_api_role_gets_the_outcome_in_the_api_matrix(world, name):
    method, template = api_operations()[name]
    entry = API_MATRIX[name]
    path = template
    for argument, object_name in entry.get("path", {}).items():
        path = path.replace("{" + argument + "}", str(world.argument(object_name)))
    body = api_body(world, entry["body"]) if "body" in entry else None
    wrong = []
    for role, expected in entry["outcomes"].items():
        response, changed = ask_api(world, role, method, path, body, watch=expected >= 400)
        if response.status_code != expected:
            wrong.append(
                f"{method} {path} as {role}: expected {expected}, got {response.status_code}"
            )
        elif expected >= 400:
            if not response["Content-Type"].startswith("application/problem+json"):
                wrong.append(f"{method} {path} as {role}: {expected} is not problem details")
            if changed:
                wrong.append(f"{method} {path} as {role} was refused but changed {changed}")
    assert not wrong, "\n".join(wrong)
