"""The public guide in a real Chromium, signed out: every page type is accessible (axe), fits a
phone, and is screenshotted at 1280 and 390 px."""

import pytest
from django.urls import reverse

from curriculum.models import Skill, Track, Trunk

pytestmark = pytest.mark.browser

PUBLIC_PAGE_TYPES = [
    "home",
    "tree",
    "trunk",
    "skill",
    "tracks",
    "track",
    "ladder",
    "path",
    "sources",
]


def _address(page_type):
    if page_type == "trunk":
        return Trunk.objects.get(number=2).get_absolute_url()
    if page_type == "skill":
        return Skill.objects.get(slug="cross-validation-and-leakage").get_absolute_url()
    if page_type == "track":
        return Track.objects.order_by("pk").first().get_absolute_url()
    return reverse(f"curriculum:{page_type}")


@pytest.mark.parametrize("page_type", PUBLIC_PAGE_TYPES)
def test_public_page_is_accessible_and_fits_a_phone(page, page_type, shoot, assert_accessible):
    response = page.goto(_address(page_type))

    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert_accessible(page)
    shoot(page, f"public-{page_type}")


def test_a_visitor_finds_a_skills_test_by_following_links_from_home(page):
    skill = Skill.objects.select_related("trunk").get(slug="cross-validation-and-leakage")

    page.goto("/")
    page.locator("main").get_by_role("link", name="Browse the tree").click()
    page.get_by_role("link", name=skill.trunk.name).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == skill.trunk.name
    page.get_by_role("link", name=skill.name).click()

    assert page.get_by_role("heading", level=1).inner_text() == skill.name
    assert page.get_by_text(skill.test).is_visible()
    assert page.get_by_text(skill.mastery).is_visible()


def test_an_unknown_skill_shows_a_not_found_page(page):
    response = page.goto("/skills/no-such-skill/")

    assert response.status == 404
