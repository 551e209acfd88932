"""The cohort lead's journey in a real Chromium: a cohort, its invite, a learner who joins and
proves a skill, the lead's review, the CSV, and an invite that was turned off."""

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from cohorts.models import Cohort, Membership
from curriculum.models import Skill
from tests.factories import make_lead

pytestmark = pytest.mark.browser

PASSWORD = "a-long-and-honest-password-7"
EVIDENCE = "https://github.com/noor/leakage-notebook"


def _sign_up(page, username):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Create my account").click()


def test_lead_invites_a_learner_reviews_their_evidence_and_exports_the_cohort(
    new_page, log_in, shoot, assert_accessible
):
    first, second = Skill.objects.order_by("trunk__number", "order", "pk")[:2]
    proved = Skill.objects.get(slug="cross-validation-and-leakage")
    lead = log_in(new_page(), make_lead("lena", display_name="Lena Lead"))

    # The lead starts a cohort and copies its invite link.
    lead.goto("/cohorts/")
    lead.get_by_role("link", name="Start a cohort").click()
    lead.get_by_label("Name").fill("Autumn cohort")
    lead.get_by_label("Description").fill("Twenty weeks, one trunk at a time.")
    lead.get_by_role("button", name="Create the cohort").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Autumn cohort")
    invite_url = lead.get_by_label(re.compile("Share this link")).input_value()
    assert re.search(r"/join/[\w-]{20,}/$", invite_url)

    # A learner, in another browser, signs up through the link, joins, audits, proves a skill.
    learner = new_page()
    learner.goto(invite_url)
    expect(learner.get_by_text("Lena Lead")).to_be_visible()
    learner.get_by_role("link", name="Sign up to join").click()
    _sign_up(learner, "noor")
    expect(learner).to_have_url(invite_url)
    learner.get_by_role("button", name=re.compile("Join")).click()
    expect(learner.get_by_text("You joined “Autumn cohort”")).to_be_visible()
    learner.goto("/audit/")
    for skill, value in ((first, 5), (second, 3)):
        learner.locator(f"label[for='rating-{skill.pk}-{value}']").click()
        expect(learner.locator(f"#skill-{skill.pk}")).to_contain_text(f"Rated {value} of 5")
    learner.get_by_role("button", name="Save audit").first.click()
    expect(learner.get_by_text("2 of 37 skills rated")).to_be_visible()
    learner.goto(proved.get_absolute_url())
    learner.locator("#progress").get_by_label("Test passed").check()
    learner.get_by_label("Evidence").fill(EVIDENCE)
    learner.get_by_role("button", name="Save progress").click()
    expect(learner.get_by_role("link", name=EVIDENCE)).to_be_visible()

    # The lead's heatmap shows the learner; their evidence waits for review.
    lead.reload()
    row = lead.get_by_role("row", name=re.compile("noor"))
    expect(row).to_contain_text("4.0")  # Foundations: the mean of 5 and 3
    expect(lead.locator(".cohort-counts")).to_contain_text("Evidence waiting for review1")
    shoot(lead, "cohort-lead-heatmap")

    lead.get_by_role("link", name="Review evidence").first.click()
    expect(lead.get_by_role("heading", name="Waiting for review (1)")).to_be_visible()
    claim = lead.locator(".review-item").filter(has_text=proved.name)
    expect(claim.get_by_role("link", name=re.compile("leakage-notebook"))).to_be_visible()
    claim.get_by_label("Verified").check()
    claim.get_by_label(re.compile("Comment")).fill("Clean leak, honest fix. Well done.")
    claim.get_by_role("button", name="Record the review").click()
    expect(lead.get_by_role("heading", name="Waiting for review (0)")).to_be_visible()
    assert_accessible(lead)
    shoot(lead, "cohort-lead-reviews")

    # The learner sees the outcome on the skill.
    learner.goto(proved.get_absolute_url())
    expect(learner.locator("#progress").get_by_text("Verified")).to_be_visible()
    expect(learner.get_by_text("Clean leak, honest fix. Well done.")).to_be_visible()

    # The CSV: one row per skill for the learner, with the ratings, evidence and review.
    cohort = Cohort.objects.get(name="Autumn cohort")
    lead.goto(cohort.get_absolute_url())
    with lead.expect_download() as download_info:
        lead.get_by_role("link", name="Download CSV").click()
    rows = list(
        csv.DictReader(io.StringIO(Path(download_info.value.path()).read_text(encoding="utf-8")))
    )
    assert len(rows) == Skill.objects.count()
    assert {row["cohort"] for row in rows} == {"Autumn cohort"}
    assert {row["username"] for row in rows} == {"noor"}
    by_skill = {row["skill"]: row for row in rows}
    assert by_skill[first.name]["latest rating"] == "5"
    assert by_skill[second.name]["latest rating"] == "3"
    assert by_skill[proved.name]["evidence link"] == EVIDENCE
    assert by_skill[proved.name]["review outcome"].lower() == "verified"
    assert by_skill[proved.name]["status"] == "Verified"  # the status every page shows

    # The lead turns the link off: the old link now joins nobody, and says so.
    lead.get_by_role("button", name="Turn the link off").click()
    expect(lead.get_by_text("The invite link is off: nobody can join.")).to_be_visible()
    latecomer = new_page()
    latecomer.goto(invite_url)
    expect(latecomer.get_by_role("heading", level=1)).to_have_text("This invite link does not work")
    expect(latecomer.get_by_text("Nobody joined anything.")).to_be_visible()
    assert_accessible(latecomer)
    assert list(
        Membership.objects.filter(cohort=cohort).values_list("user__username", flat=True)
    ) == ["noor"]


def test_a_large_cohort_comes_a_page_at_a_time_with_names_in_view(
    new_page, log_in, shoot, assert_accessible
):
    """230 learners: the first 200, then htmx brings the next 30 into the same table; the
    learner column stays in view as the table scrolls sideways; the review queue pages."""
    from cohorts.heatmap import PER_PAGE
    from cohorts.review import WAITING_PER_PAGE
    from tests.factories import bulk_cohort

    lead_user = make_lead("lena", display_name="Lena Lead")
    cohort = bulk_cohort(lead_user, 230, name="Large cohort")
    lead = log_in(new_page(), lead_user)
    lead.goto(cohort.get_absolute_url())
    rows = lead.locator("#heatmap tbody th[scope=row]")
    expect(rows).to_have_count(PER_PAGE["trunks"])
    expect(lead.locator("#heatmap caption")).to_contain_text("230 learners")
    shoot(lead, "cohort-lead-large-heatmap", full_page=False)
    lead.get_by_role("link", name=f"Show the next {PER_PAGE['trunks']}").click()
    expect(rows).to_have_count(230)
    expect(lead.locator("#heatmap-more")).to_have_count(0)
    assert_accessible(lead)

    # Sorted by last audit, oldest first: the flags are at the top.
    lead.get_by_label("Sort by").select_option("last_audit")
    expect(rows.first).to_contain_text("no audit in 6 weeks")
    expect(lead).to_have_url(re.compile(r"sort=last_audit"))

    # The skills view scrolls sideways under a learner column that stays put.
    lead.set_viewport_size({"width": 390, "height": 844})
    lead.get_by_label("Skills").check()
    expect(rows).to_have_count(PER_PAGE["skills"])
    name = rows.first
    before = name.bounding_box()["x"]
    lead.locator(".heatmap__wrap").evaluate("wrap => { wrap.scrollLeft = 600; }")
    assert abs(name.bounding_box()["x"] - before) < 2
    shoot(lead, "cohort-lead-large-skills", full_page=False)

    # The review queue: one claim per learner, a page at a time, with or without JavaScript.
    lead.goto("/cohorts/reviews/")
    expect(lead.get_by_role("heading", name="Waiting for review (230)")).to_be_visible()
    expect(lead.locator(".review-item")).to_have_count(WAITING_PER_PAGE)
    lead.get_by_role("link", name=f"Next {WAITING_PER_PAGE}").click()
    expect(lead.get_by_text("Page 2 of 10")).to_be_visible()
    expect(lead).to_have_url(re.compile(r"\?page=2$"))
    expect(lead.locator(".review-item")).to_have_count(WAITING_PER_PAGE)
    assert_accessible(lead)
    shoot(lead, "cohort-lead-review-page-2", full_page=False)
    no_js = log_in(new_page(java_script_enabled=False), lead_user)
    no_js.goto("/cohorts/reviews/?page=10")
    expect(no_js.locator(".review-item")).to_have_count(230 - 9 * WAITING_PER_PAGE)
    no_js.get_by_role("link", name=f"Previous {WAITING_PER_PAGE}").click()
    expect(no_js.get_by_text("Page 9 of 10")).to_be_visible()
    no_js.goto(cohort.get_absolute_url())
    no_js.get_by_role("link", name=f"Show the next {PER_PAGE['trunks']}").click()
    expect(no_js.locator("#heatmap tbody th[scope=row]")).to_have_count(30)
