"""Print (issue 13 item 13): the dashboard, a lead's page for one learner and the public profile
print cleanly on A4 and Letter: a PDF of a sane length, no navigation, forms or buttons, and
evidence links followed by their address."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Progress
from assessments.sharing import share
from curriculum.models import Skill, Track
from tests.factories import claim_test, learner_with_two_full_audits, make_cohort, make_lead

pytestmark = pytest.mark.browser

SHOTS = "/work/shots/nav-notes"


@pytest.fixture
def world():
    skills = list(Skill.objects.all())
    learner = learner_with_two_full_audits(
        *({skill: 1 + (i + shift) % 5 for i, skill in enumerate(skills[:30])} for shift in (0, 1)),
        username="grace",
        display_name="Grace Hopper",
        target_track=Track.objects.get(name="Applied and Product ML"),
        path_started_on=(timezone.now() - timedelta(weeks=6)).date(),
    )
    lead = make_lead(display_name="Lena Lead")
    cohort = make_cohort(lead, members=[learner])
    claim_test(
        learner,
        skills[8],
        evidence="https://github.com/grace/leakage-notebook",
        review=Progress.Review.VERIFIED,
        reviewed_by=lead,
        reviewed_at=timezone.now(),
    )
    claim_test(learner, skills[3], evidence="https://github.com/grace/matrix-proof")
    return {"learner": learner, "lead": lead, "cohort": cohort, "profile": share(learner)}


def _pages(pdf):
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def _print_checks(page, name):
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Main").is_visible()
    assert all(not button.is_visible() for button in page.locator("main button").all())
    page.screenshot(path=f"{SHOTS}/print-{name}.png", full_page=True)
    counts = {}
    for paper in ("A4", "Letter"):
        pdf = page.pdf(format=paper, print_background=True)
        assert pdf.startswith(b"%PDF")
        counts[paper] = _pages(pdf)
        with open(f"{SHOTS}/print-{name}-{paper}.pdf", "wb") as file:
            file.write(pdf)
    page.emulate_media(media="screen")
    return counts


def test_the_dashboard_prints_on_a4_and_letter(new_page, log_in, world):
    page = log_in(new_page(), world["learner"])
    page.goto(reverse("assessments:dashboard"))
    counts = _print_checks(page, "dashboard")
    assert all(1 <= count <= 8 for count in counts.values()), counts


def test_a_leads_learner_page_prints_with_evidence_addresses(new_page, log_in, world):
    page = log_in(new_page(), world["lead"])
    page.goto(reverse("cohorts:cohort_learner", args=[world["cohort"].pk, world["learner"].pk]))
    page.emulate_media(media="print")
    after = page.evaluate(
        """() => getComputedStyle(document.querySelector('main a[rel~="nofollow"]'), '::after').content"""
    )
    assert "https://github.com/grace/" in after
    counts = _print_checks(page, "learner")
    assert all(1 <= count <= 6 for count in counts.values()), counts


def test_the_public_profile_prints_on_one_page(new_page, world):
    page = new_page()
    page.goto(world["profile"].get_absolute_url())
    counts = _print_checks(page, "public-profile")
    assert counts == {"A4": 1, "Letter": 1}
