"""The learner's audit in a real Chromium: sign up, rate by clicking, saved at once, kept on reload."""

import re

import pytest

from assessments.models import Audit, Rating
from curriculum.models import Skill

pytestmark = pytest.mark.browser

PASSWORD = "an-honest-two-is-fixable-42"


def sign_up(page, username):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_load_state()


def mark_the_page(page):
    """A flag on window that any real navigation (a full page load) would wipe out."""
    page.evaluate("window.stillTheSamePage = true")


def still_the_same_page(page):
    return page.evaluate("window.stillTheSamePage === true")


def test_learner_signs_up_rates_a_skill_by_clicking_and_the_rating_survives_a_reload(page):
    from playwright.sync_api import expect

    sign_up(page, "lin")
    page.goto("/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rate every skill, no flinching")
    expect(page.locator("#audit-progress")).to_contain_text(f"0 of {Skill.objects.count()} rated")
    skill = Skill.objects.all()[3]
    card = page.locator(f"#skill-{skill.pk}")
    mark_the_page(page)

    card.get_by_text("4 — can do it alone").click()

    expect(card.get_by_text("Saved", exact=True)).to_be_visible()
    expect(page.locator("#audit-progress")).to_contain_text(f"1 of {Skill.objects.count()} rated")
    expect(page.locator("#audit-announcer")).to_have_text(f"Saved: {skill.name}, rated 4 of 5.")
    assert still_the_same_page(page), "rating a skill reloaded the page"
    assert list(Rating.objects.values_list("skill_id", "value")) == [(skill.pk, 4)]

    page.reload()

    assert not still_the_same_page(page)
    expect(page.locator(f"#rating-{skill.pk}-4")).to_be_checked()
    expect(page.locator(f"#skill-{skill.pk}").get_by_text("Rated 4 of 5")).to_be_visible()
    expect(page.locator("#audit-progress")).to_contain_text(f"1 of {Skill.objects.count()} rated")


def test_keyboard_rating_saves_each_step_and_keeps_focus_in_the_radiogroup(page, log_in, learner):
    from playwright.sync_api import expect

    log_in(page, learner)
    page.goto("/audit/")
    skill = Skill.objects.first()
    mark_the_page(page)

    page.locator(f"#rating-{skill.pk}-2").focus()
    page.keyboard.press("Space")
    expect(page.locator(f"#skill-{skill.pk}").get_by_text("Rated 2 of 5")).to_be_visible()
    # Arrowing on quickly, while earlier saves are still under way, must end on the last choice.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(page.locator(f"#skill-{skill.pk}").get_by_text("Rated 4 of 5")).to_be_visible()
    page.wait_for_load_state("networkidle")

    expect(page.locator(f"#rating-{skill.pk}-4")).to_be_checked()
    assert page.evaluate("document.activeElement.id") == f"rating-{skill.pk}-4"
    assert still_the_same_page(page)
    assert list(Rating.objects.values_list("value", flat=True)) == [4]

    page.locator(f"#skill-{skill.pk}").get_by_text("Unrated", exact=True).first.click()
    expect(page.locator("#audit-progress")).to_contain_text(f"0 of {Skill.objects.count()} rated")
    assert not Rating.objects.exists()


def test_the_audit_pages_look_finished_and_pass_axe(
    page, log_in, learner, shoot, assert_accessible
):
    from playwright.sync_api import expect

    log_in(page, learner)
    page.goto("/audit/quick/")
    expect(page.locator(".question")).to_have_count(5)
    for question in page.locator(".question").all():
        question.get_by_text("3 — can do it with help").click()
    page.get_by_role("button", name="See my first picture").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your first picture of your buckets")
    assert_accessible(page)
    shoot(page, "audit-quick-result")

    page.goto("/audit/quick/")
    assert_accessible(page)
    shoot(page, "audit-quick")

    page.goto("/audit/")
    first = Skill.objects.first()
    page.locator(f"#skill-{first.pk}").get_by_text("4 — can do it alone").click()
    expect(page.locator(f"#skill-{first.pk}").get_by_text("Saved", exact=True)).to_be_visible()
    assert_accessible(page)
    shoot(page, "audit-full", full_page=False)

    page.get_by_role("button", name="Save audit").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("What your audit of")
    assert Audit.objects.saved().filter(kind="full").count() == 1
    assert_accessible(page)
    shoot(page, "audit-saved", full_page=False)

    page.goto("/audits/")
    assert_accessible(page)
    shoot(page, "audit-history")


def test_a_click_in_a_stale_tab_after_saving_changes_nothing_and_opens_the_new_draft(
    new_page, log_in, learner
):
    from playwright.sync_api import expect

    first, second = Skill.objects.all()[:2]
    stale = log_in(new_page(), learner)
    stale.goto("/audit/")
    stale.locator(f"#skill-{first.pk}").get_by_text("2 — know what it is").click()
    expect(stale.locator(f"#skill-{first.pk}").get_by_text("Rated 2 of 5")).to_be_visible()

    other = log_in(new_page(), learner)
    other.goto("/audit/")
    other.get_by_role("button", name="Save audit").first.click()
    expect(other.get_by_role("heading", level=1)).to_contain_text("What your audit of")
    saved = Audit.objects.saved().get(user=learner)

    stale.locator(f"#skill-{second.pk}").get_by_text("5 — could teach it").click()

    expect(stale.get_by_role("status").first).to_contain_text("can’t be changed")
    expect(stale).to_have_url("/audit/")
    assert list(saved.ratings.values_list("skill_id", "value")) == [(first.pk, 2)]
    draft = Audit.objects.drafts().get(user=learner)
    assert list(draft.ratings.values_list("skill_id", "value")) == [(first.pk, 2)]
    expect(stale.locator(f"#rating-{first.pk}-2")).to_be_checked()
    expect(stale.locator(f"#rating-{second.pk}-none")).to_be_checked()
