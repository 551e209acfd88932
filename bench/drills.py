"""Fault drills: PostgreSQL restarted and stopped under load, in both connection modes.

    python -m bench.drills [--modes persistent,pooled] [--outage 9] [--output drills.json]

A private PostgreSQL 15 (initdb into a temporary directory, a free port or DRILL_PG_PORT, run as the `postgres` user
when we are root) so the machine's shared server is never touched. For each mode the app runs as
deployed (bin/start, 2 workers x 4 threads) with DJANGO_DB_CONNECT_TIMEOUT=2 and either persistent
connections (DJANGO_CONN_MAX_AGE=60) or the psycopg pool (DJANGO_DB_POOL_MAX_SIZE=4), while
8 learners click ratings (htmx POST, each a different skill of their own draft, each time a value
the row did not have) and a prober GETs /healthz every 0.2 s. Then:

1. a fast restart (`pg_ctl restart -m fast`);
2. an outage: `pg_ctl stop -m fast`, `--outage` seconds down, `pg_ctl start`.

It checks the app recovers without a restart (same worker pids; within 60 s, /healthz and ratings
answer 200 in a row, and keep answering 200),
every rating the app acknowledged (200) is in the database afterwards with its value, /healthz
answered 503 during the outage and every probe answered within the connect timeout (two of
them with the psycopg pool) and 1.5 s.
"""

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import serve

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PORT = int(os.environ.get("DRILL_PG_PORT", "0"))  # 0: a free port
CONNECT_TIMEOUT = 2
WRITERS = 4  # with /healthz's prober, fewer requests at once than gunicorn's 8 threads
MODES = {
    "persistent": {"DJANGO_CONN_MAX_AGE": "60", "DJANGO_DB_POOL_MAX_SIZE": "0"},
    "pooled": {"DJANGO_CONN_MAX_AGE": "0", "DJANGO_DB_POOL_MAX_SIZE": "4"},
}


class PrivatePostgres:
    """initdb into a temporary directory; pg_ctl start/stop/restart on a port of its own."""

    def __init__(self, port=PORT):
        self.port = port or serve.free_port()
        self.root = Path(tempfile.mkdtemp(prefix="skilltree-drill-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.log = self.root / "postgres.log"
        self.socket_dir.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        self._run("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}"

    def _run(self, program, *args):
        command = [str(PG_BIN / program), *map(str, args)]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=True, timeout=120)

    def ctl(self, action, *extra):
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1"
        options += " -c fsync=on -c max_connections=100"
        self._run("pg_ctl", action, "-D", self.data, "-w", "-l", self.log, "-o", options, *extra)

    def start(self):
        self.ctl("start")

    def stop(self):
        self.ctl("stop", "-m", "fast")

    def restart(self):
        self.ctl("restart", "-m", "fast")

    def destroy(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.ctl("stop", "-m", "immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def available():
    """Why a private PostgreSQL cannot be started here, or None."""
    if not (PG_BIN / "initdb").exists():
        return f"no {PG_BIN / 'initdb'}"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "root without runuser"
    return None


@contextlib.contextmanager
def private_postgres():
    server = PrivatePostgres()
    try:
        server.start()
        yield server
    finally:
        server.destroy()


# --- the load --------------------------------------------------------------------------------


@dataclass
class Events:
    """What the load saw: (monotonic time sent, seconds taken, status or error name)."""

    started: float = field(default_factory=time.monotonic)
    health: list = field(default_factory=list)
    writes: list = field(default_factory=list)
    attempts: list = field(default_factory=list)  # (audit pk, skill pk, value, acknowledged)
    lock: threading.Lock = field(default_factory=threading.Lock)


def timed(request):
    sent = time.monotonic()
    try:
        outcome = request().status
    except OSError as error:
        outcome = type(error).__name__
    return sent, time.monotonic() - sent, outcome


def probe_health(port, stop, events):
    while not stop.wait(0.2):
        sent, took, outcome = timed(lambda: serve.Client(port).get("/healthz"))
        with events.lock:
            events.health.append((sent, took, outcome))


def click_ratings(writer, stop, events):
    """One learner rating the skills of its own draft in turn, round after round, each time with
    a value the row did not have; every attempt is recorded with whether the app acknowledged it
    (200)."""
    client, audit_pk, token, skills = writer
    path = f"/audits/{audit_pk}/rate/"
    values = dict(skills)
    while not stop.is_set():
        for skill_pk in values:
            if stop.is_set():
                return
            values[skill_pk] = values[skill_pk] % 5 + 1
            data = {f"rating-{skill_pk}": str(values[skill_pk])}
            sent, took, outcome = timed(
                lambda data=data: client.post(
                    path, data, headers={"HX-Request": "true", "X-CSRFToken": token}
                )
            )
            with events.lock:
                events.writes.append((sent, took, outcome))
                events.attempts.append((audit_pk, skill_pk, values[skill_pk], outcome == 200))
            time.sleep(0.05)


def writers(port, password):
    """WRITERS learners logged in, each with its draft, CSRF token and the skills to rate."""
    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db import connection

    from bench.run import learner_draft

    Skill = apps.get_model("curriculum", "Skill")
    Rating = apps.get_model("assessments", "Rating")
    skill_pks = list(Skill.objects.order_by("pk").values_list("pk", flat=True))
    users = get_user_model().objects.filter(username__startswith="bench-")
    users = users.exclude(username="bench-lead").order_by("pk")[:WRITERS]
    prepared = []
    for user in users:
        client = serve.Client(port).log_in(user.username, password)
        page = client.get("/audit/")
        token = client.csrf_token(page.text)
        audit_pk = learner_draft(user)
        current = dict(Rating.objects.filter(audit_id=audit_pk).values_list("skill_id", "value"))
        skills = [(pk, current.get(pk, 0)) for pk in skill_pks]
        prepared.append((client, audit_pk, token, skills))
    connection.close()
    return prepared


def lost_writes(attempts):
    """Acknowledged ratings the database does not hold: for each rating, the database must hold
    the value of the last acknowledged attempt, or of an unacknowledged one after it (a request
    that failed on the way back may still have committed)."""
    from django.apps import apps
    from django.db import connection

    Rating = apps.get_model("assessments", "Rating")
    held = {
        (audit, skill): value
        for audit, skill, value in Rating.objects.values_list("audit_id", "skill_id", "value")
    }
    connection.close()
    allowed = {}
    for audit, skill, value, acknowledged in attempts:
        if acknowledged:
            allowed[(audit, skill)] = {value}
        elif (audit, skill) in allowed:
            allowed[(audit, skill)].add(value)
    return [key for key, values in allowed.items() if held.get(key) not in values]


# --- one mode ---------------------------------------------------------------------------------


def window(rows, start, end):
    return [row for row in rows if start <= row[0] < end]


def first(rows, after, predicate):
    return next((row for row in rows if row[0] >= after and predicate(row[2])), None)


def steady(rows, after, count):
    """The first of `count` requests in a row (in the order sent, from `after` on) that answered
    200: the app has recovered, every worker of it, not only the first to reconnect. With the
    psycopg pool each process reconnects on its own back-off, seconds apart."""
    streak = []
    for row in sorted(row for row in rows if row[0] >= after):
        streak = [*streak, row] if row[2] == 200 else []
        if len(streak) == count:
            return streak[-1]
    return None


def healthz_allowance(mode):
    """How long a /healthz probe may take while PostgreSQL is down. Pooled, a probe may wait the
    pool's timeout (the connect timeout) for a connection the pool is itself failing to open
    (another connect timeout), and a probe sent as the outage begins may first meet a connection
    PostgreSQL just dropped (a third): CI's pooled drill saw one take 5.9 s with a 2 s timeout."""
    return CONNECT_TIMEOUT * (3 if mode == "pooled" else 1) + 1.5


def shortest_outage(modes):
    """An outage long enough that a probe sent as it begins answers (503) before it ends: the
    slowest probe `healthz_allowance` allows, and a second and a half more."""
    return max(healthz_allowance(mode) for mode in modes) + 1.5


def say(message):
    print(f"{time.strftime('%H:%M:%S')} {message}", flush=True)


def drill_mode(mode, postgres, database_url, options):
    from bench.build import PASSWORD

    env = {
        **os.environ,
        **MODES[mode],
        "DATABASE_URL": database_url,
        "DJANGO_DB_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT),
    }
    env.pop("DJANGO_LOG_LEVEL", None)
    with serve.serving(
        f"drill-{mode}", ["sh", "bin/start"], serve.gunicorn_env(env, serve.free_port())
    ) as app:
        app.wait_until_answers("/healthz")
        prepared = writers(app.port, PASSWORD)
        pids = sorted(app.worker_pids())
        events = Events()
        stop = threading.Event()
        threads = [threading.Thread(target=probe_health, args=(app.port, stop, events))]
        threads += [
            threading.Thread(target=click_ratings, args=(writer, stop, events))
            for writer in prepared
        ]
        for thread in threads:
            thread.start()
        time.sleep(options.settle)

        say(f"{mode}: restart")
        restart_began = time.monotonic()
        postgres.restart()
        restart_done = time.monotonic()
        time.sleep(options.settle)

        say(f"{mode}: stop")
        stop_began = time.monotonic()
        postgres.stop()
        stopped = time.monotonic()
        time.sleep(options.outage)
        postgres.start()
        back = time.monotonic()
        say(f"{mode}: started again")
        deadline = back + 60
        while time.monotonic() < deadline:
            with events.lock:
                healthy = steady(events.health, back, 3)
                written = steady(events.writes, back, 2 * WRITERS)
            if healthy and written:
                break
            time.sleep(0.2)
        say(f"{mode}: recovered")
        time.sleep(options.settle)
        stop.set()
        for thread in threads:
            thread.join(timeout=90)
        after = {
            "healthz": serve.Client(app.port).get("/healthz").status,
            "dashboard": prepared[0][0].get("/dashboard/").status,
            "tree": serve.Client(app.port).get("/tree/").status,
        }
        pids_after = sorted(app.worker_pids())
    end = time.monotonic()

    def summary(rows, start, stop_at):
        outcomes = {}
        for _, _, outcome in window(rows, start, stop_at):
            outcomes[str(outcome)] = outcomes.get(str(outcome), 0) + 1
        return outcomes

    outage_health = window(events.health, stopped, back)
    first_503 = first(events.health, stop_began, lambda outcome: outcome == 503)
    healthy_again = first(events.health, back, lambda outcome: outcome == 200)
    written_again = first(events.writes, back, lambda outcome: outcome == 200)
    steady_health = steady(events.health, back, 3)
    steady_writes = steady(events.writes, back, 2 * WRITERS)
    recovered = (
        max(row[0] + row[1] for row in (steady_health, steady_writes))
        if steady_health and steady_writes
        else end
    )
    lost = lost_writes(events.attempts)
    return {
        "mode": mode,
        "settings": MODES[mode] | {"DJANGO_DB_CONNECT_TIMEOUT": str(CONNECT_TIMEOUT)},
        "restart_seconds": restart_done - restart_began,
        "during_restart": {
            "healthz": summary(events.health, restart_began, restart_done + 1),
            "ratings": summary(events.writes, restart_began, restart_done + 1),
        },
        "after_restart": {
            "healthz": summary(events.health, restart_done + 1, stop_began - 1),
            "ratings": summary(events.writes, restart_done + 1, stop_began - 1),
        },
        "outage_seconds": back - stopped,
        "during_outage": {
            "healthz": summary(events.health, stopped, back),
            "ratings": summary(events.writes, stopped, back),
        },
        "first_503_after_stop_s": first_503[0] + first_503[1] - stop_began if first_503 else None,
        "slowest_healthz_in_outage_s": max((took for _, took, _ in outage_health), default=None),
        "healthz_200_after_start_s": healthy_again[0] + healthy_again[1] - back
        if healthy_again
        else None,
        "rating_200_after_start_s": written_again[0] + written_again[1] - back
        if written_again
        else None,
        "steady_after_start_s": recovered - back if recovered < end else None,
        "after_recovery": {
            "healthz": summary(events.health, recovered + 1, end),
            "ratings": summary(events.writes, recovered + 1, end),
        },
        "final_requests": after,
        "workers_replaced": pids != pids_after,
        "ratings_sent": len(events.writes),
        "ratings_acknowledged": sum(1 for *_, acknowledged in events.attempts if acknowledged),
        "acknowledged_but_lost": len(lost),
        "server_errors": sum(
            1 for _, _, outcome in events.health + events.writes if outcome in (500, 502, 504)
        ),
    }


def failures(result):
    """What the drill promises, as a list of broken promises (empty when it held)."""
    broken = []
    if result["acknowledged_but_lost"]:
        broken.append(f"{result['acknowledged_but_lost']} acknowledged ratings lost")
    if result["workers_replaced"]:
        broken.append("gunicorn workers were replaced")
    if any(status != 200 for status in result["final_requests"].values()):
        broken.append(f"after recovery: {result['final_requests']}")
    if result["first_503_after_stop_s"] is None:
        broken.append("/healthz never answered 503 while PostgreSQL was down")
    slowest = result["slowest_healthz_in_outage_s"]
    if slowest is None or slowest > healthz_allowance(result["mode"]):
        broken.append(f"/healthz took {slowest} s in the outage (timeout {CONNECT_TIMEOUT} s)")
    if result["steady_after_start_s"] is None:
        broken.append("not every request answered 200 within 60 s of PostgreSQL coming back")
    if result["ratings_acknowledged"] == 0:
        broken.append("no rating was acknowledged at all")
    for name, outcomes in result["after_recovery"].items():
        if set(outcomes) != {"200"}:
            broken.append(f"{name} from 1 s after recovery on: {outcomes}")
    return broken


def drill(modes, options):
    """Build a small bench database on a private PostgreSQL and drill each mode on it."""
    from bench import run as bench_run

    serve.RUN_DIR.mkdir(exist_ok=True)
    os.environ.update(bench_run.PRODUCTION)
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(ROOT))
    with private_postgres() as postgres:
        database_url = f"{postgres.url}/skilltree_drill"
        subprocess.run(
            [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(postgres.port),
             "-U", "postgres", "skilltree_drill"],
            check=True, timeout=60,
        )  # fmt: skip
        os.environ["DATABASE_URL"] = database_url
        os.environ["DJANGO_STATIC_ROOT"] = str(serve.RUN_DIR / "static")
        bench_run.manage("migrate", "--no-input", "--verbosity", "0")
        bench_run.manage("collectstatic", "--no-input", "--verbosity", "0")
        import django

        django.setup()
        from bench.build import build

        build(options.learners, max(1, options.learners // 4))
        return [drill_mode(mode, postgres, database_url, options) for mode in modes]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modes", default="persistent,pooled")
    parser.add_argument("--outage", type=float, default=9)
    parser.add_argument("--settle", type=float, default=5)
    parser.add_argument("--learners", type=int, default=20)
    parser.add_argument("--output", default=str(serve.RUN_DIR / "drills.json"))
    options = parser.parse_args()
    modes = options.modes.split(",")
    if options.outage < shortest_outage(modes):
        parser.error(
            f"--outage {options.outage} s: a probe may take up to"
            f" {max(map(healthz_allowance, modes))} s, so a shorter outage can end before any"
            f" probe sees it; give at least {shortest_outage(modes)}"
        )
    reason = available()
    if reason:
        sys.exit(f"cannot drill: {reason}")
    results = drill(modes, options)
    Path(options.output).write_text(json.dumps(results, indent=2))
    broken = []
    for result in results:
        print(json.dumps(result, indent=2))
        broken += [f"{result['mode']}: {failure}" for failure in failures(result)]
    if broken:
        sys.exit("\n".join(broken))
    print("drills passed")


if __name__ == "__main__":
    main()
