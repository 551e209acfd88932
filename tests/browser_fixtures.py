"""Playwright fixtures for the browser journeys, loaded by tests/conftest.py as a plugin.

One Debian Chromium per test session, a fresh browser context per person, pytest-django's
``live_server`` serving the app. A test marked ``@pytest.mark.browser`` asks for:

- ``page``: a fresh, signed-out context at 1280 px, its base URL the live server, so
  ``page.goto("/tree/")`` works. It fails the test on a JavaScript error or a
  Content-Security-Policy refusal seen while it ran.
- ``new_page()``: another isolated context (a second person in the same test).
- ``log_in(page, user)``: signs ``user`` in by session cookie (fast, skips the form and axes);
  ``log_in_with_form(page, username, password)`` goes through the login page like a person.
- ``shoot(page, name)``: PNGs at 1280 and 390 px into test-artifacts/screenshots/, and a check
  that the page does not scroll sideways on a phone.
- ``assert_accessible(page)``: axe-core on the page; fails on serious or critical violations.

Playwright's ``is_visible()`` does not wait: after a click that loads a page, assert with
``expect(locator).to_be_visible()`` (from playwright.sync_api), which does.

The live server needs transactional tests, which empty the database after each test; the
curriculum comes from a data migration, so these fixtures also ask for serialized rollback,
which puts the seeded rows back before each test.

Without /usr/bin/chromium the browser tests are skipped, and the end of the run says so.
"""

import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("SKILLTREE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
BLOCKING_IMPACTS = {"serious", "critical"}

_skipped_browser_tests = pytest.StashKey[int]()


def _why_browser_cannot_run():
    if not CHROMIUM.exists():
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (make install brings it with the dev dependencies)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _why_browser_cannot_run()
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if reason is None or not browser_items:
        return
    skip = pytest.mark.skip(reason=f"browser journey skipped: {reason}")
    for item in browser_items:
        item.add_marker(skip)
    config.stash[_skipped_browser_tests] = len(browser_items)


def pytest_unconfigure(config):
    """Say it last, after the totals, so nobody mistakes a green run for a tested browser."""
    skipped = config.stash.get(_skipped_browser_tests, 0)
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if skipped and reporter is not None:
        reporter.write_sep(
            "!",
            f"{skipped} browser journeys SKIPPED: {_why_browser_cannot_run()}",
            yellow=True,
            bold=True,
        )


@pytest.fixture(autouse=True)
def _quick_password_hashing_in_browser_tests(request):
    """Browser journeys sign people up and in through forms, on a live server, on 2 CPU cores:
    hash with MD5 there so each form post does not spend a second in PBKDF2 (which still
    checks hashes made before the switch)."""
    if request.node.get_closest_marker("browser") is None:
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(scope="session")
def browser(django_db_setup):
    """One Chromium for the whole session.

    Playwright's sync API runs an event loop in this thread; from then on Django keeps its
    database connections per context instead of per thread, so this test thread gets a new
    connection object, without the serialized copy of the seeded database that the test
    database was created with. Carry that copy over, or serialized rollback restores nothing.
    """
    from django.db import connections
    from playwright.sync_api import sync_playwright

    serialized = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    with sync_playwright() as playwright:
        for alias, contents in serialized.items():
            connections[alias]._test_serialized_contents = contents
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server, django_db_serialized_rollback):
    """Make pages in fresh, isolated contexts (each one a different person's browser)."""
    contexts = []
    problems = []

    def watch(page):
        page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
        page.on(
            "console",
            lambda message: (
                problems.append(f"console: {message.text}")
                if message.type == "error" and "Content Security Policy" in message.text
                else None
            ),
        )

    def make(**options):
        options = {"viewport": DESKTOP, "base_url": live_server.url, **options}
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        watch(page)
        return page

    yield make
    for context in contexts:
        context.close()
    assert not problems, "The browser reported problems:\n" + "\n".join(problems)


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def log_in(live_server):
    """Sign a user in by handing the browser a session cookie made by the test client."""
    from django.conf import settings
    from django.test import Client

    def sign_in(page, user):
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        return page

    return sign_in


@pytest.fixture
def log_in_with_form():
    """Sign in through the login page, as a person does."""
    from django.urls import reverse

    def sign_in(page, username, password):
        page.goto(reverse("account_login"))
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.locator("main").get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        return page

    return sign_in


def _scrolls_sideways(page):
    return page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth + 1"
    )


@pytest.fixture
def shoot():
    """Screenshot a page at desktop and phone widths; fail if the phone view scrolls sideways."""

    def take(page, name, full_page=True):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        paths = []
        for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
            page.set_viewport_size(viewport)
            path = SCREENSHOTS / f"{name}-{label}.png"
            page.screenshot(path=str(path), full_page=full_page)
            paths.append(path)
            if label == "phone":
                assert not _scrolls_sideways(page), f"{name} scrolls sideways at 390 px"
        page.set_viewport_size(DESKTOP)
        return paths

    return take


@pytest.fixture(scope="session")
def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _describe(violation):
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
    return f"[{violation['impact']}] {violation['id']}: {violation['help']} at {targets}"


def accessible_at_both_widths(page, assert_accessible):
    """axe at 1280 px, then at 390 px (the menu folded, the forms one column), then back."""
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        assert_accessible(page)
    page.set_viewport_size(DESKTOP)


def look_at_each(page, pages, assert_accessible, shoot):
    """Open each (path, its h1, screenshot name): the heading is there, axe passes at both
    widths, and the page is shot."""
    from playwright.sync_api import expect

    for path, heading, name in pages:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        accessible_at_both_widths(page, assert_accessible)
        shoot(page, name)


@pytest.fixture
def assert_accessible(_axe):
    """Run axe-core on the page as it is now; serious and critical violations fail the test."""

    def check(page, context=None):
        results = _axe.run(page, context=context)
        blocking = [
            violation
            for violation in results.response["violations"]
            if violation["impact"] in BLOCKING_IMPACTS
        ]
        assert not blocking, f"axe found on {page.url}:\n" + "\n".join(map(_describe, blocking))
        return results

    return check
