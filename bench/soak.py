"""A soak: the bench's load on every page type for minutes on end, as deployed. It passes when no
request answers 5xx and the workers' memory stays flat (RSS read from /proc every few seconds).

    python -m bench.soak [--minutes 5] [--learners 200] [--output bench/results.md]

It builds its own database (BENCH_DATABASE_URL's server, database `skilltree_soak`), starts the
app through bin/start (2 workers x 4 threads, recycling off, so a leak would show), and runs two
wrk processes side by side: 12 connections cycling every GET page of the bench (public, learner,
lead) and 4 connections clicking ratings (htmx POST). 5xx are counted from gunicorn's access log.
With --output, the figures replace the "## Soak" section of that file.
"""

import argparse
import contextlib
import datetime
import json
import os
import re
import statistics
import sys
import threading
import time
from pathlib import Path

from bench import run as bench_run
from bench import serve

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Soak"
SAMPLE_SECONDS = 5


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def sample_memory(app, stop, samples):
    """(seconds since start, {worker pid: RSS MB}) every SAMPLE_SECONDS until `stop` is set."""
    started = time.monotonic()
    while not stop.wait(SAMPLE_SECONDS):
        reading = {}
        for pid in app.worker_pids():
            with contextlib.suppress(OSError):
                reading[pid] = rss_mb(pid)
        samples.append((time.monotonic() - started, reading))


def status_counts(log_path):
    """Access-log lines by status, from the app's JSON log."""
    counts = {}
    for line in Path(log_path).read_text().splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if record.get("logger") == "gunicorn.access" and "status" in record:
            status = int(record["status"])
            counts[status] = counts.get(status, 0) + 1
    return counts


def per_worker(samples, first, last):
    """Each worker's mean RSS over the first `first` and the last `last` seconds, and minute by
    minute."""
    end = samples[-1][0]
    workers = {}
    for at, reading in samples:
        for pid, mb in reading.items():
            window = workers.setdefault(pid, {"first": [], "last": [], "minutes": {}})
            if at <= first:
                window["first"].append(mb)
            if at >= end - last:
                window["last"].append(mb)
            window["minutes"].setdefault(int(at // 60), []).append(mb)
    return {
        pid: {
            "first_min_mb": statistics.mean(w["first"]) if w["first"] else None,
            "last_min_mb": statistics.mean(w["last"]) if w["last"] else None,
            "peak_mb": max(mb for _, r in samples for p, mb in r.items() if p == pid),
            "by_minute_mb": [statistics.mean(v) for _, v in sorted(w["minutes"].items())],
        }
        for pid, w in workers.items()
    }


def soak(options):
    os.environ.update(bench_run.PRODUCTION)
    base = bench_run.DATABASE_URL.rsplit("/", 1)[0]
    os.environ["DATABASE_URL"] = bench_run.DATABASE_URL = f"{base}/skilltree_soak"
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
    bench_run.RUN_DIR.mkdir(exist_ok=True)
    sys.path.insert(0, str(ROOT))
    serve.ensure_wrk()
    bench_run.recreate_database()
    bench_run.manage("migrate", "--no-input", "--verbosity", "0")
    bench_run.manage("collectstatic", "--no-input", "--verbosity", "0")

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from bench.build import LEAD_USERNAME, LEARNER_USERNAME, PASSWORD, build

    built = build(options.learners, max(1, options.learners // 4))
    bench_run.analyze()
    User = get_user_model()
    learner = User.objects.get(username=LEARNER_USERNAME)
    page_list = bench_run.pages(built, learner, built.cohort_pk)
    connection.close()

    env = dict(os.environ)
    env.pop("DJANGO_LOG_LEVEL")
    env["DJANGO_LOG_LEVEL"] = "INFO"
    app_env = serve.gunicorn_env(env, serve.free_port())
    with serve.serving("soak-app", ["sh", "bin/start"], app_env) as app:
        app.wait_until_answers("/healthz")
        sessions = {"": serve.Client(app.port)}
        sessions["learner"] = serve.Client(app.port).log_in(LEARNER_USERNAME, PASSWORD)
        sessions["lead"] = serve.Client(app.port).log_in(LEAD_USERNAME, PASSWORD)
        gets = [page for page in page_list if not page.rating_click]
        for page in gets:
            status = sessions[page.role].get(page.path).status
            if status != 200:
                raise RuntimeError(f"{page.name} {page.path} answered {status} before the soak")
        pages_target = serve.Target(
            paths=tuple(page.path for page in gets),
            cookies=tuple(sessions[page.role].cookie_header() for page in gets),
        )
        raters = bench_run.rating_sessions(app.port, learner, PASSWORD, options)
        connection.close()
        seconds = int(options.minutes * 60)
        results = {}

        def load(name, target, connections):
            results[name] = serve.run_wrk(
                app.port, target, duration=seconds, connections=connections, threads=1
            )

        samples = []
        stop = threading.Event()
        sampler = threading.Thread(target=sample_memory, args=(app, stop, samples))
        workers = [
            threading.Thread(target=load, args=("pages", pages_target, 12)),
            threading.Thread(target=load, args=("rating clicks", raters, 4)),
        ]
        started = datetime.datetime.now(datetime.UTC)
        print(f"  soaking {seconds}s on {len(gets)} pages + rating clicks", flush=True)
        sampler.start()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        stop.set()
        sampler.join()
        healthz_after = serve.Client(app.port).get("/healthz").status
        pids_after = app.worker_pids()
    counts = status_counts(app.log_path)
    memory = per_worker(samples, 60, 60)
    report = {
        "date": started.strftime("%Y-%m-%d %H:%M UTC"),
        "minutes": options.minutes,
        "learners": options.learners,
        "pages": [page.name for page in page_list],
        "wrk": results,
        "statuses": {str(k): v for k, v in sorted(counts.items())},
        "server_errors": sum(v for k, v in counts.items() if k >= 500),
        "memory": {str(pid): m for pid, m in memory.items()},
        "workers_replaced": sorted(memory) != sorted(pids_after),
        "healthz_after": healthz_after,
        "samples": len(samples),
        "load_average": os.getloadavg(),
    }
    (bench_run.RUN_DIR / "soak.json").write_text(json.dumps(report, indent=2))
    return report


def section(report):
    pages, raters = report["wrk"]["pages"], report["wrk"]["rating clicks"]
    total = pages["requests"] + raters["requests"]
    lines = [
        SECTION,
        "",
        f"`python -m bench.soak --minutes {report['minutes']:g}` on {report['date']}: "
        f"{report['learners']} learners, the app through bin/start (2 workers x 4 threads, worker "
        "recycling off), wrk 12 connections cycling every GET page of the bench "
        f"({len(report['pages']) - 1} pages: public, learner, lead, the cohort CSV) beside 4 "
        "connections clicking ratings (htmx POST). RSS read from /proc every "
        f"{SAMPLE_SECONDS} s ({report['samples']} samples). Machine shared with other work "
        f"(load average at the end {report['load_average'][0]:.1f} on 2 cores): the speed is "
        "noisy, the 5xx count and the memory are the point.",
        "",
        "| | requests | req/s | p50 ms | p99 ms | wrk errors (non-2xx/3xx, sockets) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, result in (("every GET page", pages), ("rating clicks", raters)):
        lines.append(
            f"| {name} | {result['requests']:,} | {result['rps']:.1f} | {result['p50_ms']:.0f} "
            f"| {result['p99_ms']:.0f} | {result['errors']} |"
        )
    statuses = ", ".join(f"{k}: {v:,}" for k, v in report["statuses"].items())
    lines += [
        "",
        f"- **5xx: {report['server_errors']}** of {total:,} requests (gunicorn's access log by "
        f"status: {statuses}; wrk's error column counts any 5xx too).",
        f"- `/healthz` afterwards: {report['healthz_after']}; workers replaced during the soak: "
        f"{'yes' if report['workers_replaced'] else 'no'}.",
        "",
        "| worker | RSS first minute (MB, mean) | RSS last minute (MB, mean) | change | peak "
        "| mean by minute |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for number, memory in enumerate(report["memory"].values(), 1):
        first, last = memory["first_min_mb"], memory["last_min_mb"]
        minutes = ", ".join(f"{mb:.1f}" for mb in memory["by_minute_mb"])
        lines.append(
            f"| {number} | {first:.1f} | {last:.1f} | {last - first:+.1f} "
            f"({100 * (last - first) / first:+.1f} %) | {memory['peak_mb']:.1f} | {minutes} |"
        )
    return "\n".join(lines) + "\n"


def write_section(path, text):
    """Replace the Soak section (up to the next `## ` heading) or add it before the notes."""
    path = Path(path)
    old = path.read_text() if path.exists() else ""
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(old):
        new = pattern.sub(lambda _: text + "\n", old, count=1)
    elif bench_run.NOTES in old:
        new = old.replace(bench_run.NOTES, text + "\n" + bench_run.NOTES, 1)
    else:
        new = old.rstrip("\n") + "\n\n" + text
    path.write_text(new)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--output", default="")
    parser.add_argument("--cohort", type=int, default=0)
    options = parser.parse_args()
    report = soak(options)
    text = section(report)
    print(text)
    if options.output:
        write_section(options.output, text)
    if report["server_errors"]:
        sys.exit(f"{report['server_errors']} requests answered 5xx")


if __name__ == "__main__":
    main()
