"""The tree drawn in a real Chromium, signed out and signed in, at 1280 and 390 px; and no page of
the site scrolls sideways on a 390 px phone."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from curriculum.models import Skill, Track
from tests.browser_fixtures import DESKTOP, PHONE
from tests.factories import ProgressFactory, learner_with_two_full_audits
from tests.test_browser_public import PUBLIC_PAGE_TYPES
from tests.test_browser_public import _address as public_address
from tests.test_browser_signed_in import (  # noqa: F401 (fixtures)
    LEAD_PAGE_TYPES,
    SIGNED_IN_PAGE_TYPES,
    _cohort_address,
    lead_with_cohort,
    learner_with_history,
)
from tests.test_browser_signed_in import _address as signed_in_address

pytestmark = pytest.mark.browser


def _visible_map(page):
    maps = page.locator("svg.tree-map")
    shown = [maps.nth(i) for i in range(maps.count()) if maps.nth(i).is_visible()]
    assert len(shown) == 1, "exactly one layout of the tree shows at a time"
    return shown[0]


def _fits(page):
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def aiming_learner():
    """Rated 1–5 across the tree in two full audits, aiming at Applied and Product ML, learning
    one skill, a passed test on another and a verified one on a third."""
    skills = list(Skill.objects.order_by("trunk__number", "order"))
    learner = learner_with_two_full_audits(
        dict.fromkeys(skills[:20], 2),
        {skill: 1 + index % 5 for index, skill in enumerate(skills[:30])},
        username="grace",
        display_name="Grace",
        target_track=Track.objects.get(name="Applied and Product ML"),
    )
    now = timezone.now()
    ProgressFactory(user=learner, skill=skills[1], learning_since=now - timedelta(weeks=2))
    ProgressFactory(user=learner, skill=skills[2], passed=True)
    ProgressFactory(user=learner, skill=skills[3], passed=True, review="verified")
    return learner


def test_a_visitor_sees_the_tree_and_opens_a_skill_from_it(page, shoot, assert_accessible):
    skill = Skill.objects.get(slug="cross-validation-and-leakage")
    page.goto(reverse("curriculum:tree"))

    tree = _visible_map(page)
    assert "tree-map--wide" in tree.get_attribute("class")
    assert tree.get_by_role("link").count() == Skill.objects.count() + 6
    assert_accessible(page)
    shoot(page, "tree-signed-out")

    page.set_viewport_size(PHONE)
    tree = _visible_map(page)
    assert "tree-map--narrow" in tree.get_attribute("class")
    assert _fits(page) <= PHONE["width"]
    assert_accessible(page)
    tree.get_by_role("link", name=skill.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(skill.name)


def test_the_keyboard_reaches_every_node_and_shows_where_it_is(page):
    page.goto(reverse("curriculum:tree"))
    first = _visible_map(page).get_by_role("link").first
    first.focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused.startswith("Linear algebra")
    stroke = page.evaluate(
        "getComputedStyle(document.activeElement.querySelector('.tree-node__box')).stroke"
    )
    assert stroke == "rgb(28, 95, 212)", "the focused node is outlined in the focus colour"


def test_a_learner_sees_their_ratings_progress_and_track_needs_on_the_tree(
    page, log_in, aiming_learner, shoot, assert_accessible
):
    log_in(page, aiming_learner)
    page.goto(reverse("curriculum:tree"))

    tree = _visible_map(page)
    python = Skill.objects.get(slug="python-and-scientific-stack")
    node = tree.get_by_role(
        "link", name=f"{python.name}: rated 4/5, verified, your track needs 5 (1 short)"
    )
    expect(node).to_be_visible()
    assert "4/5 · verified" in node.text_content()
    assert page.get_by_role("list", name="How the tree shows your progress").is_visible()
    assert_accessible(page)
    shoot(page, "tree-signed-in")

    page.set_viewport_size(PHONE)
    assert _fits(page) <= PHONE["width"]
    page.get_by_text("The tree as a table").click()
    row = page.get_by_role("row", name=python.name)
    expect(row).to_contain_text("Verified")
    assert_accessible(page)


def _wide_pages(page, addresses):
    wide = []
    for address in addresses:
        response = page.goto(address)
        assert response.status == 200, address
        width = _fits(page)
        if width > PHONE["width"]:
            wide.append(f"{address} is {width} px wide")
    return wide


def test_no_public_page_scrolls_sideways_on_a_phone(new_page):
    page = new_page(viewport=PHONE)
    assert _wide_pages(page, [public_address(kind) for kind in PUBLIC_PAGE_TYPES]) == []


def test_no_signed_in_page_scrolls_sideways_on_a_phone(
    new_page,
    log_in,
    learner_with_history,  # noqa: F811
    lead_with_cohort,  # noqa: F811
):
    learner_page = log_in(new_page(viewport=PHONE), learner_with_history)
    addresses = [signed_in_address(kind, learner_with_history) for kind in SIGNED_IN_PAGE_TYPES]
    addresses.append(reverse("curriculum:tree"))
    lead, cohort = lead_with_cohort
    lead_page = log_in(new_page(viewport=PHONE), lead)
    lead_addresses = [_cohort_address(kind, cohort) for kind in LEAD_PAGE_TYPES]

    wide = _wide_pages(learner_page, addresses) + _wide_pages(lead_page, lead_addresses)

    assert wide == []


def test_the_cheat_sheet_scrolls_in_its_own_box_with_track_names_in_view(new_page):
    page = new_page(viewport=PHONE)
    page.goto(reverse("curriculum:tracks"))
    scroller = page.get_by_role("region", name="Which track needs which level in each bucket")
    expect(scroller).to_be_visible()
    name = scroller.get_by_role("rowheader").first
    left = name.bounding_box()["x"]
    scroller.evaluate("box => box.scrollBy(400, 0)")
    assert name.bounding_box()["x"] == pytest.approx(left, abs=1)
    assert _fits(page) <= PHONE["width"]
    page.set_viewport_size(DESKTOP)
