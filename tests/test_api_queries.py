"""The API's lists answer in a fixed number of queries whatever their size (each pinned at two
sizes; the curriculum's at the seeded one and a small one): the token (one query; its last use
is written at most once a minute, so not here), then the list's own."""

import pytest
from django.test import Client

from assessments.models import Audit, Progress
from cohorts.members import member_pks
from curriculum.models import Skill, Track
from pages import bump_learner
from tests import factories

pytestmark = pytest.mark.django_db


def ask(token, path):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = Client().get(f"/api/v1{path}", headers=headers)
    assert response.status_code == 200, response.content
    return response


@pytest.mark.parametrize("size", [1, 25])
def test_a_learners_audits_and_progress_take_two_queries_each(size, django_assert_num_queries):
    learner = factories.learner()
    skills = list(Skill.objects.current()[:size])
    for days_ago in range(size):
        factories.save_full_audit(learner, {skills[0]: 3}, days_ago=days_ago + 1)
    for skill in skills:
        Progress.objects.create(user=learner, skill=skill, status=Progress.Status.LEARNING)
    _row, token = factories.access_token(learner)
    ask(token, "/me")  # its last use is noted now, not again within the minute
    # the token, then the page of rows
    with django_assert_num_queries(2):
        audits = ask(token, "/me/audits").json()["items"]
    with django_assert_num_queries(2):
        progress = ask(token, "/me/progress").json()["items"]
    assert len(audits) == Audit.objects.count() == size
    assert len(progress) == size


@pytest.mark.parametrize("size", [2, 40])
def test_a_leads_lists_take_a_fixed_number_of_queries(size, django_assert_num_queries):
    lead = factories.lead_with_cohort(size)
    cohort = lead.led_cohorts.get()
    _row, token = factories.access_token(lead)
    ask(token, f"/lead/cohorts/{cohort.pk}/members")  # the heatmap's columns are kept after
    # the token, then the cohorts with their member counts
    with django_assert_num_queries(2):
        assert len(ask(token, "/lead/cohorts").json()["items"]) == 1
    # kept until a member's or the cohort's rows change: the token, the cohort, its members
    with django_assert_num_queries(3):
        assert len(ask(token, f"/lead/cohorts/{cohort.pk}/members").json()["items"]) == size
    # computed: and the heatmap's members, progress, ratings and hype reads
    bump_learner(*member_pks(cohort))
    with django_assert_num_queries(9):
        assert len(ask(token, f"/lead/cohorts/{cohort.pk}/members").json()["items"]) == size
    # the token, then the waiting claims with their learners and self-ratings
    with django_assert_num_queries(2):
        assert len(ask(token, "/lead/evidence").json()["items"]) == size


@pytest.mark.parametrize("curriculum", ["seeded", "small"])
def test_the_curriculums_lists_take_a_fixed_number_of_queries(
    curriculum, django_assert_num_queries
):
    if curriculum == "small":
        factories.small_curriculum()
    # the trunks, then their skills (kept after: the skills list reads them too)
    with django_assert_num_queries(2):
        trunks = ask(None, "/curriculum/trunks").json()["items"]
    with django_assert_num_queries(0):
        skills = ask(None, "/curriculum/skills?limit=200").json()["items"]
    # the tracks with their depth trunks, their literacy trunks, their requirements
    with django_assert_num_queries(3):
        tracks = ask(None, "/curriculum/tracks").json()["items"]
    assert (
        len(skills)
        == Skill.objects.current().count()
        == sum(len(trunk["skills"]) for trunk in trunks)
    )
    assert len(tracks) == Track.objects.current().count()


def test_the_curriculums_lists_are_kept_after_the_first_read(django_assert_num_queries):
    for path in ("/curriculum/trunks", "/curriculum/skills", "/curriculum/tracks"):
        ask(None, path)
        with django_assert_num_queries(0):
            ask(None, path)


@pytest.mark.parametrize("size", [1, 10])
def test_a_learners_standing_is_kept_until_their_rows_change(size, django_assert_num_queries):
    learner = factories.learner()
    for days_ago in range(size):
        factories.save_full_audit(
            learner, dict.fromkeys(Skill.objects.current(), 3), days_ago=days_ago + 1
        )
    _row, token = factories.access_token(learner)
    first = ask(token, "/me/standing").json()
    # the token only
    with django_assert_num_queries(1):
        assert ask(token, "/me/standing").json() == first
    newest = factories.save_full_audit(learner, {Skill.objects.first(): 5})
    bump_learner(learner.pk)
    assert ask(token, "/me/standing").json()["audit"] == newest.pk
