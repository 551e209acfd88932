"""The curator's journey in a real Chromium: the admin, and what it changes on the public pages."""

import pytest

pytestmark = pytest.mark.browser


def test_staff_signed_in_by_cookie_reaches_the_admin_index(page, log_in, staff_user):
    page.goto("/admin/")
    assert "/admin/login/" in page.url

    log_in(page, staff_user)
    page.goto("/admin/")

    assert "/admin/login/" not in page.url
    assert page.get_by_role("heading", name="Site administration").is_visible()
