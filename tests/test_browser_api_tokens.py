"""A learner makes an API token on their profile page, copies it once, sees it listed with its last
use, and revokes it; the API's documentation page. In Chromium, axe-clean at 1280 and 390 px."""

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from api.models import AccessToken
from tests import factories
from tests.browser_fixtures import PHONE, accessible_at_both_widths

pytestmark = pytest.mark.browser


def test_a_learner_makes_a_token_uses_it_and_revokes_it(
    page, log_in, learner, assert_accessible, shoot
):
    log_in(page, learner)
    page.goto("/accounts/profile/")
    tokens = page.locator("#api-tokens")
    expect(tokens).to_contain_text("You have no tokens.")
    tokens.get_by_role("link", name="Make a token").click()
    page.get_by_label("Name").fill("Cohort spreadsheet")
    page.get_by_label("Read and write").check()
    page.get_by_label("Expires after").select_option(label="90 days")
    accessible_at_both_widths(page, assert_accessible)
    page.get_by_role("button", name="Make the token").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your new token: copy it now")
    token = page.locator("#new-token").inner_text().strip()
    assert token.startswith("st_")
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "api-token-made")

    answer = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.json()["username"] == learner.username

    page.get_by_role("link", name="Back to your profile").click()
    row = page.get_by_role("row", name="Cohort spreadsheet")
    expect(row).to_contain_text("Read and write")
    expect(row).not_to_contain_text("never")  # used once, just now
    expect(page.locator("body")).not_to_contain_text(token)
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "api-tokens-listed")

    row.get_by_role("button", name="Revoke Cohort spreadsheet").click()
    expect(page.get_by_role("status")).to_contain_text("is revoked")
    expect(page.get_by_role("row", name="Cohort spreadsheet")).to_contain_text("Revoked")
    assert AccessToken.objects.get().revoked_at is not None
    answer = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401


def test_on_a_phone_each_token_shows_its_last_use_and_revoke_button_without_scrolling(
    page, log_in, learner, assert_accessible, shoot
):
    factories.access_token(learner, name="Cohort spreadsheet with a long name")
    factories.access_token(learner, name="Nightly export", scope="read")
    AccessToken.objects.filter(name="Nightly export").update(last_used_at=timezone.now())
    log_in(page, learner)
    page.goto("/accounts/profile/")
    page.set_viewport_size(PHONE)
    row = page.get_by_role("row", name="Nightly export")
    expect(row).to_contain_text("Last used")
    for seen in (row.get_by_text("Last used"), row.get_by_role("button", name="Revoke")):
        box = seen.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    tokens = page.locator("#api-tokens .table-wrap")
    assert tokens.evaluate("wrap => wrap.scrollWidth <= wrap.clientWidth + 1")
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "api-tokens-on-a-phone")


def test_a_token_without_a_name_is_refused_beside_the_field(
    page, log_in, learner, assert_accessible
):
    log_in(page, learner)
    page.goto("/accounts/profile/tokens/")
    page.get_by_role("button", name="Make the token").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Make an API token")
    expect(page.get_by_text("Name the token: what will use it?")).to_be_visible()
    assert not AccessToken.objects.exists()
    accessible_at_both_widths(page, assert_accessible)


def test_the_api_documentation_page_is_accessible(page, assert_accessible, shoot):
    page.goto("/api/v1/docs/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The Skill Tree API")
    expect(page.get_by_text("/api/v1/me/standing")).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "api-docs")
