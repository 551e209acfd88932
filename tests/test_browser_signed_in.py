"""Every signed-in page type in a real Chromium: axe finds nothing serious, it fits a phone, and
the suite keeps a screenshot of it at 1280 and 390 px."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Audit
from curriculum.models import BaselineQuestion, Skill, Track
from tests.factories import AuditFactory, ProgressFactory, learner_with_two_full_audits

pytestmark = pytest.mark.browser


@pytest.fixture
def learner_with_history():
    """A learner two full audits in, with a quick audit, a target track and some progress."""
    now = timezone.now()
    skills = list(Skill.objects.all())
    learner = learner_with_two_full_audits(
        *(
            {
                skill: min(5, 1 + (index + shift) % 4 + shift)
                for index, skill in enumerate(skills[:30])
            }
            for shift in (0, 1)
        ),
        first_days_ago=8 * 7,
        second_days_ago=7,
        username="grace",
        display_name="Grace",
        target_track=Track.objects.get(name="Applied and Product ML"),
        path_started_on=(now - timedelta(weeks=7)).date(),
    )
    AuditFactory(
        user=learner,
        quick=True,
        days_ago=60,
        answers={q: 2 + q.order % 3 for q in BaselineQuestion.objects.all()},
    )
    ProgressFactory(
        user=learner,
        skill=skills[8],
        passed=True,
        evidence_url="https://github.com/grace/leakage-notebook",
        note="Introduced a leak on purpose, measured it, fixed it.",
        passed_at=now - timedelta(days=3),
    )
    ProgressFactory(user=learner, skill=skills[19], learning_since=now - timedelta(weeks=2))
    return learner


def _address(page_type, learner):
    if page_type == "audit_detail":
        latest = Audit.objects.saved().filter(user=learner, kind="full").latest("saved_at")
        return reverse("assessments:audit_detail", args=[latest.pk])
    if page_type == "quick_audit_result":
        quick = Audit.objects.saved().get(user=learner, kind="quick")
        return reverse("assessments:audit_detail", args=[quick.pk])
    if page_type == "skill_progress":
        return reverse("assessments:skill_progress", args=["cross-validation-and-leakage"])
    if page_type == "skill_signed_in":
        return reverse("curriculum:skill", args=["cross-validation-and-leakage"])
    if page_type in {"profile", "password_change"}:
        return reverse(page_type)
    return reverse(f"assessments:{page_type}")


SIGNED_IN_PAGE_TYPES = [
    "dashboard",
    "quick_audit",
    "quick_audit_result",
    "audit",
    "audit_history",
    "audit_detail",
    "skill_signed_in",
    "skill_progress",
    "my_ladder",
    "my_path",
    "profile",
    "delete_account",
]


@pytest.mark.parametrize("page_type", SIGNED_IN_PAGE_TYPES)
def test_signed_in_page_is_accessible_and_fits_a_phone(
    page, log_in, learner_with_history, page_type, shoot, assert_accessible
):
    log_in(page, learner_with_history)
    response = page.goto(_address(page_type, learner_with_history))

    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").count()
    assert_accessible(page)
    shoot(page, f"learner-{page_type}", full_page=page_type != "audit")


@pytest.fixture
def lead_with_cohort():
    """A lead whose cohort has a dozen learners with audits and evidence, one of them waiting."""
    from tests.factories import bulk_cohort, make_lead

    lead = make_lead("lena", display_name="Lena Lead")
    cohort = bulk_cohort(lead, 12, name="Autumn cohort")
    return lead, cohort


def _cohort_address(page_type, cohort):
    learner = cohort.members.order_by("username").first()
    return {
        "cohorts": reverse("cohorts:cohorts"),
        "cohort_create": reverse("cohorts:cohort_create"),
        "cohort_heatmap_trunks": reverse("cohorts:cohort", args=[cohort.pk]),
        "cohort_heatmap_skills": reverse("cohorts:cohort", args=[cohort.pk]) + "?view=skills",
        "cohort_learner": reverse("cohorts:cohort_learner", args=[cohort.pk, learner.pk]),
        "cohort_reviews": reverse("cohorts:cohort_reviews"),
        "cohort_edit": reverse("cohorts:cohort_edit", args=[cohort.pk]),
    }[page_type]


LEAD_PAGE_TYPES = [
    "cohorts",
    "cohort_create",
    "cohort_heatmap_trunks",
    "cohort_heatmap_skills",
    "cohort_learner",
    "cohort_reviews",
    "cohort_edit",
]


@pytest.mark.parametrize("page_type", LEAD_PAGE_TYPES)
def test_cohort_lead_page_is_accessible_and_fits_a_phone(
    page, log_in, lead_with_cohort, page_type, shoot, assert_accessible
):
    lead, cohort = lead_with_cohort
    log_in(page, lead)
    response = page.goto(_cohort_address(page_type, cohort))

    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    shoot(page, f"lead-{page_type}")


def test_invite_page_is_accessible_signed_out_and_signed_in(
    page, log_in, lead_with_cohort, learner_with_history, shoot, assert_accessible
):
    _, cohort = lead_with_cohort
    invite = reverse("cohorts:cohort_join", args=[cohort.invite_token])

    page.goto(invite)
    assert_accessible(page)
    shoot(page, "invite-signed-out")

    log_in(page, learner_with_history)
    page.goto(invite)
    assert page.get_by_role("button", name="Join “Autumn cohort”").is_visible()
    assert_accessible(page)
    shoot(page, "invite-signed-in")
