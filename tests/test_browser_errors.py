"""What a user sees when things go wrong, in a real Chromium: tampered input, an expired session
in the middle of an htmx click, a revoked invite."""

import pytest
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from assessments.models import Audit, Rating
from curriculum.models import Skill
from tests.factories import LEARNER_PASSWORD

pytestmark = pytest.mark.browser


def test_a_rating_of_nine_posted_by_hand_is_refused_and_changes_nothing(page, log_in, learner):
    skill = Skill.objects.get(slug="linear-algebra")
    log_in(page, learner)
    page.goto("/audit/")
    card = page.locator(f"#skill-{skill.pk}")
    card.get_by_text("3 — can do it with help").click()
    expect(card.get_by_text("Rated 3 of 5")).to_be_visible()
    audit = Audit.objects.drafts().get(user=learner, kind="full")

    # By hand, with the page's own CSRF token and session: the server says no, in words.
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = page.request.post(
        f"/audits/{audit.pk}/rate/",
        form={f"rating-{skill.pk}": "9", "csrfmiddlewaretoken": token},
        headers={"Referer": page.url},
    )
    assert response.status == 400
    assert "1 to 5" in response.text()

    # The same through the page's own form with a tampered radio, without JavaScript's help.
    page.evaluate(
        """([id]) => {
            const radio = document.getElementById(id);
            radio.value = "9";
            radio.closest("section").removeAttribute("data-hx-post");
        }""",
        [f"rating-{skill.pk}-5"],
    )
    page.locator(f"#rating-{skill.pk}-5").check()
    # "Save ratings" is the no-JavaScript form's button; submit that form as it would.
    page.locator("form.audit-form").evaluate("form => form.requestSubmit()")
    expect(page.get_by_role("heading", level=1)).to_have_text("That didn’t work")
    expect(page.get_by_role("alert")).to_contain_text("1 to 5")
    expect(page.get_by_text("Nothing was changed.")).to_be_visible()

    assert list(Rating.objects.filter(audit=audit).values_list("skill_id", "value")) == [
        (skill.pk, 3)
    ]
    page.get_by_role("link", name="Back to your audit").click()
    expect(page.locator(f"#skill-{skill.pk}").get_by_text("Rated 3 of 5")).to_be_visible()


def test_an_expired_session_during_an_htmx_click_sends_the_learner_to_log_in(page, log_in, learner):
    first, second = Skill.objects.filter(slug__in=["linear-algebra", "calculus-and-gradients"])
    log_in(page, learner)
    page.goto("/audit/")
    page.locator(f"#skill-{first.pk}").get_by_text("2 — know what it is").click()
    expect(page.locator(f"#skill-{first.pk}").get_by_text("Rated 2 of 5")).to_be_visible()

    Session.objects.all().delete()
    page.locator(f"#skill-{second.pk}").get_by_text("4 — can do it alone").click()

    expect(page).to_have_url("/accounts/login/?next=/audit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    assert page.locator("form").filter(has=page.get_by_label("Username")).count() == 1
    assert not Rating.objects.filter(skill=second).exists()

    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill(LEARNER_PASSWORD)
    page.locator("main").get_by_role("button", name="Log in").click()
    expect(page).to_have_url("/audit/")
    expect(page.locator(f"#skill-{first.pk}").get_by_text("Rated 2 of 5")).to_be_visible()
    expect(page.locator(f"#skill-{second.pk}").get_by_role("radio", name="Unrated")).to_be_checked()
