"""The dashboard's next steps (issue 22 items 7, 8, 10, 11): one click starts a skill, track fit
waits for enough ratings, "choose your target track" leads to the tracks compared, and "then and
now" says what it still needs."""

import pytest
from django.urls import reverse

from assessments.gaps import FIT_RATINGS_PER_BUCKET, ratings_needed
from assessments.models import Progress
from curriculum.models import BaselineQuestion, Bucket, Skill, Track
from tests.factories import AuditFactory, ProgressFactory, other_learner

DASHBOARD = reverse("assessments:dashboard")
TRACKS = reverse("curriculum:tracks")


def start_url(skill):
    return reverse("assessments:start_learning", args=[skill.slug])


@pytest.fixture
def skill():
    return Skill.objects.get(slug="causal-thinking")


@pytest.fixture
def aiming(learner):
    learner.target_track = Track.objects.get(slug="research-scientist")
    learner.save()
    AuditFactory(user=learner, ratings={"linear-algebra": 1, "causal-thinking": 2})
    return learner


def _progress(user, skill):
    return Progress.objects.filter(user=user, skill=skill)


# 7. "Start learning it": one click


@pytest.mark.django_db
def test_the_dashboard_offers_start_learning_as_a_button_that_posts(client, aiming, skill):
    client.force_login(aiming)
    html = client.get(DASHBOARD).content.decode()
    assert f'action="{start_url(skill)}"' in html
    assert f'data-hx-post="{start_url(skill)}"' in html
    assert 'name="csrfmiddlewaretoken"' in html


@pytest.mark.django_db
def test_one_click_without_javascript_starts_the_skill_and_goes_back(client, aiming, skill):
    client.force_login(aiming)
    response = client.post(start_url(skill), {"next": DASHBOARD}, follow=True)
    assert response.redirect_chain[-1][0] == DASHBOARD
    assert f"You are learning {skill.name} now." in response.content.decode()
    progress = _progress(aiming, skill).get()
    assert progress.status == Progress.Status.LEARNING
    assert progress.learning_since is not None


@pytest.mark.django_db
def test_one_click_with_htmx_returns_the_cards_new_action(client, aiming, skill):
    client.force_login(aiming)
    response = client.post(start_url(skill), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "you are learning it now" in html
    assert reverse("assessments:skill_progress", args=[skill.slug]) in html
    assert f'action="{start_url(skill)}"' not in html
    assert _progress(aiming, skill).get().status == Progress.Status.LEARNING


@pytest.mark.django_db
def test_a_double_click_makes_one_row(client, aiming, skill):
    client.force_login(aiming)
    client.post(start_url(skill))
    since = _progress(aiming, skill).get().learning_since
    response = client.post(start_url(skill), follow=True)
    assert _progress(aiming, skill).count() == 1
    assert _progress(aiming, skill).get().learning_since == since
    assert "already “Learning”: nothing changed" in response.content.decode()


@pytest.mark.django_db
def test_a_stale_click_never_undoes_a_passed_test(client, aiming, skill):
    ProgressFactory(user=aiming, skill=skill, passed=True)
    client.force_login(aiming)
    client.post(start_url(skill))
    assert _progress(aiming, skill).get().status == Progress.Status.TEST_PASSED


@pytest.mark.django_db
def test_it_changes_only_the_learners_own_progress(client, aiming, skill):
    someone = other_learner()
    ProgressFactory(user=someone, skill=skill, passed=True)
    client.force_login(aiming)
    client.post(start_url(skill), {"user": someone.pk, "progress": someone.pk})
    assert _progress(someone, skill).get().status == Progress.Status.TEST_PASSED
    assert _progress(aiming, skill).get().status == Progress.Status.LEARNING


@pytest.mark.django_db
def test_get_a_retired_or_unknown_skill_and_a_visitor_are_refused(client, aiming, skill):
    client.force_login(aiming)
    assert client.get(start_url(skill)).status_code == 405
    retired = Skill.objects.exclude(pk=skill.pk).first()
    retired.retired = True
    retired.save()
    assert client.post(start_url(retired)).status_code == 404
    assert client.post("/progress/skills/no-such-skill/start/").status_code == 404
    client.logout()
    response = client.post(start_url(skill))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Progress.objects.exists()


@pytest.mark.django_db
def test_without_a_csrf_token_nothing_starts(aiming, skill):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(aiming)
    assert client.post(start_url(skill)).status_code == 403
    assert not _progress(aiming, skill).exists()


# 8. Track fit waits for enough ratings


def test_a_bucket_below_the_threshold_needs_the_rest_of_it():
    assert ratings_needed(rated=FIT_RATINGS_PER_BUCKET - 1, available=10) == 1
    assert ratings_needed(rated=0, available=10) == FIT_RATINGS_PER_BUCKET


def test_a_bucket_at_or_above_the_threshold_needs_nothing():
    assert ratings_needed(rated=FIT_RATINGS_PER_BUCKET, available=10) == 0
    assert ratings_needed(rated=FIT_RATINGS_PER_BUCKET + 3, available=10) == 0


def test_a_bucket_with_fewer_skills_than_the_threshold_needs_them_all():
    assert ratings_needed(rated=0, available=1) == 1
    assert ratings_needed(rated=1, available=1) == 0


@pytest.mark.django_db
def test_one_rating_ranks_no_track_and_says_how_many_more_it_needs(client, learner):
    AuditFactory(user=learner, ratings={"communicating-to-non-technical-stakeholders": 5})
    client.force_login(learner)
    html = client.get(DASHBOARD).content.decode()
    fit = html[html.index('id="fit-heading"') :]
    assert "not ranked yet: too few ratings" in fit
    assert "closest fit first" not in fit
    needed = 3 * FIT_RATINGS_PER_BUCKET + 1  # two buckets untouched, Communication one short
    assert f"not ranked: needs {needed} more ratings" in fit
    assert "1 more in Communication" in fit
    assert f'href="{reverse("assessments:audit")}">rate more skills in the full audit' in fit


@pytest.mark.django_db
def test_enough_ratings_in_every_bucket_rank_the_tracks(client, learner):
    ratings = {}
    for bucket in Bucket.objects.all():
        for skill in Skill.objects.filter(bucket=bucket)[:FIT_RATINGS_PER_BUCKET]:
            ratings[skill] = 3
    AuditFactory(user=learner, ratings=ratings)
    client.force_login(learner)
    html = client.get(DASHBOARD).content.decode()
    fit = html[html.index('id="fit-heading"') :]
    assert "The seven tracks, closest fit first" in fit
    assert "not ranked" not in fit


@pytest.mark.django_db
def test_a_quick_audit_covers_its_buckets_and_ranks_the_tracks(client, learner):
    AuditFactory(user=learner, quick=True, answers=dict.fromkeys(BaselineQuestion.objects.all(), 3))
    client.force_login(learner)
    html = client.get(DASHBOARD).content.decode()
    assert "The seven tracks, closest fit first" in html


# 10. "Choose your target track" goes to the tracks compared


@pytest.mark.django_db
def test_choose_your_target_track_leads_to_the_tracks_with_a_button_each(client, learner):
    client.force_login(learner)
    html = client.get(DASHBOARD).content.decode()
    assert f'href="{TRACKS}#aim-for-a-track">Choose your target track</a>' in html
    tracks = client.get(TRACKS).content.decode()
    assert 'id="aim-for-a-track"' in tracks
    for track in Track.objects.current():
        assert f'action="{reverse("aim_track", args=[track.slug])}"' in tracks
    assert f'name="next" value="{DASHBOARD}"' in tracks


@pytest.mark.django_db
def test_aiming_from_the_tracks_lands_on_the_dashboard_with_a_message(client, learner):
    track = Track.objects.get(slug="research-scientist")
    client.force_login(learner)
    response = client.post(
        reverse("aim_track", args=[track.slug]), {"next": DASHBOARD}, follow=True
    )
    assert response.redirect_chain[-1][0] == DASHBOARD
    html = response.content.decode()
    assert f"You are aiming for {track.name} now" in html
    assert f"Your gap to {track.name}" in html
    learner.refresh_from_db()
    assert learner.target_track == track
    tracks = client.get(TRACKS).content.decode()
    assert f'action="{reverse("aim_track", args=[track.slug])}"' not in tracks
    assert "Your target track" in tracks


@pytest.mark.django_db
def test_a_visitor_sees_the_tracks_without_aim_buttons(client):
    html = client.get(TRACKS).content.decode()
    assert "cheat-sheet" in html
    assert 'id="aim-for-a-track"' not in html


# 11. Then and now says what it needs


@pytest.mark.django_db
def test_then_and_now_tells_a_quick_auditor_it_needs_two_full_audits(client, learner):
    AuditFactory(user=learner, quick=True, answers=dict.fromkeys(BaselineQuestion.objects.all(), 3))
    client.force_login(learner)
    html = client.get(DASHBOARD).content.decode()
    then_now = html[html.index('id="then-now-heading"') :]
    assert "After your next audit" not in then_now
    assert "you have one quick audit so far" in then_now
    assert "save a full audit" in then_now
    assert "then another one in a few weeks" in then_now


@pytest.mark.django_db
def test_then_and_now_tells_a_full_auditor_it_needs_another_full_audit(client, aiming):
    client.force_login(aiming)
    html = client.get(DASHBOARD).content.decode()
    then_now = html[html.index('id="then-now-heading"') :]
    assert "After your next audit" not in then_now
    assert "is your first, so there is nothing before it to compare" in then_now
    assert "Each full audit you save after it shows here how your ratings moved" in then_now
