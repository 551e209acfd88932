"""The cohort CSV: one row per learner per skill, streamed."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from assessments.models import Progress
from cohorts.export import CSV_HEADER, export_rows
from curriculum.models import Skill, Track
from tests.factories import claim_test, make_cohort, make_lead, make_user, save_full_audit

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
        "status": "Verified",
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


def test_a_test_a_lead_sent_back_reads_needs_work_as_on_every_page(client):
    lead = make_lead()
    ada = make_user("ada")
    cohort = make_cohort(lead, members=[ada])
    skill = Skill.objects.first()
    claim_test(ada, skill, review="needs_work")
    client.force_login(lead)
    row = download(client, cohort)[0]
    assert (row["skill"], row["status"], row["review outcome"]) == (
        skill.name,
        "Needs work",
        "Needs work",
    )


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


def test_curriculum_names_cannot_run_as_a_spreadsheet_formula_either(client):
    """Issue 12, finding 9: track, trunk and skill names get the same guard as learners' text."""
    lead = make_lead()
    track = Track.objects.first()
    track.name = "=cmd|' /C calc'!A0"
    track.save()
    skill = Skill.objects.select_related("trunk").first()
    skill.name = "+SUM(1)"
    skill.save()
    skill.trunk.name = "@trunk"
    skill.trunk.save()
    ada = make_user("ada", display_name="-Ada", target_track=track)
    cohort = make_cohort(lead, name="=Cohort", members=[ada])
    client.force_login(lead)
    response = client.get(reverse("cohorts:cohort_export", args=[cohort.pk]))
    body = b"".join(response.streaming_content).decode()
    first = list(csv.DictReader(io.StringIO(body)))[0]
    assert first["target track"] == "'=cmd|' /C calc'!A0"
    assert first["skill"] == "'+SUM(1)"
    assert first["trunk"] == "'@trunk"
    assert first["learner"] == "'-Ada"
    assert first["cohort"] == "'=Cohort"
    for row in csv.reader(io.StringIO(body)):
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row)


def test_the_export_streams_one_chunk_per_learner(client, django_assert_num_queries):
    lead = make_lead()
    learners = [make_user(f"learner{i}") for i in range(4)]
    cohort = make_cohort(lead, members=learners)
    client.force_login(lead)
    response = client.get(reverse("cohorts:cohort_export", args=[cohort.pk]))
    assert response.streaming
    chunks = list(response.streaming_content)
    assert len(chunks) == 1 + len(learners)
    assert chunks[0].decode() == ",".join(CSV_HEADER) + "\r\n"
    assert all(chunk.decode().count("\r\n") == Skill.objects.count() for chunk in chunks[1:])


@pytest.mark.parametrize("size", [3, 60])
def test_the_exports_queries_do_not_grow_with_the_learners(client, django_assert_num_queries, size):
    from tests.factories import bulk_cohort

    lead = make_lead()
    cohort = bulk_cohort(lead, size)
    client.force_login(lead)
    response = client.get(reverse("cohorts:cohort_export", args=[cohort.pk]))
    with django_assert_num_queries(4):  # skills, learners, ratings, progress
        chunks = list(response.streaming_content)
    assert len(chunks) == 1 + size


def test_a_large_cohort_is_read_a_chunk_of_learners_at_a_time(django_assert_num_queries):
    """Three queries per chunk (learners, their ratings, their progress), never per learner."""
    lead = make_lead()
    learners = [make_user(f"learner{i}", display_name=f"L{i}") for i in range(5)]
    cohort = make_cohort(lead, members=learners)
    skills = list(Skill.objects.all())
    for i, learner in enumerate(learners):
        save_full_audit(learner, {skills[i]: 1 + i}, days_ago=i + 1)
        claim_test(learner, skills[-1 - i])
    with django_assert_num_queries(1 + 3 * 3):
        chunks = list(export_rows(cohort, chunk_size=2))
    rows = [row for chunk in chunks[1:] for row in chunk]
    assert [row[2] for row in rows[:: len(skills)]] == [f"learner{i}" for i in range(5)]
    for i in range(5):
        mine = {row[5]: row for row in rows if row[2] == f"learner{i}"}
        assert mine[skills[i].name][6] == 1 + i
        assert mine[skills[-1 - i].name][7] == "Test passed"
        assert sum(row[6] != "" for row in mine.values()) == 1


@pytest.mark.parametrize("server_side_cursors", [True, False])
def test_the_export_survives_server_side_cursors_off(client, monkeypatch, server_side_cursors):
    """PgBouncer in transaction mode needs DISABLE_SERVER_SIDE_CURSORS: the export reads plain
    chunks, so it is the same either way and never leaves a cursor open on the server."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("server-side cursors are a PostgreSQL matter")
    from tests.factories import bulk_cohort

    monkeypatch.setitem(
        connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", not server_side_cursors
    )
    monkeypatch.setattr("cohorts.export.LEARNERS_PER_CHUNK", 7)
    lead = make_lead()
    cohort = bulk_cohort(lead, 30)
    client.force_login(lead)
    response = client.get(reverse("cohorts:cohort_export", args=[cohort.pk]))
    stream = iter(response.streaming_content)
    head = [next(stream), next(stream)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_cursors")
        assert cursor.fetchone()[0] == 0
    rows = list(csv.reader(io.StringIO(b"".join(head + list(stream)).decode())))
    assert len(rows) == 1 + 30 * Skill.objects.count()
    assert [row[2] for row in rows[1 :: Skill.objects.count()]] == sorted(
        cohort.members.values_list("username", flat=True)
    )
