"""The cohort CSV's memory as the cohort grows: peak traced Python memory while one request
streams the whole export, in-process. Not part of `make bench`:

    .venv/bin/python -m bench.csv_memory 500
    .venv/bin/python -m bench.csv_memory 5000

Builds its own database (`skilltree_csvmem` on the bench's PostgreSQL) with that many learners,
all in the lead's cohort, each with two full audits rating all 37 skills.
"""

import os
import sys
import time
import tracemalloc


def main(size):
    from bench import run

    database = run.DATABASE_URL.rsplit("/", 1)[0] + "/skilltree_csvmem"
    run.DATABASE_URL = database
    os.environ.update(run.PRODUCTION)
    os.environ.update({"DATABASE_URL": database, "DJANGO_LOG_LEVEL": "WARNING"})
    run.recreate_database()
    run.manage("migrate", "--no-input", "--verbosity", "0")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.build import LEAD_USERNAME, build, model

    build(size, size)
    run.analyze()
    lead = get_user_model().objects.get(username=LEAD_USERNAME)
    cohort = model("cohorts.Cohort", "accounts.Cohort").objects.get(leads=lead)
    client = Client()
    client.force_login(lead)
    tracemalloc.start()
    started = time.monotonic()
    response = client.get(f"/cohorts/{cohort.pk}/export.csv", secure=True)
    streamed = sum(len(chunk) for chunk in response.streaming_content)
    _current, peak = tracemalloc.get_traced_memory()
    print(
        f"{size:,} members: {streamed:,} bytes streamed, peak traced Python memory "
        f"{peak / 1e6:.1f} MB, {time.monotonic() - started:.1f} s"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
