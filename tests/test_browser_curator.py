"""The curator's journey in a real Chromium: the admin, and what it changes on the public pages."""

import pytest
from playwright.sync_api import expect

from curriculum.models import Resource, Skill
from tests.factories import CURATOR_PASSWORD, STAFF_TOTP_SECRET
from tests.second_factor import code_now

pytestmark = pytest.mark.browser


def test_staff_signed_in_by_cookie_reaches_the_admin_index(page, log_in, staff_user):
    page.goto("/admin/")
    assert "/accounts/login/" in page.url, "the admin's own log-in form sends to the site's"

    log_in(page, staff_user)
    page.goto("/admin/")

    assert "/admin/login/" not in page.url
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()


def test_curator_retires_a_resource_and_renames_a_skill_and_the_public_pages_show_it(
    page, staff_user
):
    skill = Skill.objects.get(slug="cross-validation-and-leakage")
    resource = Resource.objects.get(skill=skill, title="scikit-learn cross-validation guide")
    page.goto(skill.get_absolute_url())
    expect(page.get_by_role("link", name=resource.title)).to_be_visible()

    page.goto("/admin/")
    page.get_by_label("Username").fill(staff_user.username)
    page.get_by_label("Password").fill(CURATOR_PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    page.get_by_label("Code").fill(code_now(STAFF_TOTP_SECRET))
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()

    page.get_by_role("link", name="Resources", exact=True).click()
    page.get_by_role("textbox", name="Search").fill("scikit-learn cross-validation")
    page.keyboard.press("Enter")
    page.locator("#result_list").get_by_role("link", name=resource.title).click()
    page.get_by_label("Retired").check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist").get_by_text("was changed successfully")).to_be_visible()

    page.goto("/admin/")
    page.get_by_role("link", name="Skills", exact=True).click()
    page.get_by_role("textbox", name="Search").fill("leakage")
    page.keyboard.press("Enter")
    page.locator("#result_list").get_by_role("link", name=skill.name).click()
    page.get_by_label("Name:", exact=True).fill("Cross-validation, leakage and honest splits")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist").get_by_text("was changed successfully")).to_be_visible()

    page.goto(skill.get_absolute_url())
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Cross-validation, leakage and honest splits")
    expect(page.get_by_role("link", name=resource.title)).to_have_count(0)
    page.goto("/tree/")
    expect(
        page.get_by_role("link", name="Cross-validation, leakage and honest splits")
    ).to_be_visible()
    resource.refresh_from_db()
    assert resource.retired, "the resource is kept, only marked retired"
