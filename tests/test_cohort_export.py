"""The cohort CSV: one row per learner per skill, streamed."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from assessments.models import Progress
from cohorts.export import CSV_HEADER
from curriculum.models import Skill, Track
from tests.cohort_factories import claim_test, make_cohort, make_lead, make_user, save_full_audit

pytestmark = pytest.mark.django_db


def download(client, cohort):
    response = client.get(reverse("cohorts:cohort_export", args=[cohort.pk]))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="spring-cohort-')
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_export_has_one_row_per_learner_per_skill_with_what_the_lead_needs(client):
    lead = make_lead()
    track = Track.objects.first()
    ada = make_user("ada", display_name="Ada", target_track=track)
    ben = make_user("ben", display_name="Ben")
    cohort = make_cohort(lead, members=[ada, ben])
    skills = list(Skill.objects.select_related("trunk"))
    save_full_audit(ada, {skills[0]: 5, skills[1]: 1}, days_ago=200)
    audit = save_full_audit(ada, {skills[0]: 3}, days_ago=2)
    claim_test(ada, skills[0], evidence="https://github.com/ada/proof", review="verified")
    Progress.objects.create(user=ada, skill=skills[2], status="learning")
    client.force_login(lead)

    rows = download(client, cohort)

    assert list(rows[0].keys()) == CSV_HEADER
    assert len(rows) == 2 * len(skills)
    assert [row["learner"] for row in rows[:: len(skills)]] == ["Ada", "Ben"]
    first, second, third = rows[0], rows[1], rows[2]
    assert first == {
        "cohort": "Spring cohort",
        "learner": "Ada",
        "username": "ada",
        "target track": track.name,
        "trunk": skills[0].trunk.name,
        "skill": skills[0].name,
        "latest rating": "3",
        "status": "Test passed",
        "evidence link": "https://github.com/ada/proof",
        "review outcome": "Verified",
        "last audit date": audit.saved_at.date().isoformat(),
    }
    assert second["latest rating"] == ""  # rated 1 in an older audit, unrated in the latest
    assert second["status"] == "Not started"
    assert third["status"] == "Learning"
    assert third["review outcome"] == ""
    ben_row = rows[len(skills)]
    assert ben_row["target track"] == ""
    assert ben_row["latest rating"] == ""
    assert ben_row["last audit date"] == ""


def test_a_claim_waiting_for_review_says_so(client):
    lead = make_lead()
    ada = make_user("ada")
    cohort = make_cohort(lead, members=[ada])
    claim_test(ada, Skill.objects.first())
    client.force_login(lead)
    assert download(client, cohort)[0]["review outcome"] == "Waiting for review"


def test_text_a_learner_typed_cannot_run_as_a_spreadsheet_formula(client):
    lead = make_lead()
    cohort = make_cohort(lead, members=[make_user("eve", display_name="=HYPERLINK(1)")])
    client.force_login(lead)
    assert download(client, cohort)[0]["learner"] == "'=HYPERLINK(1)"


def test_export_leaves_out_other_cohorts(client):
    lead = make_lead()
    cohort = make_cohort(lead, members=[make_user("ada")])
    make_cohort(make_lead("other"), name="Other", members=[make_user("zed")])
    client.force_login(lead)
    assert {row["username"] for row in download(client, cohort)} == {"ada"}
