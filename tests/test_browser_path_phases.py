"""The 20-week path in a real Chromium (issue 22 item 9): the learner's phases say which are over
without a test, open onto their skills and free resources, and pass axe at both widths."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from curriculum.models import Track
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_the_path_pages_show_each_phase_with_what_it_teaches(
    page, log_in, shoot, assert_accessible
):
    learner = UserFactory(
        username="ada",
        target_track=Track.objects.get(slug="research-scientist"),
        path_started_on=timezone.localdate() - timedelta(weeks=4),
        date_joined=timezone.now() - timedelta(days=90),
    )
    log_in(page, learner)
    page.goto("/progress/path/")

    first = page.locator(".path-phase").first
    expect(first).to_contain_text("Weeks over, no test yet")
    first.get_by_text("Its skills and free resources").click()
    expect(first.get_by_role("link", name="Linear algebra", exact=True)).to_be_visible()
    expect(page.locator(".path-summary__pace .tag")).to_have_text("Behind")
    assert_accessible(page)
    shoot(page, "my-path")

    page.goto("/path/")
    expect(page.locator("#phase-1").get_by_role("link", name="Foundations")).to_be_visible()
    assert_accessible(page)
    shoot(page, "path")
