"""In a real Chromium: the pages and htmx work under the Content-Security-Policy, and a person
locked out by login throttling sees why. The `page` fixture fails a test on any CSP refusal or
JavaScript error the browser reports. (Playwright's wait_for_function evaluates a string, which
this CSP forbids like any other eval: wait on locators instead.)"""

import pytest
from django.urls import reverse

from tests.browser_fixtures import DESKTOP, PHONE

pytestmark = pytest.mark.browser

PUBLIC_PAGES = ["/", "/tree/", "/tracks/", "/ladder/", "/path/", "/sources/", "/accounts/login/"]


def test_public_pages_load_htmx_under_the_csp_without_any_inline_style(page):
    for url in PUBLIC_PAGES:
        response = page.goto(url)
        assert response.status == 200, url
        assert "script-src 'self'" in response.headers["content-security-policy"]
        assert page.evaluate("typeof window.htmx") == "object", f"htmx did not load on {url}"

        assert page.evaluate("htmx.config.includeIndicatorStyles") is False, url
        assert page.locator("style").count() == 0, f"a <style> element on {url}"
        assert page.locator("[style]").count() == 0, f"a style attribute on {url}"
        # JSON data blocks (allauth's passkey settings on the log-in page) are never run
        code = page.locator('script:not([src]):not([type="application/json"])')
        assert code.count() == 0, f"an inline script on {url}"


def test_an_htmx_form_posts_with_its_csrf_header_and_swaps_in_place_under_the_csp(
    page, log_in, learner
):
    log_in(page, learner)
    page.goto(reverse("assessments:my_ladder"))
    page.evaluate("window.stillTheSamePage = true")
    requests = []
    page.on("request", lambda request: requests.append(request))

    page.locator("#ladder-form input[type=checkbox]").first.check()
    page.get_by_role("button", name="Save my signals").click()
    page.locator("#ladder-form [role=status]").wait_for()

    assert page.evaluate("window.stillTheSamePage") is True, "htmx swapped; no page load"
    (post,) = [r for r in requests if r.method == "POST"]
    assert post.headers.get("hx-request") == "true"
    assert post.headers.get("x-csrftoken")
    assert learner.signal_ticks.count() == 1
    assert page.locator("style").count() == 0


def test_a_person_locked_out_by_failed_logins_is_told_why_and_what_to_do(
    page, log_in_with_form, learner, settings, shoot, assert_accessible
):

    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in_with_form(page, "ada", "a-wrong-guess")

    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == "Log-in paused after too many failed attempts"
    assert "Logging in as ada from this address" in page.locator("main").inner_text()
    assert page.get_by_role("link", name="Reset it by email").is_visible()
    assert_accessible(page)
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)
    shoot(page, "lockout")

    log_in_with_form(page, "ada", "the-right-pw-42")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Log-in paused")
