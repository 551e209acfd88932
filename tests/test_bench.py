"""The bench's data builder and page list keep up with the app, so `make bench` does not rot.

The bench itself (servers, wrk, two sizes) takes minutes: `make bench`, or `make bench-tiny`
(about 90 s) in CI. These tests check, in-process and in seconds, what it relies on.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from bench.build import CLAIMS_PER_MEMBER, LEAD_USERNAME, LEARNER_USERNAME, build, model
from bench.run import bare_median, in_process, median_run, pages

pytestmark = pytest.mark.django_db


def test_the_builder_makes_learners_with_two_full_audits_and_a_cohort_with_its_lead():
    built = build(12, 4)

    User = get_user_model()
    Audit = model("assessments.Audit")
    Rating = model("assessments.Rating")
    Progress = model("assessments.Progress")
    Cohort = model("cohorts.Cohort", "accounts.Cohort")
    skills = model("curriculum.Skill").objects.count()
    learners = User.objects.filter(username__startswith="bench-").exclude(username=LEAD_USERNAME)
    assert learners.count() == 12
    assert Audit.objects.filter(kind="full", saved_at__isnull=False).count() == 24
    assert Rating.objects.count() == built.ratings == 24 * skills
    cohort = Cohort.objects.get(pk=built.cohort_pk)
    assert list(cohort.leads.values_list("username", flat=True)) == [LEAD_USERNAME]
    assert cohort.members.count() == built.cohort_size == 4
    claims = Progress.objects.filter(user__in=cohort.members.all(), status="test_passed").exclude(
        evidence_url=""
    )
    assert claims.count() == built.claims == 4 * CLAIMS_PER_MEMBER
    assert claims.filter(review="").count() == built.waiting_claims
    assert learners.with_verified_email().count() == 12  # as learners settled in are
    assert not learners.filter(emails_chosen_at__isnull=True).exists()


def test_every_page_the_bench_loads_answers_200_to_its_user():
    built = build(6, 3)
    User = get_user_model()
    learner = User.objects.get(username=LEARNER_USERNAME)
    clients = {"": Client(), "learner": Client(), "lead": Client()}
    clients["learner"].force_login(learner)
    clients["lead"].force_login(User.objects.get(username=LEAD_USERNAME))
    skill = model("curriculum.Skill").objects.order_by("pk").first()

    bench_pages = pages(built, learner, built.cohort_pk)

    assert {page.group for page in bench_pages} == {"public", "learner", "lead", "api"}
    for page in bench_pages:
        client = clients[page.role]
        if page.rating_click:
            response = client.post(
                page.path, {f"rating-{skill.pk}": "4"}, secure=True, headers={"HX-Request": "true"}
            )
        else:
            response = client.get(page.path, secure=True, headers=page.headers)
        assert response.status_code == 200, page
    csv = next(page for page in bench_pages if page.name == "cohort CSV")
    assert b"bench-00001" in b"".join(clients["lead"].get(csv.path, secure=True).streaming_content)


def test_the_in_process_measure_counts_the_queries_of_the_measured_request():
    built = build(3, 1)
    learner = get_user_model().objects.get(username=LEARNER_USERNAME)
    client = Client()
    client.force_login(learner)
    dashboard = next(p for p in pages(built, learner, built.cohort_pk) if p.name == "dashboard")

    measured = in_process(dashboard, client, rating_field="unused")

    assert measured["queries"] >= 1, "the session with its user, even from the page cache"
    assert measured["bytes"] > 1000
    assert measured["solo_ms"] > 0


def test_a_pages_ratio_is_its_median_run_over_the_median_of_every_bare_run():
    def bare(rps, cpu_ms=0.4):
        return {"rps": rps, "cpu_ms": cpu_ms}

    def run(rps, cpu_ms, bare_after, errors=0):
        return {"rps": rps, "cpu_ms": cpu_ms, "errors": errors, "p99_ms": rps, "bare": bare_after}

    # Slow spells of the machine fell on the page's first run and on the bare runs after its
    # second and third: its own pairs would give 2571 / 1460, its own bare runs 1608.
    runs = [
        run(764, 1.6, bare(3953), errors=1),
        run(2571, 0.8, bare(1460, 0.9)),
        run(2801, 0.7, bare(1608, 0.8)),
    ]
    after_other_pages = [bare(4590), bare(4400), bare(4700), bare(1500, 0.9)]

    row = median_run(runs, *bare_median(after_other_pages + [run["bare"] for run in runs]))

    assert row["ratio"] == pytest.approx(2571 / 3953)
    assert row["rps"] == 2571 and row["p99_ms"] == 2571, "the median run's own figures"
    assert row["cpu_ratio"] == pytest.approx(0.4 / 0.8)
    assert row["errors"] == 1
    assert row["runs"] == [(764, 3953), (2571, 1460), (2801, 1608)]
    assert "bare" not in row
