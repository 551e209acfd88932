"""Two-factor authentication in a real Chromium: staff sent from the admin to set up an
authenticator app, a code computed in the test from the key the page shows, sign out, and sign
in again with the next code; axe at 1280 and 390 px on every page of it."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser_fixtures import DESKTOP, PHONE
from tests.factories import CURATOR_PASSWORD
from tests.second_factor import code_now, next_code, wrong_code

pytestmark = pytest.mark.browser


def accessible_at_both_widths(page, assert_accessible):
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)


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
