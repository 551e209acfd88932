"""What a user sees when a page fails, with DEBUG off as in production: the site's own page with
its navigation and a way back, under the right status code, never Django's bare "Not Found"."""

import re

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.management import call_command
from django.db import OperationalError, connection
from django.template.loader import render_to_string
from django.test import Client
from django.urls import path

from assessments.models import Audit
from skilltree.urls import handler500  # noqa: F401 - the site's, for the test-only URLconf
from skilltree.urls import urlpatterns as site_urlpatterns


def _forbidden(request):
    raise PermissionDenied("staff only")


def _malformed(request):
    raise SuspiciousOperation("a malformed request")


def _broken(request):
    raise RuntimeError("a bug")


def _database_down(request):
    raise OperationalError("connection refused")


# Tests marked `pytest.mark.urls(__name__)` route through the site plus three views that fail.
urlpatterns = [
    *site_urlpatterns,
    path("test-only/forbidden/", _forbidden),
    path("test-only/malformed/", _malformed),
    path("test-only/broken/", _broken),
    path("test-only/database-down/", _database_down),
]

NAV = '<nav aria-label="Main">'
HOME_LINK = '<a class="button" href="/">Back to the home page</a>'


@pytest.fixture(autouse=True)
def _debug_off(settings):
    settings.DEBUG = False


def assert_branded(response, status, heading):
    html = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert NAV in html
    assert '<a href="/tree/"' in html
    assert HOME_LINK in html
    assert f"<h1>{heading}</h1>" in html
    assert 'rel="stylesheet" href="/static/css/skilltree.css"' in html
    return html


@pytest.mark.django_db
def test_an_unknown_address_is_a_branded_404_naming_the_address(client):
    html = assert_branded(client.get("/no-such-page/"), 404, "We can’t find that page")
    assert "There is no page at <code>/no-such-page/</code>" in html
    assert "<title>Page not found · Skill Tree</title>" in html
    assert "Not Found</h1>" not in html
    assert "Browse the tree" in html


@pytest.mark.django_db
def test_an_address_with_markup_is_shown_escaped_on_the_404(client):
    html = client.get("/<script>alert(1)</script>/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<code>/%3Cscript%3Ealert%281%29%3C/script%3E/</code>" in html


@pytest.mark.django_db
def test_someone_elses_audit_is_the_same_404_with_the_signed_in_nav(
    client, learner, django_user_model
):
    other = django_user_model.objects.create_user(username="bo", password="bo-learns-ai-42")
    audit = Audit.objects.create(user=other, kind=Audit.Kind.FULL)
    client.force_login(learner)
    html = assert_branded(client.get(f"/audits/{audit.pk}/"), 404, "We can’t find that page")
    assert '<a href="/dashboard/">Dashboard</a>' in html
    assert '<a class="button button--secondary" href="/dashboard/">Your dashboard</a>' in html


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_refused_permission_is_a_branded_403(client, learner):
    client.force_login(learner)
    html = assert_branded(client.get("/test-only/forbidden/"), 403, "You can’t open this page")
    assert "staff only" not in html
    assert "Your dashboard" in html


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_suspicious_request_is_a_branded_400(client):
    html = assert_branded(
        client.get("/test-only/malformed/"), 400, "That request didn’t make sense to us"
    )
    assert "a malformed request" not in html


@pytest.mark.django_db
def test_a_request_for_a_host_the_site_does_not_serve_is_a_branded_400(client):
    response = client.get("/", HTTP_HOST="attacker.example")
    assert_branded(response, 400, "That request didn’t make sense to us")


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_crash_is_a_branded_500_without_the_traceback(client, learner):
    client.raise_request_exception = False
    client.force_login(learner)
    html = assert_branded(client.get("/test-only/broken/"), 500, "Something went wrong on our side")
    assert "RuntimeError" not in html
    assert "a bug" not in html
    assert "<title>Something went wrong · Skill Tree</title>" in html


@pytest.mark.parametrize("template", ["500.html", "503.html", "400.html"])
def test_the_pages_django_renders_without_a_request_need_no_database(template):
    """Django renders these with an empty context; this test has no database, so a template that
    queried (through a context processor, a tag or `user`) would fail here."""
    html = render_to_string(template)
    assert NAV in html
    assert HOME_LINK in html
    assert "Log in</a>" in html
    assert 'href="/static/css/skilltree.css"' in html


@pytest.mark.django_db
def test_a_form_sent_without_the_csrf_cookie_is_a_branded_403(learner):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"login": "ada", "password": "x-learns-ai-42"})
    html = assert_branded(response, 403, "We couldn’t accept that form")
    assert "Nothing was saved." in html
    assert "allow cookies for this site" in html
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_form_with_a_stale_token_is_a_branded_403_that_says_to_reload(learner):
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    response = client.post(
        "/accounts/login/",
        {"login": "ada", "password": "x-learns-ai-42", "csrfmiddlewaretoken": "x" * 64},
    )
    html = assert_branded(response, 403, "We couldn’t accept that form")
    assert "Go back, reload the page and send it again." in html


@pytest.mark.django_db
def test_too_many_failed_logins_on_the_site_answer_429_with_the_branded_lockout(
    client, learner, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"login": "ada", "password": "wrong"})
        assert response.status_code == 200

    locked = client.post("/accounts/login/", {"login": "ada", "password": "wrong"})

    html = locked.content.decode()
    assert locked.status_code == 429
    assert NAV in html
    assert "<h1>Log-in paused after too many failed attempts</h1>" in html
    assert f"failed {settings.AXES_FAILURE_LIMIT} times in a row" in html
    assert "Try again in 60 minutes" in html
    assert '<a class="button button--secondary" href="/">Back to the home page</a>' in html
    again = client.post("/accounts/login/", {"login": "ada", "password": "x-learns-ai-42"})
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def _database_refuses(execute, sql, params, many, context):
    raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")


DOWN_HEADING = "Skill Tree is unavailable for a moment"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("address", "signed_in"),
    [("/tree/", False), ("/tracks/", False), ("/tree/", True), ("/dashboard/", True)],
)
def test_while_the_database_is_down_pages_are_a_branded_503_with_retry_after(
    client, learner, signed_in, address
):
    client.raise_request_exception = False
    if signed_in:
        client.force_login(learner)
    with connection.execute_wrapper(_database_refuses):
        response = client.get(address)
    html = assert_branded(response, 503, DOWN_HEADING)
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "Connection refused" not in html
    assert "<title>Back in a moment · Skill Tree</title>" in html


@pytest.mark.django_db
def test_while_the_database_is_down_healthz_still_answers_its_json_503(client):
    with connection.execute_wrapper(_database_refuses):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
    assert "Retry-After" not in response


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_crash_that_is_not_the_database_stays_a_500(client):
    client.raise_request_exception = False
    assert client.get("/test-only/broken/").status_code == 500
    assert client.get("/test-only/database-down/").status_code == 503


def test_the_500_page_links_the_hashed_stylesheet_after_collectstatic(settings, tmp_path):
    """In production the stylesheet comes from whitenoise's manifest: the 500 page must find it."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--no-input", verbosity=0)

    html = render_to_string("500.html")

    stylesheet = re.search(r'href="/static/(css/skilltree\.[0-9a-f]{12}\.css)"', html)
    assert stylesheet
    assert (tmp_path / stylesheet.group(1)).exists()


@pytest.mark.browser
@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("address", "status", "heading", "name"),
    [
        ("/no-such-page/", 404, "We can’t find that page", "error-404"),
        ("/test-only/forbidden/", 403, "You can’t open this page", "error-403"),
        ("/test-only/malformed/", 400, "That request didn’t make sense to us", "error-400"),
        ("/test-only/broken/", 500, "Something went wrong on our side", "error-500"),
        ("/test-only/database-down/", 503, DOWN_HEADING, "error-503"),
    ],
)
def test_a_person_on_an_error_page_finds_the_way_back(
    page, shoot, assert_accessible, address, status, heading, name
):
    from playwright.sync_api import expect

    response = page.goto(address)

    assert response.status == status
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Tree")
    ).to_be_visible()
    assert_accessible(page)
    shoot(page, name)
    page.get_by_role("link", name="Back to the home page").click()
    expect(page).to_have_url("/")


@pytest.mark.browser
def test_a_login_form_sent_after_the_cookies_were_cleared_gets_the_branded_403(
    page, shoot, assert_accessible, learner
):
    from playwright.sync_api import expect

    page.goto("/accounts/login/")
    page.context.clear_cookies()
    page.get_by_label("Username").fill("ada")
    page.get_by_label("Password").fill("x-learns-ai-42")
    page.locator("main").get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("We couldn’t accept that form")
    expect(page.get_by_text("Nothing was saved.")).to_be_visible()
    assert_accessible(page)
    shoot(page, "error-403-csrf")
    page.get_by_role("link", name="Browse the tree").click()
    expect(page).to_have_url("/tree/")
