""" "Aim for this track": on each track page and in the dashboard's fit table."""

import pytest
from django.urls import reverse

from curriculum.models import Skill, Track
from tests.factories import AuditFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def research():
    return Track.objects.get(slug="research-scientist")


def aim_url(track):
    return reverse("aim_track", args=[track.slug])


def test_posting_sets_the_target_track_and_goes_back_to_next(learner_client, learner, research):
    response = learner_client.post(aim_url(research), {"next": reverse("assessments:dashboard")})
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:dashboard")
    learner.refresh_from_db()
    assert learner.target_track == research


def test_without_next_it_goes_back_to_the_track(learner_client, research):
    response = learner_client.post(aim_url(research))
    assert response["Location"] == research.get_absolute_url()


def test_an_offsite_next_is_ignored(learner_client, research):
    response = learner_client.post(aim_url(research), {"next": "https://evil.example/"})
    assert response["Location"] == research.get_absolute_url()


def test_get_is_refused(learner_client, learner, research):
    assert learner_client.get(aim_url(research)).status_code == 405
    learner.refresh_from_db()
    assert learner.target_track is None


def test_an_unknown_track_is_404(learner_client):
    response = learner_client.post(reverse("aim_track", args=["no-such-track"]))
    assert response.status_code == 404


def test_a_visitor_is_sent_to_log_in_and_nothing_changes(client, research):
    response = client.post(aim_url(research))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_htmx_aimed_at_the_button_gets_the_buttons_new_state(learner_client, learner, research):
    response = learner_client.post(
        aim_url(research),
        headers={"HX-Request": "true", "HX-Target": f"aim-{research.slug}"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your target track" in html
    assert "Saved: your dashboard and audits now measure your gap to Research Scientist" in html
    assert "<html" not in html
    learner.refresh_from_db()
    assert learner.target_track == research


def test_the_track_page_offers_the_button_to_a_learner(learner_client, research):
    html = learner_client.get(research.get_absolute_url()).content.decode()
    assert f'action="{aim_url(research)}"' in html
    assert f'data-hx-post="{aim_url(research)}"' in html
    assert "Aim for this track" in html


def test_the_track_page_says_when_it_is_already_the_target(client, learner, research):
    learner.target_track = research
    learner.save()
    client.force_login(learner)
    html = client.get(research.get_absolute_url()).content.decode()
    assert "Your target track" in html
    assert f'action="{aim_url(research)}"' not in html


def test_a_visitor_is_asked_to_sign_up_to_aim(client, research):
    html = client.get(research.get_absolute_url()).content.decode()
    assert "Sign up to aim for this track" in html
    assert f'action="{aim_url(research)}"' not in html


def test_the_fit_table_has_a_button_for_every_track_but_the_target(learner_client, learner):
    target = Track.objects.first()
    learner.target_track = target
    learner.save()
    AuditFactory(user=learner, ratings=dict.fromkeys(Skill.objects.all()[:3], 3))
    html = learner_client.get(reverse("assessments:dashboard")).content.decode()
    for track in Track.objects.exclude(pk=target.pk):
        assert f'action="{aim_url(track)}"' in html
    assert f'action="{aim_url(target)}"' not in html
    assert 'data-hx-select="#main"' in html


def test_the_fit_table_form_without_javascript_lands_back_on_the_dashboard(learner_client, learner):
    AuditFactory(user=learner, ratings=dict.fromkeys(Skill.objects.all()[:3], 3))
    other = Track.objects.last()
    response = learner_client.post(aim_url(other), {"next": reverse("assessments:dashboard")})
    page = learner_client.get(response["Location"]).content.decode()
    assert f"gap to {other.name}" in page
    assert f"You are aiming for {other.name} now" in page
