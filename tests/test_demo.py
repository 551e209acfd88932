"""`make demo`: the site with seed_demo's cohort loaded, and logins that work as printed."""

import re
import shutil
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.processes import ROOT

LOGIN = re.compile(r"(demo-[a-z]+) / (\S+)")


def _seed_demo():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_demo_migrates_seeds_the_demo_then_serves_like_make_run():
    def commands(target):
        dry_run = subprocess.run(
            ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=True
        )
        return [line for line in dry_run.stdout.splitlines() if "manage.py" in line]

    demo = commands("demo")
    assert [line.split("manage.py ")[1] for line in demo] == [
        "migrate --no-input",
        "seed_demo",
        "runserver 127.0.0.1:8000",
    ]
    run = commands("run")
    assert demo[0] == run[0] and demo[-1] == run[-1]


def _logs_in(client, username, password):
    """Log in through the login form (as a person does, and as axes allows) and say who it is."""
    client.post(reverse("login"), {"username": username, "password": password})
    user = client.get(reverse("assessments:dashboard")).wsgi_request.user
    client.post(reverse("logout"))
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
