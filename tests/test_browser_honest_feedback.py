"""Issue 25 in a real Chromium: the hype substitution warning on the learner's dashboard and the
lead's heatmap, each passing axe at 1280 and 390 px, with screenshots to look at."""

import pytest
from playwright.sync_api import expect

from tests.browser_fixtures import DESKTOP, PHONE
from tests.factories import learner_aiming_at, learner_chasing_hype, make_cohort, make_lead

pytestmark = pytest.mark.browser


def accessible_at_both_widths(page, assert_accessible):
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        assert_accessible(page)
    page.set_viewport_size(DESKTOP)


def test_a_learner_chasing_hype_is_warned_and_their_lead_sees_it_in_the_heatmap(
    page, new_page, log_in, shoot, assert_accessible
):
    chasing = learner_chasing_hype(username="hiro", display_name="Hiro")
    lead = make_lead()
    cohort = make_cohort(lead, members=[chasing, learner_aiming_at(username="calm")])

    log_in(page, chasing)
    page.goto("/dashboard/")
    warning = page.locator(".warning", has=page.get_by_role("heading", name="Hype substitution"))
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("matrix multiplication does not")
    expect(warning.get_by_role("link", name="Linear algebra")).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)
    warning.scroll_into_view_if_needed()
    shoot(page, "hype-substitution-dashboard", full_page=False)

    lead_page = new_page()
    log_in(lead_page, lead)
    lead_page.goto(cohort.get_absolute_url())
    row = lead_page.get_by_role("row", name="Hiro")
    expect(row.get_by_text("hype substitution")).to_be_visible()
    accessible_at_both_widths(lead_page, assert_accessible)
    shoot(lead_page, "hype-substitution-heatmap")
    row.get_by_role("link", name="Hiro").click()
    expect(lead_page.get_by_role("heading", name="Hype substitution")).to_be_visible()
