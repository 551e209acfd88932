"""Issue 22, items 2–6 in a real Chromium: a "needs work" verdict reaching the learner and a
re-submission, email choices asked at sign-up and once on the dashboard, a retired skill's page,
the specialization table, and a skill's resources shown once."""

import pytest
from django.contrib.auth import get_user_model

from assessments.models import Progress
from curriculum.models import Skill
from tests.factories import LEARNER_PASSWORD, claim_test, make_cohort, make_lead, make_user

pytestmark = pytest.mark.browser


def test_a_learner_sees_needs_work_everywhere_and_submits_again(
    page, log_in, shoot, assert_accessible
):
    lead = make_lead("lena", display_name="Lena")
    ada = make_user("ada", display_name="Ada")
    make_cohort(lead, members=[ada])
    skill = Skill.objects.get(slug="linear-algebra")
    claim = claim_test(ada, skill, evidence="https://github.com/ada/matmul")
    other = Skill.objects.exclude(pk=skill.pk).order_by("pk").first()
    claim_test(ada, other, evidence="https://github.com/ada/grad")

    log_in(page, lead)
    page.goto(f"/cohorts/reviews/{claim.pk}/")
    page.get_by_role("radio", name="Needs work").check()
    page.get_by_role("textbox", name="Comment for the learner").fill(
        "No tests for the non-square case."
    )
    page.get_by_role("button", name="Record the review").click()
    page.wait_for_load_state()
    assert Progress.objects.get(pk=claim.pk).review == Progress.Review.NEEDS_WORK

    page.context.clear_cookies()
    log_in(page, ada)
    page.goto("/tree/")
    assert page.get_by_text("1 test passed", exact=False).first.is_visible()
    node = page.locator(f'a.tree-node--needs_work[href="{skill.get_absolute_url()}"]')
    assert node.count() >= 1
    shoot(page, "needs-work-tree")

    page.goto("/dashboard/")
    progress = page.locator("section.dashboard-progress")
    assert "No tests for the non-square case." in progress.inner_text()
    assert_accessible(page)
    shoot(page, "needs-work-dashboard")

    page.goto(skill.get_absolute_url())
    status = page.locator(".progress__status")
    assert "Needs work" in status.inner_text()
    assert "Test passed" not in status.inner_text()
    page.locator("#progress").get_by_role("button", name="Submit it again for review").click()
    page.get_by_text("Saved: Linear algebra is “Test passed”.").wait_for(timeout=20_000)
    assert Progress.objects.get(pk=claim.pk).review == Progress.Review.PENDING
    assert_accessible(page)
    shoot(page, "resubmitted-skill")


def test_sign_up_asks_about_email_with_nothing_ticked(page, shoot, assert_accessible):
    page.goto("/accounts/signup/")
    reminders = page.get_by_label("Remind me to audit again")
    verdicts = page.get_by_label("Tell me when a lead reviews my evidence")
    assert not reminders.is_checked() and not verdicts.is_checked()
    assert page.get_by_label("Send me a daily digest", exact=False).count() == 0
    assert_accessible(page)
    shoot(page, "signup-emails")
    page.locator("#id_username").fill("newbie")
    page.locator("#id_email").fill("newbie@example.org")
    page.locator("#id_password1").fill(LEARNER_PASSWORD)
    page.locator("#id_password2").fill(LEARNER_PASSWORD)
    verdicts.check()
    page.get_by_role("button", name="Create my account").click()
    page.wait_for_load_state()
    user = get_user_model().objects.get(username="newbie")
    assert user.emails_chosen_at is not None
    assert user.email_review_verdicts and not user.email_audit_reminders


def test_the_dashboard_asks_once_which_emails_and_answers_in_place(
    page, log_in, shoot, assert_accessible
):
    ada = make_user("ada", email="ada@example.org", emails_chosen_at=None)
    log_in(page, ada)
    page.goto("/dashboard/")
    question = page.locator("#email-choices")
    assert question.get_by_role("heading", name="Which emails do you want?").is_visible()
    assert_accessible(page)
    shoot(page, "dashboard-email-question")
    question.get_by_label("Remind me to audit again").check()
    question.get_by_role("button", name="Save my choice").click()
    page.get_by_text("Saved: you get only the emails you ticked.").wait_for(timeout=20_000)
    ada.refresh_from_db()
    assert ada.emails_chosen_at is not None and ada.email_audit_reminders
    page.reload()
    assert page.get_by_role("heading", name="Which emails do you want?").count() == 0


def test_a_retired_skill_page_and_the_specialization_table(page, shoot, assert_accessible):
    skill = Skill.objects.get(slug="causal-thinking")
    skill.retired = True
    skill.save()
    page.goto(skill.get_absolute_url())
    assert page.get_by_text("This skill was retired on", exact=False).is_visible()
    assert page.get_by_text("to track your progress on this skill", exact=False).count() == 0
    assert page.locator("#progress").count() == 0
    assert_accessible(page)
    shoot(page, "retired-skill")

    page.goto("/skills/linear-algebra/")
    assert_accessible(page)
    shoot(page, "skill-resources")

    page.goto("/tracks/")
    table = page.locator("table.specialization")
    assert table.locator("tbody tr").count() >= 7
    assert_accessible(page)
    shoot(page, "tracks-specialization")
