"""Two-factor authentication in a real Chromium: staff sent from the admin to set up an
authenticator app, a code computed in the test from the key the page shows, sign out, and sign
in again with the next code; a passkey added with Chromium's virtual authenticator (the DevTools
WebAuthn domain, through a CDP session), sign out, and log in with it alone; axe at 1280 and
390 px on every page of them. WebAuthn needs a secure context: the live server is
http://localhost, which Chromium counts as one."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories
from tests.browser_fixtures import accessible_at_both_widths
from tests.factories import CURATOR_PASSWORD, LEARNER_PASSWORD
from tests.second_factor import code_now, next_code, wrong_code

pytestmark = pytest.mark.browser


def test_staff_set_up_an_authenticator_app_when_the_admin_asks_and_sign_in_with_its_codes(
    page, log_in_with_form, assert_accessible, shoot
):
    factories.staff_without_permissions(
        username="newcomer", password=CURATOR_PASSWORD, second_factor=False
    )
    log_in_with_form(page, "newcomer", CURATOR_PASSWORD)
    nav = page.get_by_role("navigation", name="Main")

    nav.get_by_role("link", name="Admin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
    expect(page.get_by_role("status")).to_contain_text("the admin needs a second factor")
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "two-factor-staff-sent")

    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    page.get_by_label("Password").fill(CURATOR_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up an authenticator app")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "two-factor-totp-set-up")

    key = page.locator("#authenticator_secret").inner_text()
    page.get_by_label("Authenticator code").fill(wrong_code(key))
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    used = code_now(key)
    page.get_by_label("Authenticator code").fill(used)
    page.get_by_role("button", name="Turn on").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    expect(page.get_by_role("status")).to_contain_text("The authenticator app is on")
    expect(
        page.get_by_role("list", name="Unused recovery codes").get_by_role("listitem")
    ).to_have_count(10)
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "two-factor-recovery-codes")

    nav.get_by_role("link", name="Admin").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    page.goto("/accounts/profile/")
    nav.get_by_role("button", name="Log out").click()
    log_in_with_form(page, "newcomer", CURATOR_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your second factor")
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "two-factor-log-in")

    page.get_by_label("Code").fill(wrong_code(key))
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_text("That code is not right")).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)
    page.get_by_label("Code").fill(next_code(key, used))
    page.locator("main").get_by_role("button", name="Log in").click()

    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    nav.get_by_role("link", name="Admin").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def test_a_learner_finds_two_factor_authentication_from_the_profile(
    page, log_in, learner, assert_accessible
):
    log_in(page, learner)
    page.goto("/accounts/profile/")

    page.get_by_role("link", name="Two-factor authentication").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
    expect(page.get_by_text("It is up to you; staff must have one.")).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)


def plug_in_a_passkey_device(page):
    """Chromium's virtual authenticator: a device with a fingerprint reader, always verified."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return cdp, added["authenticatorId"]


def test_a_learner_adds_a_passkey_and_then_logs_in_with_it_alone(
    page, log_in_with_form, assert_accessible, shoot
):
    ada = factories.learner()
    cdp, device = plug_in_a_passkey_device(page)
    log_in_with_form(page, "ada", LEARNER_PASSWORD)
    assert page.url.startswith("http://localhost:"), "WebAuthn needs a secure context"

    page.goto("/accounts/2fa/")
    page.get_by_role("link", name="Add a passkey").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    page.get_by_label("Password").fill(LEARNER_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a passkey")
    expect(page.get_by_label("Let it log me in on its own")).to_be_checked()
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "two-factor-passkey-add")

    page.get_by_label("A name to tell it apart").fill("Ada's laptop")
    page.locator("main").get_by_role("button", name="Add a passkey").click()

    expect(page.get_by_role("status")).to_contain_text("Passkey added")
    [passkey] = Authenticator.objects.filter(user=ada, type="webauthn")
    assert passkey.data["name"] == "Ada's laptop"
    kept = cdp.send("WebAuthn.getCredentials", {"authenticatorId": device})["credentials"]
    assert [credential["isResidentCredential"] for credential in kept] == [True]
    page.goto("/accounts/2fa/webauthn/")
    expect(page.get_by_role("heading", name="Ada's laptop")).to_be_visible()
    expect(page.get_by_text("Logs you in on its own")).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "two-factor-passkeys")

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("button", name="Log out").click()
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()
    page.goto("/accounts/login/")
    accessible_at_both_widths(page, assert_accessible)
    page.locator("main").get_by_role("button", name="Use a passkey instead").click()

    expect(nav.get_by_role("button", name="Log out")).to_be_visible()
    page.goto("/accounts/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None


def test_asking_again_turning_off_and_renaming_pages_are_accessible_at_both_widths(
    page, log_in, assert_accessible, shoot
):
    """The pages off the journeys above: confirming it is you (by password, the app's code or a
    passkey) before a change, turning the app off, new recovery codes, renaming and removing a
    passkey."""
    ada = factories.learner(second_factor=True)
    passkey = factories.give_passkey(ada, name="Phone")
    log_in(page, ada)  # a session that has not confirmed anything lately
    turn_off = reverse("mfa_deactivate_totp")

    page.goto(turn_off)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
    expect(page.get_by_role("heading", level=2)).to_have_text("Or confirm another way")
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "two-factor-confirm-by-password")
    for other_way, name in [
        ("mfa_reauthenticate", "two-factor-confirm-by-code"),
        ("mfa_reauthenticate_webauthn", "two-factor-confirm-by-passkey"),
    ]:
        page.goto(f"{reverse(other_way)}?next={turn_off}")
        expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it is you")
        accessible_at_both_widths(page, assert_accessible)
        shoot(page, name)

    page.goto(f"{reverse('account_reauthenticate')}?next={turn_off}")
    page.get_by_label("Password").fill(LEARNER_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Turn off the authenticator app?")
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "two-factor-turn-off")

    for address, heading, name in [
        (reverse("mfa_generate_recovery_codes"), "Make new recovery codes?", "recovery-codes-new"),
        (reverse("mfa_edit_webauthn", args=[passkey.pk]), "Rename a passkey", "passkey-rename"),
        (reverse("mfa_remove_webauthn", args=[passkey.pk]), "Remove “Phone”?", "passkey-remove"),
    ]:
        page.goto(address)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        accessible_at_both_widths(page, assert_accessible)
        shoot(page, f"two-factor-{name}")
