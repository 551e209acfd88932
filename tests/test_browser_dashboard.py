"""The learner's dashboard in a real Chromium: it reads at a glance, passes axe, fits a phone, and
previewing another track swaps the gap in place with htmx."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from curriculum.models import Skill, Track, Trunk
from tests.factories import ProgressFactory, learner_with_two_full_audits

pytestmark = pytest.mark.browser


@pytest.fixture
def learner_with_history():
    skills = list(Skill.objects.all())
    learner = learner_with_two_full_audits(
        {s: 1 + i % 3 for i, s in enumerate(skills)},
        {s: 2 + i % 3 for i, s in enumerate(skills)},
        first_days_ago=60,
        second_days_ago=2,
        target_track=Track.objects.get(slug="research-scientist"),
    )
    for trunk in Trunk.objects.all()[:4]:
        ProgressFactory(
            user=learner,
            skill=trunk.skills.first(),
            learning_since=timezone.now() - timedelta(days=2),
        )
    return learner


def test_dashboard_is_accessible_and_fits_a_phone(
    page, log_in, learner_with_history, shoot, assert_accessible
):
    log_in(page, learner_with_history)

    page.goto("/dashboard/")

    expect(page.get_by_role("heading", name="Your gap to Research Scientist")).to_be_visible()
    expect(
        page.get_by_role("img", name="Your level per bucket against Research Scientist")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Trunk sprawl")).to_be_visible()
    expect(page.locator(".next-skills > li")).to_have_count(3)
    expect(page.get_by_role("heading", name="Then and now")).to_be_visible()
    assert_accessible(page)
    shoot(page, "dashboard")


def test_previewing_another_track_swaps_the_gap_in_place(page, log_in, learner_with_history):
    log_in(page, learner_with_history)
    page.goto("/dashboard/")
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_role("link", name="Applied and Product ML").click()

    expect(page.get_by_role("heading", name="Your gap to Applied and Product ML")).to_be_visible()
    assert page.evaluate("window.stillTheSamePage === true")
    assert page.url.endswith("?track=applied-and-product-ml")
    expect(page.get_by_role("heading", name="Fit to each track")).to_be_visible()
