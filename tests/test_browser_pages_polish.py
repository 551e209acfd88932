"""Issue 22's smaller moments in a real Chromium: the invite link's Copy button, the review
radios in the site's colour, the dashboard on at most two A4 pages, the heatmap on a phone, the
admin's link check in view at 1280 px, and htmx's indicator styled by our stylesheet (it injects
none of its own)."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from assessments.models import Progress
from curriculum.models import Skill, Track, Trunk
from tests.browser_fixtures import PHONE
from tests.factories import (
    claim_test,
    curator,
    learner_with_two_full_audits,
    make_cohort,
    make_lead,
    make_user,
    member_of,
    save_full_audit,
)

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def _pdf_pages(pdf):
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.fixture
def cohort():
    lead = make_lead("lena", display_name="Lena Lead")
    cohort = make_cohort(lead, name="Autumn cohort")
    noor = member_of(cohort, username="noor", display_name="Noor")
    claim_test(noor, Skill.objects.get(slug="cross-validation-and-leakage"))
    return cohort


def test_the_lead_copies_the_whole_invite_link_with_one_click(new_page, log_in, cohort, shoot):
    page = log_in(new_page(), cohort.leads.get())
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(cohort.get_absolute_url())
    field = page.get_by_label(re.compile("Share this link"))
    link = field.input_value()
    assert link.endswith(reverse("cohorts:cohort_join", args=[cohort.invite_token]))

    page.get_by_role("button", name="Copy the link").click()

    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == link
    shoot(page.locator("#invite").page, "invite-link")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        whole = page.evaluate(
            "() => { const f = document.getElementById('invite-url');"
            " return f.scrollWidth <= f.clientWidth && f.scrollHeight <= f.clientHeight + 1; }"
        )
        assert whole, f"the invite link is cut off at {width} px"


def test_without_javascript_the_link_is_there_to_select_and_no_copy_button_shows(
    new_page, log_in, cohort
):
    page = log_in(new_page(java_script_enabled=False), cohort.leads.get())
    page.goto(cohort.get_absolute_url())

    assert page.get_by_label(re.compile("Share this link")).input_value().startswith("http")
    expect(page.get_by_role("button", name="Copy the link")).to_be_hidden()


def test_review_radios_wear_the_sites_accent_at_a_thumbs_size(new_page, log_in, cohort, shoot):
    page = log_in(new_page(), cohort.leads.get())
    page.goto(reverse("cohorts:cohort_reviews"))
    radio = page.get_by_role("radio", name="Verified").first

    accent = radio.evaluate("r => getComputedStyle(r).accentColor")
    site_accent = page.evaluate(
        "() => { const p = document.createElement('p'); p.style.color = 'var(--accent)';"
        " return getComputedStyle(document.documentElement).getPropertyValue('--accent').trim(); }"
    )
    box = radio.bounding_box()

    assert accent == "rgb(31, 111, 80)" and site_accent == "#1f6f50"
    assert box["width"] >= 18 and box["height"] >= 18
    shoot(page, "review-radios")


def test_the_dashboard_prints_on_two_a4_pages_at_most_with_headings_kept_with_their_text(
    new_page, log_in
):
    skills = list(Skill.objects.all())
    grace = learner_with_two_full_audits(
        *({skill: 1 + (i + shift) % 5 for i, skill in enumerate(skills)} for shift in (0, 1)),
        username="grace",
        target_track=Track.objects.get(name="Applied and Product ML"),
        path_started_on=(timezone.now() - timedelta(weeks=6)).date(),
    )
    lead = make_lead()
    make_cohort(lead, members=[grace])
    claim_test(grace, skills[3], review=Progress.Review.NEEDS_WORK, reviewed_by=lead,
               reviewed_at=timezone.now(), review_comment="Split before you tune.")  # fmt: skip
    page = log_in(new_page(), grace)
    page.goto(reverse("assessments:dashboard"))
    page.emulate_media(media="print")

    kept = page.evaluate(
        "() => [...document.querySelectorAll('main h2, main h3')].every(h =>"
        " getComputedStyle(h).breakAfter === 'avoid')"
    )
    whole = page.evaluate(
        "() => [...document.querySelectorAll('main section')].every(s =>"
        " getComputedStyle(s).breakInside === 'avoid')"
    )
    pdf = page.pdf(format="A4", print_background=True)
    (ARTIFACTS / "dashboard-A4.pdf").write_bytes(pdf)
    page.set_viewport_size({"width": 688, "height": 1009})
    page.screenshot(path=str(ARTIFACTS / "dashboard-print.png"), full_page=True)
    pages = _pdf_pages(pdf)

    assert kept and whole
    assert 1 <= pages <= 2, pages


def _audited(name, skills, shift):
    """A learner with a full audit rating every skill, 1 to 5 in turn."""
    user = make_user(name.lower(), display_name=name)
    save_full_audit(user, {skill: 1 + (i + shift) % 5 for i, skill in enumerate(skills)})
    return user


def test_on_a_phone_the_lead_reads_each_learners_trunks_in_one_row_without_scrolling(
    new_page, log_in, shoot, assert_accessible
):
    lead = make_lead("lena", display_name="Lena Lead")
    skills = list(Skill.objects.order_by("trunk__number", "order", "pk"))
    learners = [_audited(name, skills, shift) for shift, name in enumerate(("Mia", "Ola"))]
    cohort = make_cohort(lead, name="Autumn cohort", members=learners)
    trunks = Trunk.objects.count()
    page = log_in(new_page(viewport=PHONE), lead)
    page.goto(cohort.get_absolute_url())

    key = page.locator(".heatmap__key li")
    expect(key).to_have_count(trunks)
    expect(key.first).to_be_visible()
    mia = page.locator("#heatmap tbody tr", has_text="Mia")
    cells = mia.locator('td[class^="lv"]')
    expect(cells).to_have_count(trunks)
    wrap = page.locator(".heatmap__wrap").bounding_box()
    for cell in cells.all():
        box = cell.bounding_box()
        assert wrap["x"] <= box["x"] and box["x"] + box["width"] <= wrap["x"] + wrap["width"]
    assert page.locator(".heatmap__wrap").evaluate("w => w.scrollWidth <= w.clientWidth + 1")
    for count in ("Learning 0", "Tests passed 0"):  # their labels are the stylesheet's
        expect(mia.get_by_role("cell", name=count)).to_be_visible()
    assert_accessible(page)
    shoot(page, "cohort-heatmap-phone")


def test_the_link_check_is_in_view_on_the_resource_list_at_1280_px(new_page, log_in, shoot):
    page = log_in(new_page(), curator())
    page.goto(reverse("admin:curriculum_resource_changelist"))

    header = page.locator("th.column-link_health")
    box = header.bounding_box()

    assert box["x"] + box["width"] <= 1280
    page.screenshot(path="test-artifacts/screenshots/admin-resources-desktop.png")


def test_htmx_injects_no_style_and_our_stylesheet_hides_an_idle_indicator(new_page):
    page = new_page()
    page.goto(reverse("curriculum:tree"))

    shown = page.evaluate(
        """() => {
          const box = document.createElement('div');
          box.innerHTML = '<span class="htmx-indicator">Saving…</span>';
          document.querySelector('main').append(box);
          const indicator = box.firstElementChild;
          const idle = getComputedStyle(indicator).visibility;
          box.classList.add('htmx-request');
          return [idle, getComputedStyle(indicator).visibility,
                  document.querySelectorAll('head style').length];
        }"""
    )

    assert shown == ["hidden", "visible", 0]


def test_the_join_page_tells_its_lead_and_a_member_where_they_stand(
    new_page, log_in, cohort, shoot
):
    join = reverse("cohorts:cohort_join", args=[cohort.invite_token])
    lead = log_in(new_page(), cohort.leads.get())
    lead.goto(join)
    expect(lead.get_by_role("heading", level=1)).to_have_text("Your invite link to “Autumn cohort”")
    expect(lead.get_by_role("button", name=re.compile("^Join"))).to_have_count(0)
    shoot(lead, "join-own-link")

    member = log_in(new_page(), cohort.memberships.get().user)
    member.goto(join)
    expect(member.get_by_role("heading", level=1)).to_have_text("You are in “Autumn cohort”")
    expect(member.get_by_role("button", name="Leave “Autumn cohort”")).to_be_visible()
    shoot(member, "join-member")
