"""Profile pages again against the database the last `make bench` built, without the load:

    .venv/bin/python -m bench.profile ["dashboard,cohort page"]

Prints the same summary as bench/results.md; full pyinstrument trees go to bench/.run/.
"""

import os
import sys


def main(argv):
    from bench import run

    os.environ.update(run.PRODUCTION)
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from bench.build import LEAD_USERNAME, LEARNER_USERNAME, model

    User = get_user_model()
    learner = User.objects.get(username=LEARNER_USERNAME)
    lead = User.objects.get(username=LEAD_USERNAME)
    cohort = model("cohorts.Cohort", "accounts.Cohort").objects.get(leads=lead)
    wanted = argv[0].split(",") if argv else run.PROFILED
    clients = {"": Client(), "learner": Client(), "lead": Client()}
    clients["learner"].force_login(learner)
    clients["lead"].force_login(lead)
    rating_field = f"rating-{run.first_skill_pk()}"
    rows, profiles = [], {}
    for page in run.pages(None, learner, cohort.pk):
        if page.name in wanted:
            client = clients[page.role]
            rows.append({"name": page.name, **run.in_process(page, client, rating_field)})
            profiles[page.name] = run.profile(page, client, rating_field)
    learners = User.objects.exclude(username=LEAD_USERNAME).count()
    print(run.profile_section({"learners": learners, "profiles": profiles, "rows": rows}))


if __name__ == "__main__":
    main(sys.argv[1:])
