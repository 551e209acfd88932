"""The API against its own schema, on a real server on PostgreSQL: Schemathesis sends every
operation examples made from the schema (a fixed budget each, so the run stays short), as a
learner and as a lead, and no answer is a server error or breaks the schema. The worked examples
of docs/api.md run here too, against the same server, as written in the document."""

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.v1 import api
from tests.processes import (
    ROOT,
    fetch,
    free_port,
    manage,
    postgres_database,
    production_environment,
    server,
)

pytestmark = pytest.mark.slow

EXAMPLES_PER_OPERATION = 12

WORLD = """
import json
from django.contrib.auth.models import Group
from accounts.models import User
from api.tokens import make_token
from assessments.models import Audit, Progress, Rating
from cohorts.models import Cohort, Membership
from curriculum.models import Skill, Track
from django.utils import timezone

skills = list(Skill.objects.current()[:3])
ada = User.objects.create_user("ada", "ada@example.org", target_track=Track.objects.first())
lena = User.objects.create_user("lena", "lena@example.org")
lena.groups.add(Group.objects.get(name="Cohort leads"))
cohort = Cohort.objects.create(name="Spring cohort")
cohort.leads.add(lena)
Membership.objects.create(cohort=cohort, user=ada)
audit = Audit.objects.create(user=ada, kind="full", saved_at=timezone.now())
Rating.objects.bulk_create(Rating(audit=audit, skill=skill, value=3) for skill in skills)
Progress.objects.create(
    user=ada, skill=skills[0], status="test_passed", evidence_url="https://example.org/proof",
    passed_at=timezone.now(),
)
tokens = {
    "learner": make_token(ada, name="fuzz", scope="write", days=7)[1],
    "lead": make_token(lena, name="fuzz", scope="write", days=7)[1],
    "lead_read": make_token(lena, name="csv", scope="read", days=7)[1],
    "learner_script": make_token(ada, name="script", scope="write", days=7)[1],
}
print(json.dumps(tokens))
"""


@dataclass(frozen=True)
class Site:
    base: str
    tokens: dict


@pytest.fixture(scope="module")
def api_site(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("api-site")
    with postgres_database("api") as database_url:
        site_settings = {
            "DATABASE_URL": database_url,
            "DJANGO_STATIC_ROOT": workdir / "static",
            "DJANGO_MIGRATE_ON_START": 0,
            "DJANGO_SECURE_SSL_REDIRECT": 0,
            "DJANGO_SECURE_COOKIES": 0,
            "DJANGO_CACHE_DIR": workdir / "cache",
            "DJANGO_API_RATE_LIMIT": "100000/60",
            "DJANGO_API_VISITOR_RATE_LIMIT": "100000/60",
            "GUNICORN_HOST": "127.0.0.1",
            "GUNICORN_WORKERS": 1,
            "GUNICORN_THREADS": 4,
            # Schemathesis's negative examples include query strings of several kilobytes, which
            # gunicorn refuses before the app sees them (a plain 400 past 4,094 bytes of request
            # line). The app's own answer to them is what this file checks.
            "GUNICORN_CMD_ARGS": "--limit-request-line 0",
        }
        env = production_environment(**site_settings)
        manage("migrate", "--no-input", "--verbosity", "0", env=env)
        manage("collectstatic", "--no-input", "--verbosity", "0", env=env)
        made = manage("shell", "-c", WORLD, env=env)
        tokens = json.loads(made.stdout.strip().splitlines()[-1])
        port = free_port()
        with server(
            ["bin/start"], production_environment(**site_settings, PORT=port), workdir / "log"
        ) as running:
            base = f"http://127.0.0.1:{port}"
            running.wait_until_answers(f"{base}/healthz")
            yield Site(base, tokens)
            log = running.output()
    errors = [
        line
        for line in log.splitlines()
        if '"level": "ERROR"' in line and '"logger": "django.security.' not in line
    ]
    assert not errors, "\n".join(errors)


OPERATIONS = sorted(
    operation["operationId"]
    for methods in api.get_openapi_schema()["paths"].values()
    for operation in methods.values()
)
"""Every operation of the schema this code serves (the live one is read from the server)."""


def can_go_wrong(operation):
    """Whether the schema forbids anything the operation takes (a body, a query, a number in
    its path): only then are there negative examples to send."""
    parameters = operation.get("parameters", [])
    return "requestBody" in operation or any(
        parameter["in"] == "query" or parameter["schema"].get("type") == "integer"
        for parameter in parameters
    )


CASES = sorted(
    (operation["operationId"], mode)
    for methods in api.get_openapi_schema()["paths"].values()
    for operation in methods.values()
    for mode in GenerationMode
    if mode == GenerationMode.POSITIVE or can_go_wrong(operation)
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def live_schema(api_site):
    return schemathesis.openapi.from_url(f"{api_site.base}/api/v1/openapi.json")


@pytest.mark.parametrize(
    ("operation_id", "mode"), CASES, ids=[f"{name}-{mode.value}" for name, mode in CASES]
)
def test_no_operation_answers_a_server_error_or_breaks_its_schema(
    live_schema, api_site, operation_id, mode
):
    """As the lead for the lead's operations, as the learner for the rest (the curriculum too:
    a token is accepted there); examples from the schema, a fixed number per operation, valid
    ones (positive) and ones the schema forbids (negative: refused with a documented 4xx)."""
    operation = live_schema.find_operation_by_id(operation_id)
    person = "lead" if operation.path.startswith("/api/v1/lead") else "learner"
    headers = {"Authorization": f"Bearer {api_site.tokens[person]}"}

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def answer(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    answer()


def test_without_a_token_every_operation_is_public_or_refused_with_problem_details(api_site):
    paths = json.loads(fetch(f"{api_site.base}/api/v1/openapi.json")[2])["paths"]
    for path, methods in paths.items():
        if "get" not in methods or "{" in path:
            continue
        status, headers, body = fetch(f"{api_site.base}{path}")
        if path.startswith("/api/v1/curriculum"):
            assert status == 200, path
        else:
            assert status == 401, path
            assert headers["Content-Type"].startswith("application/problem+json"), path
            assert json.loads(body)["status"] == 401


# docs/api.md, as written


def example(name, language):
    """The code block of docs/api.md marked `<!-- example: name ... -->`."""
    document = (ROOT / "docs" / "api.md").read_text()
    found = re.search(
        rf"<!-- example: {name}\b.*?-->\s*```{language}\n(.*?)```", document, re.DOTALL
    )
    assert found, f"docs/api.md has no {language} example named {name}"
    return found.group(1)


def test_the_leads_curl_example_saves_the_cohorts_progress_as_a_csv(api_site, tmp_path):
    if not shutil.which("curl"):
        pytest.skip("curl is not installed")
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", example("lead-csv", "sh")],
        cwd=tmp_path,
        env={**os.environ, "BASE": api_site.base, "TOKEN": api_site.tokens["lead_read"]},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rows = (tmp_path / "cohort-progress.csv").read_text().splitlines()
    assert rows[0].startswith("cohort,learner,username,target track")
    assert any(",ada," in row and "https://example.org/proof" in row for row in rows)
    assert result.stdout.splitlines()[0] == rows[0]


def test_the_learners_script_rates_a_skill_saves_the_audit_and_reads_the_gap(api_site, tmp_path):
    script = tmp_path / "rate.py"
    script.write_text(example("learner-script", "python"))
    result = subprocess.run(
        [sys.executable, str(script)],
        env={
            **os.environ,
            "SKILLTREE_URL": api_site.base,
            "SKILLTREE_TOKEN": api_site.tokens["learner_script"],
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Rated linear algebra 4 in draft")
    assert lines[1].startswith("Saved on 20")
    assert any("level" in line and "target" in line for line in lines[2:])
    audits = fetch(
        f"{api_site.base}/api/v1/me/audits",
        headers={"Authorization": f"Bearer {api_site.tokens['learner_script']}"},
    )
    assert json.loads(audits[2])["items"][0]["saved_at"]
