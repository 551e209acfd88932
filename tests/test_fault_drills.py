"""Issue 12's fault drills: the app keeps answering, and loses nothing it acknowledged, while what
it depends on fails. PostgreSQL on a private server of its own (bench/drills.py), never the shared
one; the mail server and Redis on a closed port and on one that accepts and never answers.
All start processes or wait on timeouts: marked `slow`.
"""

import contextlib
import json
import socket
import sys
import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from bench import drills
from tests.outbox import sent_mail
from tests.processes import closed_port, environment, postgres_database, run

pytestmark = pytest.mark.slow

User = get_user_model()


@contextlib.contextmanager
def silent_port():
    """A port that accepts connections and never answers: a server that hangs."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield sock.getsockname()[1]


def test_drill_refuses_an_outage_shorter_than_its_slowest_allowed_probe(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["drills", "--modes", "pooled", "--outage", "3"])

    with pytest.raises(SystemExit) as refused:
        drills.main()

    assert refused.value.code == 2
    assert "--outage 3.0 s" in capsys.readouterr().err


# PostgreSQL restarted (pg_ctl restart) and stopped under a load of rating clicks, for as long as
# `drills.shortest_outage` says: longer than the slowest probe the drill allows, or the outage can
# end before a probe sees it (CI's pooled drill once sent no request in a 3 s outage).


@pytest.mark.parametrize("mode", ["persistent", "pooled"])
def test_postgresql_restart_and_outage_under_load_lose_no_acknowledged_rating(mode, tmp_path):
    reason = drills.available()
    if reason:
        pytest.skip(f"no private PostgreSQL: {reason}")
    output = tmp_path / "drill.json"
    outage = str(drills.shortest_outage([mode]))

    result = run(
        [sys.executable, "-m", "bench.drills", "--modes", mode, "--outage", outage, "--settle", "3",
         "--output", output],
        env=environment(), timeout=600, check=False,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    [drill] = json.loads(output.read_text())
    assert drill["ratings_acknowledged"] > 0
    assert drill["acknowledged_but_lost"] == 0
    assert drill["workers_replaced"] is False
    assert drill["first_503_after_stop_s"] is not None
    assert drill["slowest_healthz_in_outage_s"] <= drills.healthz_allowance(mode)
    assert drill["healthz_200_after_start_s"] is not None
    assert drill["steady_after_start_s"] is not None
    assert set(drill["after_recovery"]["ratings"]) == {"200"}
    assert drill["final_requests"] == {"healthz": 200, "dashboard": 200, "tree": 200}


# The mail server down: a password reset still answers at once


@pytest.mark.django_db
@pytest.mark.parametrize("mail_server", [closed_port, silent_port], ids=["refused", "hung"])
def test_a_password_reset_answers_at_once_with_the_real_smtp_backend_down(
    client, settings, caplog, mail_server
):
    User.objects.create_user(
        username="ada", email="ada@example.org", password="orchard-lantern-41-quietly"
    )
    with mail_server() as port:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_TIMEOUT = 3

        started = time.monotonic()
        response = client.post(reverse("account_reset_password"), {"email": "ada@example.org"})
        took = time.monotonic() - started
        sent_mail()

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert took < 2
    assert "could not send" in caplog.text


# Redis down: pages still served, as deployed


PUBLIC_PAGES = ["/", "/tree/", "/tracks/", "/ladder/", "/path/"]
LEARNER_PAGES = ["/dashboard/", "/audit/", "/progress/ladder/", "/progress/path/", "/audits/"]
PASSWORD = "orchard-lantern-41-quietly"


@pytest.fixture(scope="module")
def migrated_database():
    with postgres_database("redisdown") as url:
        env = environment(DATABASE_URL=url, DJANGO_SETTINGS_MODULE="skilltree.settings")
        run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], env=env, timeout=300)
        create = (
            "from django.contrib.auth import get_user_model; "
            f"get_user_model().objects.create_user('drill', 'drill@example.org', '{PASSWORD}')"
        )
        run([sys.executable, "manage.py", "shell", "-c", create], env=env)
        yield url


@pytest.mark.parametrize("redis_server", [closed_port, silent_port], ids=["refused", "hung"])
def test_public_and_learner_pages_answer_with_redis_down(migrated_database, redis_server):
    pytest.importorskip("redis")
    from django.conf import settings

    if not hasattr(settings, "REDIS_URL"):
        pytest.skip("no Redis cache in this version (settings has no REDIS_URL)")
    from bench import run as bench_run
    from bench import serve

    serve.RUN_DIR.mkdir(exist_ok=True)
    with redis_server() as port:
        env = environment(
            **{
                **bench_run.PRODUCTION,
                "DATABASE_URL": migrated_database,
                "REDIS_URL": f"redis://127.0.0.1:{port}/0",
                "DJANGO_STATIC_ROOT": str(serve.RUN_DIR / "static"),
            }
        )
        run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"], env=env)
        app_env = serve.gunicorn_env(env, serve.free_port())
        with serve.serving(f"redis-down-{port}", ["sh", "bin/start"], app_env) as app:
            app.wait_until_answers("/healthz")
            visitor = serve.Client(app.port)
            answers = {}
            for path in PUBLIC_PAGES:
                started = time.monotonic()
                answers[path] = (visitor.get(path).status, time.monotonic() - started)
            learner = serve.Client(app.port).log_in("drill", PASSWORD)
            for path in LEARNER_PAGES:
                started = time.monotonic()
                answers[path] = (learner.get(path).status, time.monotonic() - started)

    assert {path: status for path, (status, _) in answers.items()} == dict.fromkeys(answers, 200)
    # A read gives up after the 50 ms socket timeout, and then the worker leaves the shared cache
    # alone for a few seconds (pages.shared_backoff): most pages don't wait at all.
    took = sorted(seconds for _, seconds in answers.values())
    assert took[-1] < 1.5, answers
    assert took[len(took) // 2] < 0.3, answers
