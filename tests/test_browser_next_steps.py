"""The dashboard's next steps in a real Chromium (issue 22 items 7 and 10): one click starts
learning a skill in place, and "Choose your target track" leads to the tracks, where one click
aims for one and comes back to the dashboard."""

import re

import pytest
from playwright.sync_api import expect

from assessments.models import Progress
from curriculum.models import Skill, Track
from tests.factories import AuditFactory, UserFactory

pytestmark = pytest.mark.browser


def test_one_click_starts_learning_a_skill_without_leaving_the_dashboard(
    page, log_in, shoot, assert_accessible
):
    learner = UserFactory(username="ada", target_track=Track.objects.get(slug="research-scientist"))
    AuditFactory(user=learner, ratings={"linear-algebra": 1, "causal-thinking": 2})
    causal = Skill.objects.get(slug="causal-thinking")
    log_in(page, learner)
    page.goto("/dashboard/")
    page.evaluate("window.stillTheSamePage = true")

    card = page.locator(f"#start-{causal.slug}")
    card.get_by_role("button", name="Start learning it").click()

    expect(card).to_contain_text("you are learning it now")
    expect(
        card.get_by_role("link", name=re.compile("Record your progress.*Causal thinking"))
    ).to_be_visible()
    assert page.evaluate("window.stillTheSamePage === true")
    progress = Progress.objects.get(user=learner, skill=causal)
    assert progress.status == Progress.Status.LEARNING
    assert_accessible(page)
    shoot(page, "dashboard-started-learning")


def test_choosing_a_target_track_compares_the_tracks_and_aims_in_one_click(
    page, log_in, shoot, assert_accessible
):
    learner = UserFactory(username="bo")
    AuditFactory(user=learner, ratings={"linear-algebra": 3, "causal-thinking": 2})
    log_in(page, learner)
    page.goto("/dashboard/")

    page.get_by_role("link", name="Choose your target track").click()

    expect(page.get_by_role("heading", name="Aim for a track")).to_be_visible()
    expect(
        page.get_by_role("table", name="Which track needs which level in each bucket")
    ).to_be_visible()
    assert_accessible(page)
    shoot(page, "tracks-aim-for-a-track")

    research = page.locator("#aim-for-a-track li", has_text="Research Scientist")
    research.get_by_role("button", name="Aim for this track").click()

    expect(page.get_by_role("heading", name="Your gap to Research Scientist")).to_be_visible()
    expect(page.get_by_text("You are aiming for Research Scientist now")).to_be_visible()
    assert page.url.endswith("/dashboard/")
    learner.refresh_from_db()
    assert learner.target_track.slug == "research-scientist"
