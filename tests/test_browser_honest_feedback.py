"""Issue 25 in a real Chromium: the hype substitution warning on the learner's dashboard and the
lead's heatmap, each passing axe at 1280 and 390 px, with screenshots to look at."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Audit, Progress
from assessments.sharing import share
from curriculum.models import RecheckPolicy, Skill
from notices.due import queue_due
from notices.mail import compose, message
from notices.models import Notice
from tests.browser_fixtures import PHONE, accessible_at_both_widths
from tests.factories import (
    claim_test,
    learner,
    learner_aiming_at,
    learner_chasing_hype,
    make_cohort,
    make_lead,
    save_full_audit,
)

pytestmark = pytest.mark.browser


def test_a_learner_chasing_hype_is_warned_and_their_lead_sees_it_in_the_heatmap(
    page, new_page, log_in, shoot, assert_accessible
):
    chasing = learner_chasing_hype(username="hiro", display_name="Hiro")
    lead = make_lead()
    cohort = make_cohort(lead, members=[chasing, learner_aiming_at(username="calm")])

    log_in(page, chasing)
    page.goto("/dashboard/")
    warning = page.locator(".warning", has=page.get_by_role("heading", name="Hype substitution"))
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("matrix multiplication does not")
    expect(warning.get_by_role("link", name="Linear algebra")).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)
    warning.scroll_into_view_if_needed()
    shoot(page, "hype-substitution-dashboard", full_page=False)

    lead_page = new_page()
    log_in(lead_page, lead)
    lead_page.goto(cohort.get_absolute_url())
    row = lead_page.get_by_role("row", name="Hiro")
    expect(row.get_by_text("hype substitution")).to_be_visible()
    accessible_at_both_widths(lead_page, assert_accessible)
    shoot(lead_page, "hype-substitution-heatmap")
    row.get_by_role("link", name="Hiro").click()
    expect(lead_page.get_by_role("heading", name="Hype substitution")).to_be_visible()


def test_a_learner_sees_how_their_ratings_held_up_against_the_verdicts(
    page, log_in, shoot, assert_accessible
):
    ada = learner()
    skills = list(Skill.objects.select_related("trunk").order_by("trunk__number", "order"))
    judged = [skills[0], skills[8], skills[20]]
    for skill, verdict in zip(judged, ["needs_work", "needs_work", "verified"], strict=True):
        claim_test(ada, skill, review=verdict)
    save_full_audit(ada, dict(zip(judged, [5, 4, 2], strict=True)), days_ago=50)
    save_full_audit(ada, dict(zip(judged, [3, 3, 4], strict=True)), days_ago=3)

    log_in(page, ada)
    page.goto("/audits/")
    section = page.locator(
        "section", has=page.get_by_role("heading", name="How your ratings held up")
    )
    expect(section).to_contain_text(
        "your ratings held up against the verdicts on all three skills a lead checked."
    )
    expect(section.locator("svg")).to_contain_text("3 checked · 0 held up · 2 over · 1 under")
    expect(
        page.get_by_role("img", name="Your ratings against your leads’ verdicts, audit by audit")
    ).to_be_visible()
    expect(
        page.get_by_role("table", name="Your ratings against your leads’ verdicts, audit by audit")
    ).to_be_visible()
    expect(
        page.get_by_role("table", name="Over- and under-rated skills by trunk, audit by audit")
    ).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "calibration-over-time")


def test_a_lead_sees_the_cohort_over_time_and_the_failure_modes_it_shows_now(
    page, log_in, shoot, assert_accessible
):
    lead = make_lead()
    ada, ben = learner_aiming_at(username="ada"), learner_chasing_hype(username="ben")
    cohort = make_cohort(lead, members=[ada, ben])
    cohort.starts_on = timezone.localdate() - timedelta(weeks=8)
    cohort.save()
    skills = list(Skill.objects.all())
    for weeks_ago, value in ((7, 1), (4, 2), (1, 3)):
        save_full_audit(ada, dict.fromkeys(skills, value), days_ago=7 * weeks_ago)

    log_in(page, lead)
    page.goto(cohort.get_absolute_url())
    page.get_by_role("link", name="The cohort over time").click()
    expect(page.get_by_role("heading", name=f"{cohort.name} over time")).to_be_visible()
    expect(
        page.get_by_role("img", name="The cohort’s mean rating by trunk, week by week")
    ).to_be_visible()
    expect(
        page.get_by_role("table", name="The cohort’s mean rating by trunk at the end of each week")
    ).to_be_visible()
    expect(page.locator(".card", has_text="Hype substitution").locator("dd")).to_have_text("1")
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "cohort-over-time")


def test_a_learner_re_submits_a_verification_due_for_a_re_check(
    page, new_page, log_in, shoot, assert_accessible
):
    ada = learner()
    skill = Skill.objects.get(slug="linear-algebra")
    claim_test(ada, skill, review="verified", reviewed_at=timezone.now() - timedelta(days=400))
    RecheckPolicy.objects.update(months=12)
    share(ada)

    log_in(page, ada)
    page.goto("/dashboard/")
    section = page.locator("section", has=page.get_by_role("heading", name="Due for a re-check"))
    expect(section.get_by_role("link", name="Linear algebra")).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)
    section.scroll_into_view_if_needed()
    shoot(page, "recheck-dashboard", full_page=False)

    section.get_by_role("link", name="Linear algebra").click()
    expect(
        page.get_by_text("The verification is old enough to be looked at again.")
    ).to_be_visible()
    accessible_at_both_widths(page, assert_accessible)
    shoot(page, "recheck-skill-page")

    again = new_page()
    log_in(again, ada)
    again.goto(skill.get_absolute_url())
    again.locator("#progress").get_by_role("button", name="Submit it again for review").click()
    again.get_by_text("Saved: Linear algebra is “Test passed”.").wait_for(timeout=20_000)
    expect(again.get_by_text("Not reviewed by a cohort lead yet.")).to_be_visible()
    assert Progress.objects.get(user=ada, skill=skill).awaiting_review


def test_the_personal_reminder_renders_in_a_real_browser_at_390_px(
    page, shoot, assert_accessible, settings
):
    settings.SITE_URL = "https://skills.example.org"
    hiro = learner_chasing_hype(username="hiro", email="hiro@example.org", display_name="Hiro")
    Audit.objects.filter(user=hiro).update(saved_at=timezone.now() - timedelta(days=50))
    claim_test(hiro, Skill.objects.filter(trunk__number=5).first())
    now = timezone.now()
    queue_due(now)
    notice = Notice.objects.get(user=hiro, kind=Notice.Kind.AUDIT_REMINDER)
    (html, _mimetype), *_ = message(notice, compose(notice, now)).alternatives
    assert len(html.encode()) < 100 * 1024

    page.set_viewport_size(PHONE)
    page.set_content(html)
    expect(page.get_by_role("heading", name="Your target: Research Scientist")).to_be_visible()
    expect(page.get_by_role("heading", name="Watch out: hype substitution")).to_be_visible()
    assert_accessible(page)
    shoot(page, "reminder-email")
