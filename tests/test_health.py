"""/healthz: 200 with a small JSON body when the database answers, 503 when it does not."""

import json
import subprocess
import sys

import pytest

from tests.processes import (
    ROOT,
    closed_port,
    fetch,
    free_port,
    production_environment,
    server,
)


@pytest.mark.django_db
def test_healthz_answers_200_with_json_when_the_database_answers(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_healthz_answers_a_probe_that_addresses_the_container_by_ip(client, settings):
    settings.ALLOWED_HOSTS = ["skilltree.example.org"]

    response = client.get("/healthz", HTTP_HOST="10.0.3.7:8000")

    assert response.status_code == 200
    assert client.get("/", HTTP_HOST="10.0.3.7:8000").status_code == 400


@pytest.mark.slow
def test_healthz_answers_503_when_the_database_does_not(tmp_path):
    port = free_port()
    with closed_port() as db_port:
        env = production_environment(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{db_port}/skilltree",
            PORT=port,
            GUNICORN_HOST="127.0.0.1",
            GUNICORN_WORKERS=1,
        )
        command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"]
        with server([*command, "skilltree.wsgi:application"], env, tmp_path / "log") as gunicorn:
            url = f"http://127.0.0.1:{port}/healthz"
            for _ in range(240):
                try:
                    status, headers, body = fetch(url, timeout=10)
                    break
                except OSError:
                    assert gunicorn.process.poll() is None, gunicorn.output()
                    subprocess.run(["sleep", "0.25"], check=True)
            healthcheck = subprocess.run(
                [sys.executable, str(ROOT / "bin" / "healthcheck")],
                env={**env, "PORT": str(port)},
                capture_output=True,
                text=True,
                timeout=30,
            )
            log = gunicorn.output()

    assert status == 503
    assert json.loads(body) == {"status": "error", "database": "unavailable"}
    assert healthcheck.returncode == 1
    assert "503" in healthcheck.stderr
    warnings = [
        json.loads(line)
        for line in log.splitlines()
        if line.startswith("{") and '"skilltree.health"' in line
    ]
    assert warnings and warnings[0]["level"] == "WARNING"
    assert "does not answer" in warnings[0]["message"]
