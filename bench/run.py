"""`make bench`: build a database of each size, serve the app as deployed beside bare Django, load
every page type with wrk, and write one table per size to bench/results.md.

    python -m bench.run [--sizes 200,2000] [--duration 3] [--passes 3] [--output ...] [--profile]

Each size runs in a fresh process of its own (`--one-size N`), on a database it drops and
recreates (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/skilltree_bench).
"""

import argparse
import contextlib
import datetime
import json
import math
import os
import platform
import signal
import statistics
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUN_DIR = ROOT / "bench" / ".run"
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/skilltree_bench"
)
SECRET_KEY = "bench-only-secret-key-" + "Zq8Lr3Vx6Mp1Tn4Wk7Hc2Jf5Bd9Gs0" * 2
PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "skilltree.settings",
    "DATABASE_URL": DATABASE_URL,
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": SECRET_KEY,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "DJANGO_BEHIND_PROXY": "1",
    "DJANGO_STATIC_ROOT": str(RUN_DIR / "static"),
    # The API's reads are measured under load: no token budget stops wrk.
    "DJANGO_API_RATE_LIMIT": "100000000/60",
}
PROFILED = ("tree", "dashboard", "full audit", "cohort page", "review queue", "cohort CSV")
RATERS = 16
NOTES = "## Notes"  # a hand-written section from here on survives the next run
SOAK = "## Soak"  # bench/soak.py's section survives too


@dataclass(frozen=True)
class Page:
    group: str
    name: str
    path: str
    role: str = ""  # "", "learner" or "lead": whose session requests it
    rating_click: bool = False
    token: str = ""  # an API read: that person's personal access token, sent as Bearer

    @property
    def headers(self):
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}


def pages(built, learner, lead_cohort_pk):
    """Every page type the bench loads, by URL path (names move between apps; paths stay)."""
    from django.contrib.auth import get_user_model

    from bench.build import LEAD_USERNAME, model

    Trunk = model("curriculum.Trunk")
    Skill = model("curriculum.Skill")
    Track = model("curriculum.Track")
    Progress = model("assessments.Progress")
    trunk = Trunk.objects.order_by("pk").first()
    skill = Skill.objects.order_by("pk").first()
    track = learner.target_track or Track.objects.order_by("pk").first()
    progress = Progress.objects.filter(user=learner, status="test_passed").first()
    draft = learner_draft(learner)
    lead = get_user_model().objects.get(username=LEAD_USERNAME)
    return [
        Page("public", "home", "/"),
        Page("public", "tree", "/tree/"),
        Page("public", "trunk", f"/trunks/{trunk.slug}/"),
        Page("public", "skill", f"/skills/{skill.slug}/"),
        Page("public", "tracks", "/tracks/"),
        Page("public", "track", f"/tracks/{track.slug}/"),
        Page("public", "ladder", "/ladder/"),
        Page("public", "path", "/path/"),
        Page("public", "sources", "/sources/"),
        Page("learner", "dashboard", "/dashboard/", "learner"),
        Page("learner", "full audit", "/audit/", "learner"),
        Page("learner", "my ladder", "/progress/ladder/", "learner"),
        Page("learner", "my path", "/progress/path/", "learner"),
        Page("learner", "audit history", "/audits/", "learner"),
        Page("learner", "skill progress", f"/progress/skills/{progress.skill.slug}/", "learner"),
        Page("learner", "rating click (htmx POST)", f"/audits/{draft}/rate/", "learner", True),
        Page("lead", "cohort page", f"/cohorts/{lead_cohort_pk}/", "lead"),
        Page("lead", "review queue", "/cohorts/reviews/", "lead"),
        Page("lead", "cohort CSV", f"/cohorts/{lead_cohort_pk}/export.csv", "lead"),
        # The API's two busiest reads: a learner's standing, and a lead's members
        Page("api", "API: my standing", "/api/v1/me/standing", "learner", token=api_token(learner)),
        Page(
            "api",
            "API: cohort members",
            f"/api/v1/lead/cohorts/{lead_cohort_pk}/members",
            "lead",
            token=api_token(lead),
        ),
    ]


def api_token(user):
    """A read-only personal access token of the user's, made as the profile page makes it."""
    from api.tokens import make_token

    return make_token(user, name="bench", scope="read", days=7)[1]


def learner_draft(user):
    """The pk of the user's draft full audit, made as the audit page makes it."""
    from assessments.audits import draft_full_audit

    return draft_full_audit(user).pk


def first_skill_pk():

    from bench.build import model

    return model("curriculum.Skill").objects.order_by("pk").values_list("pk", flat=True).first()


# --- one size, in its own process -------------------------------------------------------------


def recreate_database():
    import psycopg

    base, name = DATABASE_URL.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def analyze():
    """Statistics for the planner, then the freshly written pages flushed to disk now, so that
    no checkpoint or autovacuum of the build takes the CPU from the load later (a superuser's
    CHECKPOINT; skipped where the role may not)."""
    import psycopg

    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
        with contextlib.suppress(psycopg.errors.InsufficientPrivilege):
            connection.execute("CHECKPOINT")


def manage(*args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=os.environ, check=True)


def consume(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def send(page, client, rating_field):
    """The page's request through Django's test Client: a GET, or the htmx rating click."""
    if page.rating_click:
        return client.post(
            page.path, {rating_field: "3"}, secure=True, headers={"HX-Request": "true"}
        )
    return client.get(page.path, secure=True, headers=page.headers)


def in_process(page, client, rating_field):
    """One request through Django's test Client: queries, bytes, and the median of five timings."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def request():
        return send(page, client, rating_field)

    consume(request())  # warm: template loading, first connection
    with CaptureQueriesContext(connection) as queries:
        response = request()
        body = consume(response)
    count = len(queries)  # read now: the next request empties the connection's query log
    slowest = sorted(queries.captured_queries, key=lambda query: -float(query["time"]))[:3]
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        consume(request())
        timings.append((time.perf_counter() - started) * 1000)
    if response.status_code != 200:
        raise RuntimeError(f"{page.name} {page.path} answered {response.status_code} in-process")
    return {
        "queries": count,
        "bytes": len(body),
        "solo_ms": statistics.median(timings),
        "slowest_queries": [
            {"ms": 1000 * float(query["time"]), "sql": query["sql"][:300]} for query in slowest
        ],
    }


def profile(page, client, rating_field, seconds=3.0):
    """pyinstrument over repeated in-process requests: where the wall-clock time goes."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    deadline = time.monotonic() + seconds
    runs = 0
    profiler.start()
    while time.monotonic() < deadline or runs < 5:
        consume(send(page, client, rating_field))
        runs += 1
    profiler.stop()
    (RUN_DIR / f"profile-{page.name.replace(' ', '-')}.txt").write_text(
        profiler.output_text(unicode=True, color=False, show_all=False)
    )
    return summarise(profiler.last_session.root_frame(), runs)


def _where(file_path):
    """The kind of code a file holds, or None for stdlib, builtins and asgiref's Local (they
    count as their caller's kind)."""
    path = file_path or ""
    if "/django/db/" in path or "psycopg" in path:
        return "database (ORM + psycopg, incl. waiting on PostgreSQL)"
    if "/django/template/" in path or "template_partials" in path:
        return "template engine"
    if "/django/utils/formats.py" in path or "/django/utils/translation/" in path:
        return "number and date localisation (formats, translation)"
    if "/django/urls/" in path:
        return "URL reversing and resolving"
    if any(part in path for part in ("/django/utils/html.py", "/django/utils/safestring.py")):
        return "escaping (html.py, safestring)"
    if "/django/utils/functional.py" in path:
        return "lazy objects and cached properties (functional.py)"
    if path.startswith(f"{ROOT / 'bench'}/") or "/asgiref/" in path:
        return None
    if str(ROOT) in path and "/.venv/" not in path and "/site-packages/" not in path:
        return "app code (own time)"
    if "/django/" in path:
        return "Django other (handlers, middleware, sessions, auth, forms)"
    if "/site-packages/" in path:
        return "third-party"
    return None


def _inclusive_name(frame):
    """App functions by name; Django's render() as the whole template phase; None otherwise."""
    path = frame.file_path or ""
    if frame.function == "render" and path.endswith("django/shortcuts.py"):
        return ("render() = all template rendering", "django/shortcuts.py", frame.line_no)
    if _where(path) == "app code (own time)" and frame.function != "__call__":
        return (frame.function, frame.file_path_short or "", frame.line_no)
    return None


def summarise(root, runs):
    """Own time by kind of code (stdlib and builtins count as their caller's kind), the app's
    functions by inclusive time, and the hottest functions by own time."""
    own = {}
    kinds = {}
    inclusive = {}

    def walk(frame, stack, inherited):
        children = [child for child in frame.children if not child.is_synthetic]
        self_time = frame.time - sum(child.time for child in children)
        kind = _where(frame.file_path) or inherited
        if not frame.is_synthetic:
            key = (frame.function, frame.file_path_short or "", frame.line_no)
            own[key] = own.get(key, 0) + self_time
            kinds[kind] = kinds.get(kind, 0) + self_time
            name = _inclusive_name(frame)
            if name and name not in stack:
                inclusive[name] = inclusive.get(name, 0) + frame.time
                stack = stack | {name}
        for child in children:
            walk(child, stack, kind)

    walk(root, frozenset(), "other")
    total = root.time or 1

    def top(table, n):
        ranked = sorted(table.items(), key=lambda item: -item[1])[:n]
        return [
            {"function": function, "where": f"{path}:{line}", "pct": 100 * time / total}
            for (function, path, line), time in ranked
        ]

    return {
        "runs": runs,
        "ms_per_request": 1000 * total / runs,
        "kinds": {k: 100 * t / total for k, t in sorted(kinds.items(), key=lambda kv: -kv[1])},
        "app_inclusive": top(inclusive, 8),
        "own": top(own, 10),
    }


def measure_size(learners, options):
    os.environ.update(PRODUCTION)
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
    RUN_DIR.mkdir(exist_ok=True)
    sys.path.insert(0, str(ROOT))
    started = time.monotonic()
    recreate_database()
    manage("migrate", "--no-input", "--verbosity", "0")
    manage("collectstatic", "--no-input", "--verbosity", "0")

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client as DjangoClient

    from bench import serve
    from bench.build import LEAD_USERNAME, LEARNER_USERNAME, PASSWORD, build

    cohort_size = options.cohort or max(1, learners // 4)
    built = build(learners, cohort_size)
    analyze()
    build_seconds = time.monotonic() - started
    print(f"  built {learners} learners in {build_seconds:.0f}s: {built}", flush=True)

    User = get_user_model()
    learner = User.objects.get(username=LEARNER_USERNAME)
    lead = User.objects.get(username=LEAD_USERNAME)
    page_list = pages(built, learner, built.cohort_pk)
    if options.pages:
        wanted = {name.strip() for name in options.pages.split(",")}
        page_list = [page for page in page_list if page.name in wanted]
    rating_field = f"rating-{first_skill_pk()}"

    django_clients = {"": DjangoClient(), "learner": DjangoClient(), "lead": DjangoClient()}
    django_clients["learner"].force_login(learner)
    django_clients["lead"].force_login(lead)
    from django.db import connection

    rows = {}
    for page in page_list:
        rows[page.name] = {
            **asdict(page),
            **in_process(page, django_clients[page.role], rating_field),
        }
    profiles = {}
    if options.profile:
        for page in page_list:
            if page.name in PROFILED:
                print(f"  profiling {page.name}", flush=True)
                profiles[page.name] = profile(page, django_clients[page.role], rating_field)
    connection.close()

    load = {"duration": options.duration, "connections": options.connections}
    load["threads"] = options.threads
    passes = options.passes
    env = dict(os.environ)
    env.pop("DJANGO_LOG_LEVEL")
    with serve.start_bare(env) as bare, serve.start_app(env) as app:
        bare.wait_until_answers("/")
        app.wait_until_answers("/healthz")
        sessions = {"": serve.Client(app.port)}
        sessions["learner"] = serve.Client(app.port).log_in(LEARNER_USERNAME, PASSWORD)
        sessions["lead"] = serve.Client(app.port).log_in(LEAD_USERNAME, PASSWORD)
        raters = rating_sessions(app.port, learner, PASSWORD, options)

        def verify(page):
            response = sessions[page.role].get(page.path, headers=page.headers)
            if response.status != 200:
                raise RuntimeError(f"{page.name} {page.path} answered {response.status}")

        def loaded(server, target, solo_ms=0):
            """wrk's numbers after an uncounted 1 s warm-up, and the CPU the server's workers
            spent per request meanwhile. A slow page gets longer, so that every connection
            finishes a few requests."""
            duration = max(
                load["duration"], min(30, math.ceil(solo_ms * load["connections"] / 600))
            )
            serve.run_wrk(server.port, target, **{**load, "duration": 1})
            server.wait_until_idle()
            cpu = server.worker_cpu_seconds()
            result = serve.run_wrk(server.port, target, **{**load, "duration": duration})
            result["duration_s"] = duration
            spent = server.worker_cpu_seconds() - cpu
            result["cpu_ms"] = 1000 * spent / max(result["requests"], 1)
            server.wait_until_idle()
            return result

        def bare_run():
            result = loaded(bare, serve.Target.get("/"))
            print(f"  bare Django: {result['rps']:.0f} req/s", flush=True)
            return result

        targets = {}
        for page in page_list:
            if page.rating_click:
                targets[page.name] = raters
            else:
                verify(page)
                targets[page.name] = serve.Target.get(
                    page.path,
                    "" if page.token else sessions[page.role].cookie_header(),
                    page.headers.get("Authorization", ""),
                )
        # Every page once per pass, each run with one of bare Django's right after it: now and
        # then the machine gives the bench a third of its usual speed for seconds at a time,
        # and runs of one page back to back would all fall in it.
        bare_runs = []
        runs = {page.name: [] for page in page_list}
        for _ in range(passes):
            for page in page_list:
                result = loaded(app, targets[page.name], rows[page.name]["solo_ms"])
                result["worker_peak_rss_mb"] = app.worker_peak_rss_mb()
                print(
                    f"  {page.name}: {result['rps']:.1f} req/s, "
                    f"p99 {result['p99_ms']:.0f} ms, {result['errors']} errors",
                    flush=True,
                )
                result["bare"] = bare_run()
                bare_runs.append(result["bare"])
                runs[page.name].append(result)
    bare_rps, bare_cpu_ms = bare_median(bare_runs)
    for name, page_runs in runs.items():
        rows[name].update(median_run(page_runs, bare_rps, bare_cpu_ms))
    return {
        "learners": learners,
        "cohort_size": built.cohort_size,
        "claims": built.claims,
        "waiting_claims": built.waiting_claims,
        "ratings": built.ratings,
        "build_seconds": build_seconds,
        "bare": bare_runs,
        "bare_rps": bare_rps,
        "bare_cpu_ms": bare_cpu_ms,
        "rows": list(rows.values()),
        "profiles": profiles,
        "load": load,
    }


def bare_median(bare_runs):
    """Bare Django's req/s and worker CPU per request at one size: the medians of all its runs,
    one made after each page's run, which every page's ratio is taken against."""
    return (
        statistics.median(run["rps"] for run in bare_runs),
        statistics.median(run["cpu_ms"] for run in bare_runs),
    )


def median_run(page_runs, bare_rps, bare_cpu_ms):
    """A page's row from its runs: its median run by req/s, over the median of all bare Django
    runs at that size (one right after each page's run). The machine's slow spells (a third of
    the usual speed, for seconds at a time) hit runs one by one, a page's or a bare one, even
    two made back to back: so neither a single run nor a pair stands for the page, the middle
    of many does."""
    ordered = sorted(page_runs, key=lambda run: run["rps"])
    middle = ordered[len(ordered) // 2]
    return {
        **{key: value for key, value in middle.items() if key != "bare"},
        "ratio": middle["rps"] / bare_rps,
        "cpu_ratio": bare_cpu_ms / middle["cpu_ms"] if middle["cpu_ms"] else 0,
        "errors": sum(run["errors"] for run in page_runs),
        "runs": [(run["rps"], run["bare"]["rps"]) for run in page_runs],
    }


def rating_sessions(port, learner, password, options):
    """The htmx click: up to RATERS learners in the cohort, each logged in and rating its own
    draft (one learner clicking from 16 connections would only measure its row lock)."""
    from django.contrib.auth import get_user_model

    from bench import serve

    field = f"rating-{first_skill_pk()}"
    users = list(get_user_model().objects.filter(username__startswith="bench-").exclude(
        username="bench-lead").order_by("pk")[:RATERS])  # fmt: skip
    cookies, paths, tokens = [], [], []
    for user in users:
        session = serve.Client(port).log_in(user.username, password)
        page = session.get("/audit/")
        token = session.csrf_token(page.text)
        if page.status != 200 or token is None:
            raise RuntimeError(f"the audit page for {user.username} answered {page.status}")
        path = f"/audits/{learner_draft(user)}/rate/"
        click = session.post(
            path, {field: "2"}, headers={"HX-Request": "true", "X-CSRFToken": token}
        )
        if click.status != 200:
            raise RuntimeError(f"the rating click for {user.username} answered {click.status}")
        cookies.append(session.cookie_header())
        paths.append(path)
        tokens.append(token)
    return serve.Target(
        paths=tuple(paths), cookies=tuple(cookies), tokens=tuple(tokens), post_field=field
    )


# --- the whole run: every size, then the report ------------------------------------------------


def machine():
    import django

    def command(*args):
        try:
            return subprocess.run(args, capture_output=True, text=True).stdout.strip()
        except OSError:
            return "?"

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    mem_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    import gunicorn
    import psycopg

    base = DATABASE_URL.rsplit("/", 1)[0]
    with psycopg.connect(f"{base}/postgres") as connection:
        postgres = connection.execute("SHOW server_version").fetchone()[0]
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": command("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": mem_kb / 1024 / 1024,
        "load": os.getloadavg(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "postgres": postgres,
        "wrk": command("wrk", "--version").splitlines()[0] if command("wrk", "--version") else "?",
        "shared_cache": (
            f"Redis at {os.environ['REDIS_URL']} (REDIS_URL)"
            if os.environ.get("REDIS_URL")
            else "files in DJANGO_CACHE_DIR (no REDIS_URL: one server's default, in /dev/shm)"
        ),
    }


def table(result):
    bare_runs = ", ".join(f"{run['rps']:.0f}" for run in result["bare"])
    lines = [
        f"### {result['learners']:,} learners (cohort of {result['cohort_size']:,}, "
        f"{result['claims']:,} evidence claims, {result['waiting_claims']:,} waiting)",
        "",
        f"Bare Django: {result['bare_rps']:.0f} req/s, the median of its runs, one after each "
        f"page's run ({bare_runs}); "
        f"p50 {result['bare'][0]['p50_ms']:.1f} ms, p99 {result['bare'][0]['p99_ms']:.1f} ms; "
        f"{result['bare_cpu_ms']:.2f} ms of worker CPU per request.",
        "",
        "| page | req/s | ratio | p50 ms | p99 ms | queries | HTML bytes | 1 request ms "
        "| worker CPU ms/req | CPU ratio | errors | worker peak RSS MB "
        "| its runs: req/s : bare Django's |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["rows"]:
        rss = row.get("worker_peak_rss_mb")
        if not row["requests"]:
            row.update(p50_ms=float("nan"), p99_ms=float("nan"))
        lines.append(
            f"| {row['group']}: {row['name']} | {row['rps']:.1f} | {row['ratio']:.3f} "
            f"| {row['p50_ms']:.0f} | {row['p99_ms']:.0f} | {row['queries']} "
            f"| {row['bytes']:,} | {row['solo_ms']:.1f} | {row['cpu_ms']:.1f} "
            f"| {row['cpu_ratio']:.3f} | {row['errors']} | {f'{rss:.0f}' if rss else '?'} "
            f"| {' / '.join(f'{rps:.0f} : {bare:.0f}' for rps, bare in row.get('runs', ()))} |"
        )
    return "\n".join(lines)


def profile_section(result):
    lines = [f"### Where the time goes ({result['learners']:,} learners)", ""]
    for name, summary in result["profiles"].items():
        lines += [
            f"**{name}**: {summary['ms_per_request']:.1f} ms per request in-process "
            f"(pyinstrument, {summary['runs']} requests).",
            "",
            "Own time by kind of code: "
            + "; ".join(f"{kind} {pct:.0f}%" for kind, pct in summary["kinds"].items() if pct >= 1)
            + ".",
            "",
            "App functions, time including what they call:",
            "",
        ]
        lines += [
            f"- {item['pct']:.0f}% `{item['function']}` ({item['where']})"
            for item in summary["app_inclusive"]
            if item["pct"] >= 2
        ]
        lines += ["", "Hottest functions, own time:", ""]
        lines += [
            f"- {item['pct']:.1f}% `{item['function']}` ({item['where']})"
            for item in summary["own"][:6]
        ]
        row = next(row for row in result["rows"] if row["name"] == name)
        lines += ["", f"Slowest of its {row['queries']} queries (one request, not under load):", ""]
        lines += [
            f"- {query['ms']:.1f} ms: `{query['sql'][:200]}…`" for query in row["slowest_queries"]
        ]
        lines.append("")
    return "\n".join(lines)


def slow_queries_section(result, at_least_ms=10):
    lines = [
        f"### Slowest query of each page ({result['learners']:,} learners, one request, "
        f"at least {at_least_ms} ms)",
        "",
    ]
    for row in result["rows"]:
        if row["slowest_queries"] and row["slowest_queries"][0]["ms"] >= at_least_ms:
            query = row["slowest_queries"][0]
            lines.append(f"- {row['name']}, {query['ms']:.0f} ms: `{query['sql'][:240]}…`")
    return "\n".join(lines) + "\n"


def report(results, info, options):
    lines = [
        "# Skill Tree bench results",
        "",
        "Written by `make bench` (bench/run.py); regenerate rather than edit. Ratio is the "
        "page's requests per second (its median run) over bare Django's (the median of its runs "
        "at that size, one right after each page's run). Absolute numbers drift on a shared "
        "machine; ratios hold better.",
        "",
        "## Machine",
        "",
        f"- {info['date']}, commit {info['commit']}",
        f"- {info['cpus']} CPUs ({info['cpu']}), {info['ram_gb']:.0f} GB RAM; load average "
        f"at the start {info['load'][0]:.1f} (the machine is shared: other work ran meanwhile)",
        f"- Python {info['python']}, Django {info['django']}, gunicorn {info['gunicorn']}, "
        f"PostgreSQL {info['postgres']}, {info['wrk']}",
        f"- The version tokens every process reads (settings.CACHES['shared']): "
        f"{info['shared_cache']}; pages and fragments in each process's memory",
        "",
        "## How",
        "",
        f"- Load: wrk, {options.threads} threads, {options.connections} connections, "
        f"{options.passes} runs of {options.duration} s per page, on the same machine as the "
        "servers and PostgreSQL; a slow page runs longer (its one-request time x connections / "
        "0.6 s, at most 30 s) so that each connection completes a few requests. wrk's timeout "
        f"is 30 s. The bench goes over every page {options.passes} times (passes), each run "
        "after an uncounted 1 s warm-up of the same load and followed by a run of bare Django "
        "made the same way; a page's row is its median run by req/s (its req/s, latencies and "
        "CPU; errors are of all runs), and the last column has all its runs, each beside the "
        "bare run after it. Now and then the machine runs the bench at a third of its usual "
        "speed for seconds at a time, a page's run or a bare one alike, even one of two made "
        "back to back: so a page's ratio is the middle of its runs over the middle of all "
        "bare runs, not a run or a pair.",
        "- Both servers: gunicorn with gunicorn.conf.py (2 workers x 4 threads, gthread, "
        "access log on); the app through bin/start with DEBUG off, a secret key, "
        "ALLOWED_HOSTS, DJANGO_BEHIND_PROXY=1 and `X-Forwarded-Proto: https` on every request "
        "as from the TLS proxy; persistent database connections (the default CONN_MAX_AGE). "
        "Worker recycling (GUNICORN_MAX_REQUESTS) is off for both: bare Django would recycle "
        "its workers every second.",
        "- Bare Django: bench/bare/, one view returning a small HTML page, no middleware, no "
        "database.",
        "- Sessions: the learner and the lead log in through the login form. The rating click "
        f"is an htmx POST (HX-Request, CSRF header and cookie) cycling over {RATERS} learners, "
        "each rating one skill in their own draft; each wrk thread has its own share of them, "
        "so no learner clicks from two connections at once.",
        "- queries, HTML bytes and '1 request ms' (median of five) come from one request "
        "through Django's test Client in the bench process against the same database; the "
        "CSV's bytes are the whole streamed file.",
        "- Worker CPU ms/req: user + system CPU of the server's workers during the page's load "
        "over the requests served (PostgreSQL's own CPU not included). CPU ratio is bare "
        "Django's CPU per request over the page's: it barely moves when other work shares the "
        "machine, so it is the steadier of the two ratios; req/s ratio also counts time spent "
        "waiting on PostgreSQL and on locks.",
        "- Worker peak RSS: the largest VmHWM among the app's workers after the page's median "
        "run (cumulative: it counts every run before it, of every page, in all passes so far).",
        "- Data: every learner has two saved full audits rating every skill, two skills "
        "learning, one test passed with evidence; cohort members pass three, a fifth of them "
        "reviewed; a cohort of a quarter of the learners with one lead; every learner has "
        "answered the dashboard's one-time question about email and verified their address.",
        "",
        "## Results",
        "",
    ]
    for result in results:
        lines += [table(result), ""]
    lines += [slow_queries_section(results[-1]), ""]
    for result in results:
        if result["profiles"]:
            lines += [profile_section(result), ""]
    return "\n".join(lines).rstrip() + "\n"


def kept_sections(output):
    """What the last results file holds that this run does not write: the soak's section
    (bench/soak.py) and the hand-written notes, from their headings on."""
    kept = output.read_text() if output.exists() else ""
    sections = []
    if SOAK in kept:
        start = kept.index(SOAK)
        end = kept.find("\n## ", start + len(SOAK))
        sections.append(kept[start : end + 1 if end != -1 else len(kept)])
    if NOTES in kept:
        sections.append(kept[kept.index(NOTES) :])
    return sections


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "200,2000"))
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", 3)))
    parser.add_argument(
        "--passes",
        type=int,
        default=int(os.environ.get("BENCH_PASSES", 3)),
        help="passes over every page (a run of each); a page's median run by req/s counts",
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--cohort", type=int, default=0, help="cohort size (default learners/4)")
    parser.add_argument("--pages", default="", help="comma-separated page names (default all)")
    parser.add_argument("--output", default=os.environ.get("BENCH_OUTPUT", "bench/results.md"))
    parser.add_argument(
        "--profile",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="profile some pages at the largest size (default: when it has 2,000+ learners)",
    )
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)

    if options.one_size:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the servers on the way out
        result = measure_size(options.one_size, options)
        Path(options.json).write_text(json.dumps(result, indent=1))
        return 0

    from bench.serve import ensure_wrk

    ensure_wrk()
    RUN_DIR.mkdir(exist_ok=True)
    sizes = [int(size) for size in options.sizes.split(",") if size.strip()]
    profile_at = (
        max(sizes) if options.profile or (options.profile is None and max(sizes) >= 2000) else None
    )
    if profile_at:
        try:
            import pyinstrument  # noqa: F401
        except ImportError:
            subprocess.run(
                [sys.executable, "-m", "pip", "install", "-q", "pyinstrument"], check=True
            )
    info = machine()
    results = []
    for size in sizes:
        print(f"== {size} learners", flush=True)
        out = RUN_DIR / f"result-{size}.json"
        args = [sys.executable, "-m", "bench.run", "--one-size", str(size), "--json", str(out)]
        args += ["--duration", str(options.duration), "--passes", str(options.passes)]
        args += ["--connections", str(options.connections)]
        args += ["--threads", str(options.threads), "--cohort", str(options.cohort)]
        args += ["--pages", options.pages, "--profile" if size == profile_at else "--no-profile"]
        subprocess.run(args, cwd=ROOT, check=True)
        results.append(json.loads(out.read_text()))
    text = report(results, info, options)
    output = ROOT / options.output
    text += "".join("\n" + section for section in kept_sections(output))
    output.write_text(text)
    print()
    print("\n\n".join(table(result) for result in results))
    print(f"\nwritten to {options.output}")
    failed = [row["name"] for result in results for row in result["rows"] if row["errors"]]
    if failed:
        print(f"requests failed under load (see bench/.run/app.log): {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
