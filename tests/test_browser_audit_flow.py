"""In a real Chromium: a visitor's quick audit kept on sign-up, aiming for a track, the full
audit's trunk navigation, and saving an audit landing on what it earned (issue 13 items 2-5)."""

import re
import shutil
from pathlib import Path

import pytest

from assessments.models import Audit, Rating
from curriculum.models import Skill, Track, Trunk
from tests.browser_fixtures import accessible_at_both_widths

pytestmark = pytest.mark.browser

PASSWORD = "an-honest-two-is-fixable-42"
SHOTS = Path("/work/shots/audit-flow")


def keep(paths):
    """Copy the screenshots where the reviewer looks at them."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for path in paths:
        shutil.copy(path, SHOTS / path.name)


def test_a_visitor_takes_the_quick_audit_signs_up_and_keeps_it(page, shoot, assert_accessible):
    from playwright.sync_api import expect

    page.goto("/")
    page.locator("main").get_by_role("link", name="Take the quick audit").first.click()
    questions = page.locator(".question-list fieldset")
    expect(questions).to_have_count(5)
    accessible_at_both_widths(page, assert_accessible)
    for index in range(5):
        questions.nth(index).get_by_text("4 — can do it alone").click()
    page.get_by_role("button", name="See my first picture").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your first picture of your buckets")
    expect(page.get_by_text("Quick audit · not saved yet")).to_be_visible()
    assert not Audit.objects.exists()
    accessible_at_both_widths(page, assert_accessible)
    keep(shoot(page, "visitor-picture"))

    page.get_by_role("link", name="Sign up to keep it").click()
    page.get_by_label("Username").fill("visitor")
    page.get_by_label("Email").fill("visitor@example.com")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_text("Your quick audit is saved to your account.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your first picture of your buckets")
    audit = Audit.objects.get(user__username="visitor")
    assert audit.kind == "quick" and set(audit.answers.values_list("value", flat=True)) == {4}
    keep(shoot(page, "visitor-picture-kept"))


def test_a_learner_aims_for_a_track_from_its_page_and_from_the_fit_table(
    new_page, log_in, learner, shoot, assert_accessible
):
    from playwright.sync_api import expect

    research = Track.objects.get(slug="research-scientist")
    page = log_in(new_page(), learner)
    page.goto(research.get_absolute_url())
    page.evaluate("window.stillTheSamePage = true")
    accessible_at_both_widths(page, assert_accessible)
    keep(shoot(page, "track-aim", full_page=False))

    page.get_by_role("button", name=re.compile("Aim for this track")).click()
    expect(page.locator(".aim-track")).to_contain_text("Your target track")
    expect(page.locator(f"#aim-button-{research.slug}")).to_be_focused()
    assert page.evaluate("window.stillTheSamePage === true"), "aiming reloaded the page"
    learner.refresh_from_db()
    assert learner.target_track == research
    accessible_at_both_widths(page, assert_accessible)
    keep(shoot(page, "track-aimed", full_page=False))

    # The fit table: one click on another track, and the dashboard measures against it.
    skills = list(Skill.objects.all()[:4])
    from tests.factories import AuditFactory

    AuditFactory(user=learner, ratings=dict.fromkeys(skills, 3))
    page.goto("/dashboard/")
    other = Track.objects.exclude(pk=research.pk).first()
    page.locator(".fit-table").get_by_role(
        "button", name=re.compile(rf"^Aim for it\W+{re.escape(other.name)}$")
    ).click()
    expect(page.get_by_role("heading", name=f"Your gap to {other.name}")).to_be_visible()
    expect(page.get_by_text(f"You are aiming for {other.name} now")).to_be_visible()
    expect(page.locator(f"#aim-fit-{other.slug}")).to_be_focused()
    learner.refresh_from_db()
    assert learner.target_track == other
    accessible_at_both_widths(page, assert_accessible)
    keep(shoot(page, "dashboard-fit-aim"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator(".fit-table").screenshot(path=str(SHOTS / "fit-table-phone.png"))
    page.set_viewport_size({"width": 1280, "height": 800})

    # Without JavaScript the same button is a plain form that comes back to the track.
    plain = log_in(new_page(java_script_enabled=False), learner)
    plain.goto(research.get_absolute_url())
    plain.get_by_role("button", name=re.compile("Aim for this track")).click()
    expect(plain.get_by_text("You are aiming for Research Scientist now")).to_be_visible()
    learner.refresh_from_db()
    assert learner.target_track == research


def test_the_full_audit_moves_by_trunk_saves_once_and_lands_on_what_it_earned(
    new_page, log_in, learner, shoot, assert_accessible
):
    from playwright.sync_api import expect

    learner.target_track = Track.objects.get(slug="research-scientist")
    learner.save()
    page = log_in(new_page(), learner)
    page.goto("/audit/")
    bar = page.locator(".audit-bar")
    expect(bar.get_by_role("button", name="Save audit")).to_be_visible()
    expect(page.get_by_role("button", name="Save ratings")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Save my ratings"))).to_have_count(0)

    third = Trunk.objects.get(number=3)
    nav = page.get_by_role("navigation", name="Trunks in this audit")
    total = third.skills.count()
    link = nav.get_by_role("link", name=re.compile(rf"^3\. {re.escape(third.name)}"))
    expect(link).to_contain_text(f"0 of {total} rated")
    link.click()
    expect(page).to_have_url(re.compile(r"#trunk-3$"))
    expect(page.locator("#trunk-3")).to_be_in_viewport()
    expect(nav).to_be_in_viewport()

    skill = third.skills.first()
    page.locator(f"#skill-{skill.pk}").get_by_text("4 — can do it alone").click()
    expect(link).to_contain_text(f"1 of {total} rated")
    expect(page.locator("#audit-announcer")).to_have_text(f"Saved: {skill.name}, rated 4 of 5.")
    accessible_at_both_widths(page, assert_accessible)
    keep(shoot(page, "full-audit-nav", full_page=False))
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("#trunk-5").scroll_into_view_if_needed()
    _shot(page, "full-audit-nav-phone-scrolled")
    page.set_viewport_size({"width": 1280, "height": 800})

    bar.get_by_role("button", name="Save audit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("What your audit of")
    expect(page.get_by_role("heading", name="Your gap to Research Scientist")).to_be_visible()
    expect(page.locator("#gap svg")).to_be_visible()
    expect(page.get_by_role("link", name="Every rating in this audit")).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)
    keep(shoot(page, "audit-result"))


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


def test_without_javascript_the_full_audit_keeps_its_save_ratings_button(new_page, log_in, learner):
    from playwright.sync_api import expect

    page = log_in(new_page(java_script_enabled=False), learner)
    page.goto("/audit/")
    skill = Skill.objects.first()
    page.locator(f"#rating-{skill.pk}-3").check()
    page.locator(".audit-bar").get_by_role("button", name="Save ratings").click()
    expect(page.get_by_text("Ratings saved: 1 of")).to_be_visible()
    assert list(Rating.objects.values_list("skill_id", "value")) == [(skill.pk, 3)]
    expect(page.get_by_role("link", name=re.compile(r"^1\. ")).first).to_contain_text("1 of")
