"""Single sign-on in a real Chromium (issue 23, item 3): the "Continue with" buttons and the
providers' pages, readable and accessible (axe) at 1280 and 390 px; and signing in end to end
through a real OpenID Connect provider running beside the test (django-oauth-toolkit's, in
tests/oidc_provider/, a second process on its own SQLite file): its log-in page, its consent,
its ID token signed with a key made here, its userinfo. Nothing of the protocol is mocked."""

import copy
import json
import re
import sys

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from csp.constants import SELF
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from skilltree.single_sign_on import providers_from_environment, sign_in_origins
from tests import factories
from tests.browser_fixtures import accessible_at_both_widths, look_at_each
from tests.outbox import sent_mail
from tests.processes import environment, free_port, run, server
from tests.test_single_sign_on import CAMPUS, WORKPLACE, oidc_environment

pytestmark = pytest.mark.browser

User = get_user_model()


def configure(settings, environ):
    """The settings as the environment `environ` makes them: the providers, and the
    Content-Security-Policy's form-action that lets the buttons send people to them."""
    settings.SOCIALACCOUNT_PROVIDERS = providers_from_environment(environ)
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"] = [
        SELF,
        *sign_in_origins(settings.SOCIALACCOUNT_PROVIDERS),
    ]
    settings.CONTENT_SECURITY_POLICY = policy


@pytest.fixture
def configured_providers(settings):
    configure(
        settings,
        oidc_environment(CAMPUS, WORKPLACE, DJANGO_GITHUB_CLIENT_ID="h", DJANGO_GITHUB_SECRET="s"),
    )


def test_the_entrance_pages_offer_the_providers_accessibly(
    page, configured_providers, assert_accessible, shoot
):
    for path, heading, name in [
        ("/accounts/login/", "Log in", "sso-login"),
        ("/accounts/signup/", "Sign up", "sso-signup"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        for provider in ("Campus login", "Workplace", "GitHub"):
            expect(page.get_by_role("button", name=f"Continue with {provider}")).to_be_visible()
        accessible_at_both_widths(page, assert_accessible)
        shoot(page, name)

    look_at_each(
        page,
        [
            ("/accounts/oidc/campus/login/", "Continue with Campus login", "sso-continue"),
            ("/accounts/3rdparty/login/error/", "That did not log you in", "sso-error"),
            ("/accounts/3rdparty/login/cancelled/", "Log-in cancelled", "sso-cancelled"),
        ],
        assert_accessible,
        shoot,
    )


def test_a_person_sees_and_removes_a_connected_provider(
    page, configured_providers, log_in, learner, assert_accessible, shoot
):
    SocialAccount.objects.create(
        user=learner,
        provider="campus",
        uid="ada-1",
        extra_data={"userinfo": {"email": learner.email}},
    )
    log_in(page, learner)
    page.goto("/accounts/profile/")
    page.get_by_role("link", name="Sign-in providers").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in providers")
    expect(page.get_by_text("Campus login as ada@example.org")).to_be_visible()
    expect(page.get_by_role("button", name="Connect GitHub")).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "sso-connections")

    page.get_by_role("button", name="Remove Campus login").click()
    expect(page.get_by_role("status")).to_contain_text("disconnected")
    expect(page.get_by_text("No sign-in provider is connected")).to_be_visible()
    assert not SocialAccount.objects.filter(user=learner).exists()
    assert_accessible(page)


# Through a real provider

PROVIDER_PASSWORD = "campus-pass-7319"
PROVIDER_PEOPLE = [
    # A newcomer the provider vouches for.
    {"username": "lin", "email": "lin@campus.example", "email_verified": True},
    # Ada at the provider, her address (the one her Skill Tree account confirmed) verified there.
    {"username": "ada-campus", "email": "ada@example.org", "email_verified": True},
    # Someone the provider lets claim Ada's address without verifying it.
    {"username": "mallory", "email": "ada@example.org", "email_verified": False},
    # Grace at the provider, verified there; her Skill Tree account never confirmed it.
    {"username": "grace-campus", "email": "grace@example.org", "email_verified": True},
    # Kim, of whom the provider gives no email.
    {"username": "kim", "email": "", "email_verified": False},
]


def signing_key():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture(scope="module")
def issuer(live_server, tmp_path_factory):
    """The provider serving on a free port, the site registered with it as a confidential client
    whose redirect URI is the live server's callback; the issuer's URL."""
    folder = tmp_path_factory.mktemp("oidc-provider")
    port = free_port()
    url = f"http://127.0.0.1:{port}/o"
    env = environment(
        DJANGO_SETTINGS_MODULE="tests.oidc_provider.settings",
        OIDC_PROVIDER_DATABASE=folder / "provider.sqlite3",
        OIDC_PROVIDER_ISSUER=url,
        OIDC_PROVIDER_RSA_KEY=signing_key(),
    )
    setup = {
        "client_id": "skilltree",
        "secret": "skilltree-secret-at-campus",
        "redirect_uri": f"{live_server.url}/accounts/oidc/campus/login/callback/",
        "people": [{**person, "password": PROVIDER_PASSWORD} for person in PROVIDER_PEOPLE],
    }
    run([sys.executable, "-m", "tests.oidc_provider.prepare", json.dumps(setup)], env=env)
    args = [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"]
    with server(args, env, folder / "provider.log") as provider:
        provider.wait_until_answers(f"http://127.0.0.1:{port}/ready/")
        yield url


@pytest.fixture
def campus(settings, issuer):
    """The site configured as DJANGO_OIDC_PROVIDERS would configure it, for the running issuer."""
    configure(
        settings,
        oidc_environment(
            {
                "id": "campus",
                "name": "Campus login",
                "issuer": issuer,
                "client_id": "skilltree",
                "secret": "skilltree-secret-at-campus",
            }
        ),
    )


def continue_with_campus(page, username):
    """From the site's log-in page through the provider's log-in and consent, back to the site."""
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Continue with Campus login").click()
    expect(page.get_by_role("heading", name="Campus login")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in to Campus").click()
    expect(page.get_by_role("heading", name="Authorize Skill Tree?")).to_be_visible()
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(r"^http://localhost:\d+/"))
    page.wait_for_load_state()


@pytest.mark.slow
def test_a_newcomer_continues_with_their_organisation_and_has_an_account(
    page, campus, assert_accessible
):
    continue_with_campus(page, "lin")

    # Signed in with a new account, as after a sign-up: the quick audit first, then their
    # dashboard.
    expect(page).to_have_url(re.compile(re.escape(reverse("assessments:quick_audit")) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("The honest baseline (rate yourself)")
    page.goto(reverse("assessments:dashboard"))
    expect(page).to_have_url(re.compile(re.escape(reverse("assessments:dashboard")) + "$"))
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile")
    ).to_be_visible()
    lin = User.objects.get(username="lin")
    assert SocialAccount.objects.get(provider="campus").user == lin
    assert EmailAddress.objects.get(user=lin).verified, "the provider vouched for it"
    assert not lin.has_usable_password()
    assert_accessible(page)


@pytest.mark.slow
def test_an_account_with_the_same_verified_email_is_the_one_signed_in(
    page, campus, learner, assert_accessible, shoot
):
    people = User.objects.count()

    continue_with_campus(page, "ada-campus")

    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    assert User.objects.count() == people, "no second account"
    assert SocialAccount.objects.get(provider="campus").user == learner
    learner.refresh_from_db()
    assert learner.has_usable_password(), "her password still works"

    page.goto("/accounts/profile/")
    expect(page.get_by_text("ada", exact=True)).to_be_visible()
    page.get_by_role("link", name="Sign-in providers").click()
    expect(page.get_by_text("Campus login as")).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "sso-linked")


@pytest.mark.slow
def test_an_email_the_provider_does_not_vouch_for_never_opens_its_owners_account(
    page, campus, learner
):
    continue_with_campus(page, "mallory")

    mallory = User.objects.get(username="mallory")
    assert mallory != learner
    assert SocialAccount.objects.get(provider="campus").user == mallory
    assert not SocialAccount.objects.filter(user=learner).exists()
    assert EmailAddress.objects.get(user=learner).verified
    assert not EmailAddress.objects.get(user=mallory).verified
    learner.refresh_from_db()
    assert learner.has_usable_password(), "Ada's account untouched"
    page.goto("/accounts/profile/")
    expect(page.get_by_text("mallory", exact=True)).to_be_visible()
    expect(page.get_by_text("ada", exact=True)).to_have_count(0)


@pytest.mark.slow
def test_an_address_this_site_never_confirmed_links_no_account(page, campus):
    grace = factories.make_user(
        "grace",
        password=factories.LEARNER_PASSWORD,
        email="grace@example.org",
        email_verified=False,
    )

    continue_with_campus(page, "grace-campus")

    newcomer = SocialAccount.objects.get(provider="campus").user
    assert newcomer != grace
    assert newcomer.username == "grace-campus"
    assert not SocialAccount.objects.filter(user=grace).exists()
    grace.refresh_from_db()
    assert grace.has_usable_password()


@pytest.mark.slow
def test_a_newcomer_the_provider_gives_no_email_for_types_one_on_the_last_step(
    page, campus, assert_accessible, shoot
):
    continue_with_campus(page, "kim")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    expect(page.get_by_text("One step left")).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "sso-signup-step")
    page.get_by_label("Email").fill("kim@example.org")
    page.get_by_role("button", name="Create my account").click()

    expect(page).to_have_url(re.compile(re.escape(reverse("assessments:quick_audit")) + "$"))
    kim = User.objects.get(username="kim")
    assert SocialAccount.objects.get(provider="campus").user == kim
    assert not kim.has_verified_email(), "an address typed here is confirmed by its link"
    assert [m.to for m in sent_mail()] == [["kim@example.org"]]


@pytest.mark.slow
def test_someone_who_only_signs_in_with_a_provider_deletes_their_account(
    page, campus, assert_accessible, shoot
):
    continue_with_campus(page, "lin")
    page.goto(reverse("profile"))
    page.get_by_role("link", name="Delete your account").click()

    # No password to type: a code mailed to the address the provider vouched for.
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    accessible_at_both_widths(page, assert_accessible)
    page.get_by_role("button", name="Email me a code").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Type the code we emailed you")
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "sso-reauthenticate-code")
    (message,) = [m for m in sent_mail() if m.to == ["lin@campus.example"]]
    code = re.search(r"browser window\.\s+(\S+)\s", message.body)[1]
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    assert_accessible(page)
    shoot(page, "sso-delete-without-password")
    page.get_by_label("Yes, delete my account and everything in it").check()
    page.get_by_role("button", name="Delete my account and all my data").click()

    expect(page.get_by_role("status")).to_contain_text("Your account is deleted")
    assert not User.objects.filter(username="lin").exists()
    assert not SocialAccount.objects.exists()
