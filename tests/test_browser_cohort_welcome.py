"""Joining a cohort by invite in a real Chromium (issue 22 item 12): a newcomer signs up from
the invite, joins, and lands on a welcome step that names the leads and what they see, with the
full audit as the next step."""

import re

import pytest
from playwright.sync_api import expect

from cohorts.models import Membership
from tests.factories import make_cohort, make_lead

pytestmark = pytest.mark.browser


def test_a_newcomer_joins_by_invite_and_lands_on_the_welcome_step(page, shoot, assert_accessible):
    cohort = make_cohort(make_lead("lena", display_name="Lena Lead"), name="Browser cohort")
    invite = f"/join/{cohort.invite_token}/"

    page.goto(invite)
    page.get_by_role("link", name="Sign up to join").click()
    page.get_by_label("Username").fill("newbie")
    page.get_by_label("Email").fill("newbie@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a-long-and-honest-password-7")
    page.get_by_label("Password (again)").fill("a-long-and-honest-password-7")
    page.locator("main").get_by_role("button", name="Create my account").click()
    expect(page).to_have_url(re.compile(re.escape(invite) + "$"))
    page.get_by_role("button", name=re.compile("Join")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome to “Browser cohort”")
    expect(page.get_by_text("You joined “Browser cohort”")).to_be_visible()
    who = page.get_by_role("region", name="Who sees what")
    expect(who).to_contain_text(
        "Lena Lead leads this cohort and sees your audits, history and evidence"
    )
    assert Membership.objects.filter(cohort=cohort, user__username="newbie").count() == 1
    assert_accessible(page)
    shoot(page, "cohort-welcome")

    page.get_by_role("link", name="Take the full audit").click()
    expect(page).to_have_url(re.compile(r"/audit/$"))
