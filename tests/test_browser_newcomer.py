"""A newcomer's journey in a real Chromium, from the public tree to proof of a passed test."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from assessments.models import Audit, Progress, Rating
from curriculum.models import Skill

pytestmark = pytest.mark.browser

PASSWORD = "a-long-honest-passphrase-7"


def _skill_card(page, skill):
    return page.locator(f"#skill-{skill.pk}")


def _mark_page_as_not_reloaded(page):
    page.evaluate("window.__stillTheSamePage = true")


def _page_was_not_reloaded(page):
    return page.evaluate("window.__stillTheSamePage === true")


def test_newcomer_signs_up_audits_by_click_and_keyboard_and_proves_a_skill(page, shoot):
    clicked = Skill.objects.get(slug="cross-validation-and-leakage")
    keyed = Skill.objects.get(slug="linear-algebra")

    # Home → tree → a skill, signed out.
    page.goto("/")
    page.locator("main").get_by_role("link", name="Browse the tree").click()
    page.get_by_role("link", name=clicked.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(clicked.name)

    # Sign up from the nav.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up").click()
    page.get_by_label("Username").fill("newcomer")
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    # Straight to the quick audit: five questions, each answered by clicking a rating.
    expect(page.get_by_text("Quick audit · five questions")).to_be_visible()
    questions = page.locator(".question-list fieldset")
    expect(questions).to_have_count(5)
    for index in range(5):
        questions.nth(index).get_by_text("3 — can do it with help").click()
    page.get_by_role("button", name="See my first picture").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your first picture of your buckets")
    expect(page.locator("meter")).to_have_count(4)

    # Full audit: a rating by click saves without a page load and says so.
    page.get_by_role("link", name="Take the full audit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rate every skill, no flinching")
    _mark_page_as_not_reloaded(page)
    card = _skill_card(page, clicked)
    card.get_by_text("4 — can do it alone").click()
    expect(card.get_by_text("Saved")).to_be_visible()
    expect(card.get_by_text("Rated 4 of 5")).to_be_visible()
    expect(page.locator("#audit-progress")).to_contain_text(f"1 of {Skill.objects.count()} rated")

    # ...and by keyboard alone: into the skill's radio group, arrows to choose.
    card = _skill_card(page, keyed)
    card.get_by_role("link", name=keyed.name).focus()
    page.keyboard.press("Tab")
    expect(card.get_by_role("radio", name="Unrated")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(card.get_by_text("Rated 1 of 5")).to_be_visible()
    expect(card.get_by_role("radio", name="1 — never touched it")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(card.get_by_text("Rated 2 of 5")).to_be_visible()
    expect(page.locator("#audit-progress")).to_contain_text(f"2 of {Skill.objects.count()} rated")
    assert _page_was_not_reloaded(page)
    shoot(page, "audit", full_page=False)

    # A reload loses nothing.
    page.reload()
    expect(
        _skill_card(page, clicked).get_by_role("radio", name="4 — can do it alone")
    ).to_be_checked()
    expect(
        _skill_card(page, keyed).get_by_role("radio", name="2 — know what it is")
    ).to_be_checked()

    # Save audit freezes a dated snapshot.
    page.locator(".audit-bar").get_by_role("button", name="Save audit").click()
    expect(page.get_by_text(f"2 of {Skill.objects.count()} skills rated")).to_be_visible()
    audit = Audit.objects.saved().get(user__username="newcomer", kind="full")
    assert dict(Rating.objects.filter(audit=audit).values_list("skill__slug", "value")) == {
        clicked.slug: 4,
        keyed.slug: 2,
    }

    # Pick a target track; the dashboard shows the gap chart, its figures, and three next skills.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    page.get_by_label("Target track").select_option(label="Applied and Product ML")
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Your gap to Applied and Product ML")).to_be_visible()
    chart = page.locator("#gap svg")
    expect(chart).to_be_visible()
    assert chart.get_attribute("role") == "img" and chart.get_attribute("aria-labelledby")
    expect(page.locator("#gap table tbody tr")).to_have_count(4)
    next_skills = page.locator(".next-skills > li")
    expect(next_skills).to_have_count(3)
    assert all(name.strip() for name in next_skills.locator("h3").all_inner_texts())
    shoot(page, "dashboard")

    # Mark the skill's test passed, with evidence.
    page.goto(clicked.get_absolute_url())
    page.locator("#progress").get_by_label("Test passed").check()
    page.get_by_label("Evidence").fill("https://github.com/newcomer/leakage-notebook")
    page.get_by_role("button", name="Save progress").click()
    expect(page.locator("#progress").get_by_text("Test passed").first).to_be_visible()
    expect(
        page.get_by_role("link", name="https://github.com/newcomer/leakage-notebook")
    ).to_be_visible()
    progress = Progress.objects.get(user__username="newcomer", skill=clicked)
    assert progress.status == "test_passed"

    # Export: everything, as JSON, from the profile.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download everything (JSON)").click()
    exported = json.loads(Path(download_info.value.path()).read_text(encoding="utf-8"))
    assert exported["profile"]["username"] == "newcomer"
    full = next(audit for audit in exported["audits"] if audit["kind"] == "full")
    assert {(r["skill_slug"], r["rating"]) for r in full["ratings"]} == {
        (clicked.slug, 4),
        (keyed.slug, 2),
    }
    assert [(p["skill_slug"], p["status"], p["evidence_url"]) for p in exported["progress"]] == [
        (clicked.slug, "test_passed", "https://github.com/newcomer/leakage-notebook")
    ]
