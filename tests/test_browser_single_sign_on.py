"""Single sign-on in a real Chromium (issue 23, item 3): the "Continue with" buttons and the
providers' pages, readable and accessible (axe) at 1280 and 390 px."""

import pytest
from allauth.socialaccount.models import SocialAccount
from playwright.sync_api import expect

from skilltree.single_sign_on import providers_from_environment
from tests.browser_fixtures import DESKTOP, PHONE
from tests.test_single_sign_on import CAMPUS, WORKPLACE, oidc_environment

pytestmark = pytest.mark.browser


def assert_accessible_at_both_widths(page, assert_accessible):
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)


@pytest.fixture
def configured_providers(settings):
    settings.SOCIALACCOUNT_PROVIDERS = providers_from_environment(
        oidc_environment(CAMPUS, WORKPLACE, DJANGO_GITHUB_CLIENT_ID="h", DJANGO_GITHUB_SECRET="s")
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
        assert_accessible_at_both_widths(page, assert_accessible)
        shoot(page, name)

    for path, heading, name in [
        ("/accounts/oidc/campus/login/", "Continue with Campus login", "sso-continue"),
        ("/accounts/3rdparty/login/error/", "That did not log you in", "sso-error"),
        ("/accounts/3rdparty/login/cancelled/", "Log-in cancelled", "sso-cancelled"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible_at_both_widths(page, assert_accessible)
        shoot(page, name)


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
    assert_accessible_at_both_widths(page, assert_accessible)
    shoot(page, "sso-connections")

    page.get_by_role("button", name="Remove Campus login").click()
    expect(page.get_by_role("status")).to_contain_text("disconnected")
    expect(page.get_by_text("No sign-in provider is connected")).to_be_visible()
    assert not SocialAccount.objects.filter(user=learner).exists()
    assert_accessible(page)
