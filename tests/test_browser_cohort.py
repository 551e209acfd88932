"""The cohort lead's journey in a real Chromium: create a cohort, a learner joins by its invite
link and audits, and the lead's heatmap shows them."""

import re

import pytest

from curriculum.models import Skill
from tests.factories import make_lead

pytestmark = pytest.mark.browser


def test_a_learner_joins_by_invite_audits_and_shows_on_the_leads_heatmap(
    new_page, log_in, shoot, assert_accessible
):
    from playwright.sync_api import expect

    lead_page = log_in(new_page(), make_lead("lena", display_name="Lena Lead"))
    lead_page.goto("/cohorts/new/")
    lead_page.get_by_label("Name").fill("Browser cohort")
    lead_page.get_by_label("Description").fill("Twenty weeks, one trunk at a time.")
    lead_page.get_by_role("button", name="Create the cohort").click()
    expect(lead_page.get_by_role("heading", level=1)).to_have_text("Browser cohort")
    invite_url = lead_page.get_by_label(re.compile("Share this link")).input_value()
    assert "/join/" in invite_url

    learner = new_page()
    learner.goto(invite_url)
    expect(learner.get_by_role("heading", level=1)).to_contain_text("Browser cohort")
    expect(learner.get_by_text("Lena Lead")).to_be_visible()
    expect(learner.get_by_text("every audit you save")).to_be_visible()
    learner.get_by_role("link", name="Sign up to join").click()
    learner.get_by_label("Username").fill("newbie")
    learner.get_by_label("Email").fill("newbie@example.org")
    learner.get_by_label(re.compile(r"^Password:?$")).fill("a-long-and-honest-password-7")
    learner.get_by_label("Password (again)").fill("a-long-and-honest-password-7")
    learner.locator("main").get_by_role("button", name="Create my account").click()
    expect(learner).to_have_url(invite_url)
    assert_accessible(learner)
    learner.get_by_role("button", name=re.compile("Join")).click()
    expect(learner.get_by_text("You joined “Browser cohort”")).to_be_visible()

    first, second = Skill.objects.order_by("trunk__number", "order", "pk")[:2]
    learner.goto("/audit/")
    for skill, value in ((first, 4), (second, 2)):
        learner.locator(f"label[for='rating-{skill.pk}-{value}']").click()
        expect(learner.locator(f"#skill-{skill.pk}")).to_contain_text(f"Rated {value} of 5")
    learner.get_by_role("button", name="Save audit").first.click()
    learner.wait_for_load_state()

    lead_page.reload()
    row = lead_page.get_by_role("row", name=re.compile("newbie"))
    expect(row).to_contain_text("3.0")  # Foundations: the mean of 4 and 2
    expect(row.locator(".lv0").first).to_be_visible()  # the other trunks: unrated
    expect(lead_page.get_by_text("Audited in the last six weeks")).to_be_visible()
    assert_accessible(lead_page)

    lead_page.get_by_label("Skills").check()
    expect(lead_page.get_by_role("columnheader", name=first.name)).to_be_visible()
    expect(lead_page.get_by_role("row", name=re.compile("newbie"))).to_contain_text("4")
    shoot(lead_page, "cohort-heatmap")
