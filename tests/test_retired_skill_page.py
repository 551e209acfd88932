"""A retired skill's page (issue 22, item 4): it says the skill was retired and when, offers
nothing to start, asks search engines not to index it, and stays reachable from a learner's
past audits."""

import pytest
from django.urls import reverse

from curriculum.models import Skill
from tests.factories import save_full_audit

pytestmark = pytest.mark.django_db


def _retire(slug="causal-thinking"):
    skill = Skill.objects.get(slug=slug)
    skill.retired = True
    skill.save(update_fields=["retired"])
    skill.refresh_from_db()
    return skill


def test_retiring_a_skill_dates_it_and_restoring_clears_the_date():
    skill = _retire()
    assert skill.retired_at is not None
    skill.retired = False
    skill.save()
    skill.refresh_from_db()
    assert skill.retired_at is None


def test_a_retired_skills_page_says_it_was_retired_and_when(client):
    skill = _retire()
    response = client.get(skill.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    day = skill.retired_at.strftime("%-d %B %Y")
    assert f"This skill was retired on {day}." in page
    assert '<meta name="robots" content="noindex">' in page


def test_a_retired_skills_page_invites_no_one_to_track_it(client, learner):
    skill = _retire()
    page = client.get(skill.get_absolute_url()).content.decode()
    assert "to track your progress on this skill" not in page
    assert 'id="progress"' not in page
    client.force_login(learner)
    page = client.get(skill.get_absolute_url()).content.decode()
    assert "Save progress" not in page
    assert 'id="progress"' not in page


def test_a_current_skills_page_is_indexed_and_invites_visitors(client):
    skill = Skill.objects.get(slug="causal-thinking")
    page = client.get(skill.get_absolute_url()).content.decode()
    assert 'name="robots"' not in page
    assert "This skill was retired" not in page
    assert "to track your progress on this skill" in page


def test_a_learners_past_audit_links_to_the_retired_skills_page(client, learner):
    skill = Skill.objects.get(slug="causal-thinking")
    audit = save_full_audit(learner, {skill: 3})
    _retire()
    client.force_login(learner)
    page = client.get(reverse("assessments:audit_ratings", args=[audit.pk])).content.decode()
    assert f'href="{skill.get_absolute_url()}"' in page
    assert client.get(skill.get_absolute_url()).status_code == 200
