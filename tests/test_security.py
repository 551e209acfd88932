"""Security headers on real responses, a Content-Security-Policy the pages live under,
and login throttling with django-axes."""

import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.adapter import LOGIN_REFUSED
from tests.factories import STAFF_TOTP_SECRET, give_authenticator_app
from tests.second_factor import code_now

ADMIN_LOGIN = "/accounts/login/?next=/admin/"


def csp_directives(response):
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.django_db
def test_pages_carry_the_security_headers(client):
    response = client.get(ADMIN_LOGIN)

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_content_security_policy_allows_only_this_origin_and_nothing_inline(client):
    directives = csp_directives(client.get(ADMIN_LOGIN))

    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    policy = " ".join(value for values in directives.values() for value in values)
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "http" not in policy


@pytest.mark.django_db
def test_htmx_is_an_external_script_and_its_indicator_style_is_switched_off(client, settings):
    settings.AXES_FAILURE_LIMIT = 1
    page = post_login(client, "nobody", "wrong")  # the lockout page is built on base.html
    html = page.content.decode()

    assert "Content-Security-Policy" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert not re.search(r"<style|\sstyle=", html), "inline style"
    assert re.search(r'<script src="/static/django_htmx/htmx-2(\.min)?\.js" defer>', html)
    assert '<meta name="htmx-config" content=\'{"includeIndicatorStyles": false}\'>' in html
    assert "data-hx-headers" not in html  # a visitor's page carries no CSRF token


# Login throttling --------------------------------------------------------------------------


def post_login(client, username, password):
    return client.post(ADMIN_LOGIN, {"login": username, "password": password})


@pytest.mark.django_db
def test_repeated_failed_logins_lock_the_account_out_with_a_clear_message(
    client, staff_user, settings
):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = post_login(client, "curator", "wrong-password")
        assert response.status_code == 200
        assert LOGIN_REFUSED in response.content.decode()

    locked = post_login(client, "curator", "wrong-password")

    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Log-in paused after too many failed attempts" in page
    assert f"failed {limit} times" in page
    assert "curator" in page
    assert "ask a member of staff to unlock it" in page.lower()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_locked_out_account_stays_locked_even_with_the_right_password(
    client, staff_user, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "curator", "wrong-password")

    response = post_login(client, "curator", "curate-the-tree-42")

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lockout_is_per_username_so_other_people_can_still_log_in(
    client, staff_user, django_user_model, settings
):
    django_user_model.objects.create_user(username="second-curator", password="another-good-pass-7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "curator", "wrong-password")

    response = post_login(client, "second-curator", "another-good-pass-7")

    assert response.status_code == 302
    assert client.session["_auth_user_id"]


@pytest.mark.django_db
def test_a_successful_login_clears_earlier_failures(client, staff_user, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        post_login(client, "curator", "wrong-password")
    assert post_login(client, "curator", "curate-the-tree-42").status_code == 302
    # the curator has an authenticator app: the log-in succeeds once its code is typed
    client.post(reverse("mfa_authenticate"), {"code": code_now(STAFF_TOTP_SECRET)})
    assert client.session["_auth_user_id"]
    client.logout()

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = post_login(client, "curator", "wrong-password")

    assert response.status_code == 200


@pytest.mark.django_db
def test_staff_unlock_a_locked_out_account_in_the_admin(
    client, staff_user, django_user_model, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "curator", "wrong-password")
    assert post_login(client, "curator", "curate-the-tree-42").status_code == 429
    other_admin = django_user_model.objects.create_user(
        username="head-curator", password="x-unused-x", is_staff=True, is_superuser=True
    )
    give_authenticator_app(other_admin)
    admin_client = type(client)()
    admin_client.force_login(other_admin)

    changelist = admin_client.get("/admin/axes/accessattempt/")
    assert changelist.status_code == 200
    assert "curator" in changelist.content.decode()
    attempt = AccessAttempt.objects.get(username="curator")
    confirm = admin_client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert confirm.status_code == 302

    assert not AccessAttempt.objects.filter(username="curator").exists()
    assert post_login(client, "curator", "curate-the-tree-42").status_code == 302


@pytest.mark.django_db
def test_a_learner_locked_out_of_the_login_page_is_told_why_and_offered_a_reset(
    client, django_user_model, settings
):
    django_user_model.objects.create_user(username="ada", password="the-right-pw-42")
    login = reverse("account_login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(login, {"login": "ada", "password": "nope"}).status_code == 200

    locked = client.post(login, {"login": "ada", "password": "nope"})
    again = client.post(login, {"login": "ada", "password": "the-right-pw-42"})

    assert locked.status_code == again.status_code == 429
    page = again.content.decode()
    assert "Log-in paused after too many failed attempts" in page
    assert "Try again in 60 minutes" in page
    assert f'href="{reverse("account_reset_password")}"' in page
    assert "_auth_user_id" not in client.session


PROXY = "10.0.0.2"  # the proxy in front: every request reaches Django from its address


def post_login_through(client, forwarded_for, password="wrong-password"):
    return client.post(
        ADMIN_LOGIN,
        {"login": "curator", "password": password},
        headers={"X-Forwarded-For": forwarded_for},
        REMOTE_ADDR=PROXY,
    )


@pytest.mark.django_db
def test_behind_a_proxy_a_guessers_failed_logins_do_not_lock_out_someone_elsewhere(
    client, staff_user, settings
):
    settings.PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login_through(client, "203.0.113.5")
    assert post_login_through(client, "203.0.113.5").status_code == 429

    elsewhere = type(client)()
    response = post_login_through(elsewhere, "198.51.100.7", password="curate-the-tree-42")

    assert response.status_code == 302, "another visitor through the same proxy is not locked"
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"


@pytest.mark.django_db
def test_without_a_proxy_a_forwarded_header_cannot_claim_another_address(
    client, staff_user, settings
):
    settings.PROXY_COUNT = 0
    answers = [
        post_login_through(client, f"203.0.113.{n}").status_code
        for n in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert answers[-1] == 429, "each claimed address is the same client to the lock"
    assert post_login_through(client, "198.51.100.7", "curate-the-tree-42").status_code == 429
    assert AccessAttempt.objects.get().ip_address == PROXY
