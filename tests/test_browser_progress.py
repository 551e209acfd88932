"""Progress in a real Chromium: the status saved in place through htmx, the ladder and the path."""

import pytest

from assessments.models import Progress, SignalTick

pytestmark = pytest.mark.browser


def test_learner_saves_progress_on_a_skill_without_a_page_load(
    page, log_in, learner, shoot, assert_accessible
):
    log_in(page, learner)
    page.goto("/skills/linear-algebra/")
    page.evaluate("window.__sameDocument = true")

    section = page.locator("#progress")
    section.get_by_label("Test passed").check()
    section.get_by_label("Link to your evidence").fill("https://github.com/ada/matmul")
    section.get_by_label("Note").fill("Loops explained in the README.")
    section.get_by_role("button", name="Save progress").click()

    saved = page.get_by_text("Saved: Linear algebra is “Test passed”.")
    saved.wait_for(timeout=20_000)
    assert page.evaluate("window.__sameDocument === true")
    assert page.locator("#progress a[href='https://github.com/ada/matmul']").is_visible()
    progress = Progress.objects.get(user=learner)
    assert progress.status == Progress.Status.TEST_PASSED
    assert progress.passed_at is not None
    assert_accessible(page)
    shoot(page, "progress-skill")

    page.reload()
    assert page.locator("#progress").get_by_label("Test passed").is_checked()


def test_a_javascript_link_is_refused_in_place(page, log_in, learner):
    log_in(page, learner)
    page.goto("/skills/linear-algebra/")
    section = page.locator("#progress")
    section.get_by_label("Test passed").check()
    section.get_by_label("Link to your evidence").fill("javascript:alert(1)")
    section.get_by_role("button", name="Save progress").click()
    page.get_by_text("Use a link that starts with http:// or https://").wait_for(timeout=20_000)
    assert not Progress.objects.exists()


def test_learner_ticks_level_one_and_sees_their_level(
    page, log_in, learner, shoot, assert_accessible
):
    log_in(page, learner)
    page.goto("/progress/ladder/")
    level_one = page.get_by_role("group", name="Level 1: Prompt Craft")
    for box in level_one.get_by_role("checkbox").all():
        box.check()
    page.get_by_role("button", name="Save my signals").click()
    page.get_by_role("heading", name="You are at Level 1: Prompt Craft").wait_for(timeout=20_000)
    assert SignalTick.objects.filter(user=learner).count() == 3
    assert_accessible(page)
    shoot(page, "progress-ladder")


def test_learner_sets_the_day_they_started_the_path(
    page, log_in, learner, shoot, assert_accessible
):
    log_in(page, learner)
    page.goto("/progress/path/")
    page.get_by_label("The day you started the path").fill("2026-01-05")
    page.get_by_role("button", name="Save start date").click()
    page.get_by_role("heading", name="Where you are on the path").wait_for(timeout=20_000)
    learner.refresh_from_db()
    assert learner.path_started_on.isoformat() == "2026-01-05"
    assert_accessible(page)
    shoot(page, "progress-path")
