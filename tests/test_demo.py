"""`make demo`: the site with seed_demo's cohort loaded, and logins that work as printed."""

import re
import shutil
import subprocess
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from tests.processes import ROOT, environment, fetch, free_port, server

LOGIN = re.compile(r"(demo-[a-z]+) / (\S+)")


def _seed_demo():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_migrates_seeds_the_demo_then_serves_as_deployed():
    dry_run = subprocess.run(
        ["make", "-n", "demo"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    demo = [line for line in dry_run.stdout.splitlines() if "manage.py" in line]

    commands = [c.strip() for line in demo for c in re.findall(r"manage\.py ([^;&]+)", line)]
    assert commands == [
        "migrate --no-input",
        "collectstatic --no-input -v 0",
        "seed_demo --force",
        "mail_worker",
        "runserver 127.0.0.1:8000",
    ]
    assert all("DJANGO_DEBUG=0" in line and "DJANGO_SECRET_KEY=" in line for line in demo)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_the_demo_shows_the_products_own_404_and_lets_the_lead_log_in(tmp_path):
    port = free_port()
    env = environment(
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        DJANGO_STATIC_ROOT=tmp_path / "static",
        DJANGO_CACHE_DIR=tmp_path / "cache",
        PORT=port,
    )
    base = f"http://127.0.0.1:{port}"
    with server(["make", "demo", f"PORT={port}"], env, tmp_path / "demo.log") as demo:
        demo.wait_until_answers(f"{base}/", timeout=240)

        status, _, page = fetch(f"{base}/no-such-page/")
        assert status == 404
        assert "Page not found" in page and "URLconf" not in page
        status, headers, login = fetch(f"{base}/accounts/login/")
        assert status == 200 and "Secure" not in headers.get("Set-Cookie", "")
        stylesheet = re.search(r'href="(/static/css/skilltree\.[0-9a-f]+\.css)"', login)
        assert stylesheet and fetch(base + stylesheet[1])[0] == 200
        assert "demo-lead / demo-lead-password" in demo.output()


def _logs_in(client, username, password):
    """Log in through the login form (as a person does, and as axes allows) and say who it is."""
    client.post(reverse("account_login"), {"login": username, "password": password})
    user = client.get(reverse("assessments:dashboard")).wsgi_request.user
    client.post(reverse("account_logout"))
    return user.username


@pytest.mark.django_db
def test_the_printed_logins_log_in_the_lead_and_a_learner(client, settings):
    settings.DEBUG = True

    logins = dict(LOGIN.findall(_seed_demo()))

    assert set(logins) == {"demo-lead", "demo-ada"}
    for username, password in logins.items():
        assert _logs_in(client, username, password) == username


@pytest.mark.django_db
def test_running_seed_demo_twice_prints_the_same_logins_and_they_still_work(client, settings):
    settings.DEBUG = True
    first = dict(LOGIN.findall(_seed_demo()))

    second_output = _seed_demo()

    assert "already exists: nothing changed" in second_output
    assert dict(LOGIN.findall(second_output)) == first
    for username, password in first.items():
        assert _logs_in(client, username, password) == username


@pytest.mark.django_db
def test_the_demo_lead_has_an_email_address_so_the_leads_digest_can_be_shown(settings):
    settings.DEBUG = True
    _seed_demo()

    lead = get_user_model().objects.get(username="demo-lead")

    assert lead.email == "demo-lead@example.org"
    assert lead.email_review_digest and lead.emails_chosen_at is not None
