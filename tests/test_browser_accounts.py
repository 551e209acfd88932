"""The account pages in a real Chromium: readable and accessible (axe), usable on a phone, and the
nav's log-out button works under the Content-Security-Policy."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from curriculum.models import Track
from tests import factories
from tests.browser_fixtures import accessible_at_both_widths, look_at_each
from tests.factories import LEARNER_PASSWORD
from tests.outbox import sent_mail

User = get_user_model()

pytestmark = pytest.mark.browser


def test_signed_out_account_pages_are_accessible(page, assert_accessible, shoot):
    look_at_each(
        page,
        [
            ("/accounts/signup/", "Sign up", "signup"),
            ("/accounts/login/", "Log in", "login"),
            ("/accounts/password/reset/", "Reset your password", "password-reset"),
            ("/accounts/password/reset/done/", "Check your email", "password-reset-done"),
            (
                "/accounts/confirm-email/no-such-key/",
                "This link does not work any more",
                "confirm-bad",
            ),
            ("/accounts/password/reset/key/1-bad-key/", "Reset link not valid", "reset-bad"),
        ],
        assert_accessible,
        shoot,
    )

    # Errors show beside their fields and stay accessible.
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_label("Password:", exact=True).fill("short")
    page.get_by_label("Password (again)").fill("short")
    page.locator("main").get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("alert")).to_contain_text("Some fields need fixing")
    email = page.get_by_label("Email")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_email_error")).to_have_text("Enter a valid email address.")
    expect(page.get_by_text("This password is too short.")).to_be_visible()
    assert_accessible(page)
    shoot(page, "signup-errors")


def test_signed_in_account_pages_are_accessible_and_log_out_works(
    page, log_in, learner, assert_accessible, shoot
):
    log_in(page, learner)
    page.goto("/accounts/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your profile")
    nav = page.get_by_role("navigation", name="Main")
    for link in ("Dashboard", "Audit", "Profile"):
        expect(nav.get_by_role("link", name=link, exact=True)).to_be_visible()
    assert_accessible(page)
    shoot(page, "profile")

    track = Track.objects.get(slug="interpretability")
    page.get_by_label("Display name").fill("Ada L.")
    page.get_by_label("Target track").select_option(label=track.name)
    page.get_by_label("Date you started the 20-week path").fill("2026-09-07")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("status")).to_contain_text("Your profile is saved.")
    learner.refresh_from_db()
    assert (learner.display_name, learner.target_track, str(learner.path_started_on)) == (
        "Ada L.",
        track,
        "2026-09-07",
    )

    look_at_each(
        page,
        [
            ("/accounts/password/change/", "Change your password", "password-change"),
            ("/accounts/email/", "Your email", "email"),
            ("/accounts/logout/", "Log out?", "logout"),
            ("/my-data/delete/", "Delete your account", "delete-account"),
        ],
        assert_accessible,
        shoot,
    )

    nav.get_by_role("button", name="Log out").click()
    expect(nav.get_by_role("link", name="Log in")).to_be_visible()
    page.goto("/accounts/profile/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")


def test_forgotten_password_is_reset_from_the_emailed_link(
    page, learner, log_in_with_form, assert_accessible, shoot
):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill(learner.email)
    page.get_by_role("button", name="Send me the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    [email] = sent_mail()
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+/)", email.body)[1]
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "password-reset-choose")
    new_password = "harbour-violet-58-slowly"
    page.get_by_label("New Password:", exact=True).fill(new_password)
    page.get_by_label("New Password (again)").fill(new_password)
    page.get_by_role("button", name="Set my new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your new password is set")
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "password-reset-set")

    log_in_with_form(page, "ada", new_password)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")


def test_a_closed_account_check_your_email_and_a_first_password_pages_are_accessible(
    page, log_in, assert_accessible, shoot
):
    look_at_each(
        page,
        [
            ("/accounts/inactive/", "This account is closed", "account-closed"),
            ("/accounts/confirm-email/", "Check your email", "verification-sent"),
        ],
        assert_accessible,
        shoot,
    )

    log_in(page, factories.other_learner())  # signs in with a provider: no password here
    page.goto("/accounts/password/set/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set a password")
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "password-set")


def test_a_newcomer_signs_up_confirms_the_emailed_link_and_the_dashboard_stops_asking(
    page, assert_accessible, shoot, settings
):
    # The link again at once, not three minutes later.
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "confirm_email": None}
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("grace")
    page.get_by_label("Email").fill("grace@example.org")
    page.get_by_label("Password:", exact=True).fill(LEARNER_PASSWORD)
    page.get_by_label("Password (again)").fill(LEARNER_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("status")).to_contain_text("We sent a link to grace@example.org")

    page.goto("/dashboard/")
    notice = page.get_by_role("region", name="Confirm your email address")
    expect(notice).to_contain_text("until you confirm it is yours")
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "dashboard-email-unconfirmed")
    notice.get_by_role("button", name="Send the link again").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your email")
    expect(page.get_by_role("status")).to_contain_text("We sent a link to grace@example.org")
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "email-unconfirmed")

    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+/)", sent_mail()[-1].body)[1]
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email")
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "confirm-email")
    page.get_by_role("button", name="Yes, it is mine").click()
    expect(page.get_by_role("status")).to_contain_text("Confirmed: grace@example.org is yours")
    page.goto("/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(page.get_by_role("region", name="Confirm your email address")).to_have_count(0)
    assert User.objects.get(username="grace").has_verified_email()

    page.goto("/accounts/email/")
    page.get_by_label("Email").fill("grace@new.example")
    page.get_by_role("button", name="Send a link to this address").click()
    expect(
        page.get_by_role("heading", level=2, name="Changing to grace@new.example")
    ).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "email-changing")
    assert User.objects.get(username="grace").email == "grace@example.org"
