"""A lead reviews the evidence they looked at: a learner who swaps their evidence link while the
lead's review page is open is not verified on the new link unseen."""

import pytest
from playwright.sync_api import expect

from assessments.models import Progress
from curriculum.models import Skill
from tests.browser_fixtures import accessible_at_both_widths
from tests.factories import claim_test, make_cohort, make_lead, make_user

pytestmark = pytest.mark.browser

NEW_EVIDENCE = "https://github.com/mia/notebook-after-the-fix"


def test_a_lead_is_shown_evidence_swapped_while_their_page_was_open_before_any_verdict(
    new_page, log_in, shoot, assert_accessible
):
    lead = make_lead("lena", display_name="Lena Lead")
    member = make_user("mia", display_name="Mia Member")
    make_cohort(lead, members=[member])
    claim = claim_test(member, Skill.objects.order_by("pk").first())
    page = log_in(new_page(), lead)
    page.goto(f"/cohorts/reviews/{claim.pk}/")
    page.get_by_label("Verified").check()
    page.get_by_label("Comment for the learner").fill("Clear and tested.")

    Progress.objects.filter(pk=claim.pk).update(evidence_url=NEW_EVIDENCE)
    page.get_by_role("button", name="Record the review").click()

    expect(page.get_by_text("changed this claim since you opened it")).to_be_visible()
    expect(page.get_by_role("link", name=NEW_EVIDENCE)).to_be_visible()
    expect(page.get_by_label("Comment for the learner")).to_have_value("Clear and tested.")
    assert Progress.objects.get(pk=claim.pk).review == ""
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "review-claim-changed")

    page.get_by_label("Verified").check()
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_text("Mia Member’s test")).to_be_visible()
    assert Progress.objects.get(pk=claim.pk).review == "verified"
