"""Anonymous visitors browse the whole curriculum."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import capfirst

from curriculum.models import (
    Bucket,
    LadderLevel,
    LadderSignal,
    RequirementLevel,
    Resource,
    Skill,
    Track,
    Trunk,
)

pytestmark = pytest.mark.django_db


def test_home_shows_the_six_trunks_and_links_to_every_section(client):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    for trunk in Trunk.objects.all():
        assert trunk.name in page
        assert trunk.get_absolute_url() in page
    for name in ["tree", "tracks", "ladder", "path", "sources"]:
        assert reverse(f"curriculum:{name}") in page


def test_tree_lists_every_skill_under_its_trunk(client):
    response = client.get(reverse("curriculum:tree"))
    assert response.status_code == 200
    page = response.content.decode()
    for skill in Skill.objects.all():
        assert skill.get_absolute_url() in page
    for trunk in Trunk.objects.all():
        # three drawings, and each of its skills' rows in the table
        assert page.count(f'href="{trunk.get_absolute_url()}"') == 3 + trunk.skills.count()


def test_trunk_page_shows_summary_and_its_skills(client):
    trunk = Trunk.objects.get(slug="ml-fundamentals")
    response = client.get(trunk.get_absolute_url())
    assert response.status_code == 200
    assert escape(trunk.summary) in response.content.decode()
    for skill in trunk.skills.all():
        assert skill.name in response.content.decode()


def test_skill_page_shows_the_bar_the_test_and_each_resource_once(client):
    skill = Skill.objects.get(slug="causal-thinking")
    response = client.get(skill.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    for fragment in [skill.mastery, skill.test]:
        assert escape(capfirst(fragment)) in page
    assert page.count('href="https://mixtape.scunning.com"') == 1
    for text in [skill.free_resource, skill.resource_text]:
        assert escape(text) not in page


def test_a_curators_edit_of_a_resource_is_what_the_skill_page_shows(client):
    resource = Resource.objects.get(skill__slug="causal-thinking")
    old_title = resource.title
    resource.title = "A curator’s pick for causal thinking"
    resource.is_free = False
    resource.save()
    page = client.get(resource.skill.get_absolute_url()).content.decode()
    assert "A curator’s pick for causal thinking" in page
    assert old_title not in page
    assert ">Free<" not in page


def test_the_seeds_fragments_read_as_sentences_but_are_stored_as_written(client, learner):
    skill = Skill.objects.get(slug="linear-algebra")
    assert skill.mastery.startswith("you can read a matrix")
    assert skill.test.startswith("implement matrix multiplication")
    client.force_login(learner)

    pages = {
        "skill": client.get(skill.get_absolute_url()).content.decode(),
        "trunk": client.get(skill.trunk.get_absolute_url()).content.decode(),
        "progress": client.get(
            reverse("assessments:skill_progress", args=[skill.slug])
        ).content.decode(),
    }

    assert "You can read a matrix" in pages["skill"]
    assert "Implement matrix multiplication" in pages["skill"]
    assert "You can read a matrix" in pages["trunk"]
    assert "Implement matrix multiplication" in pages["progress"]
    for html in pages.values():
        assert ">you can read a matrix" not in html
        assert ">implement matrix multiplication" not in html
    skill.refresh_from_db()
    assert skill.mastery.startswith("you can read a matrix")


def test_retired_resource_is_no_longer_shown(client):
    resource = Resource.objects.get(skill__slug="causal-thinking")
    resource.retired = True
    resource.save()
    response = client.get(resource.skill.get_absolute_url())
    assert resource.url not in response.content.decode()
    assert Resource.objects.filter(pk=resource.pk).exists()


def test_tracks_page_shows_the_cheat_sheet_in_seed_order(client):
    response = client.get(reverse("curriculum:tracks"))
    assert response.status_code == 200
    page = response.content.decode()
    header = page.index('<th scope="col">Technical</th>')
    assert header < page.index('<th scope="col">Research</th>')
    assert page.index('<th scope="col">Research</th>') < page.index(
        '<th scope="col">Communication</th>'
    )
    assert page.index('<th scope="col">Communication</th>') < page.index(
        '<th scope="col">Domain</th>'
    )
    row = page[page.index("Policy and Governance</a></th>") :]
    row = row[: row.index("</tr>")]
    assert [cell.split("</td>")[0] for cell in row.split("<td>")[1:]] == [
        "Low–Med (literacy)",
        "High (analysis)",
        "Very high",
        "Law / econ / IR / policy",
    ]
    assert "“Very high” = this is the thing you’ll be hired on" in page


def test_track_page_shows_requirements_trunks_and_very_high_skills(client):
    track = Track.objects.get(slug="research-scientist")
    response = client.get(track.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Math, heavy" in page
    assert track.depth_trunk.name in page
    for trunk in track.literacy_trunks.all():
        assert trunk.name in page
    research = Bucket.objects.get(short_name="Research")
    for skill in research.skills.all():
        assert skill.name in page
    assert "Linear algebra</a>" not in page


def test_track_without_a_very_high_bucket_shows_the_skills_of_its_highest_level(client):
    track = Track.objects.get(slug="interpretability")
    page = client.get(track.get_absolute_url()).content.decode()
    assert "Skills behind its “High” buckets" in page
    assert "Mechanistic interpretability</a>" in page
    assert "Linear algebra</a>" not in page


def test_track_strongest_needs_follow_the_targets_a_curator_sets(client):
    track = Track.objects.get(slug="research-scientist")
    RequirementLevel.objects.filter(name="Very high").update(name="Hired on")
    page = client.get(track.get_absolute_url()).content.decode()
    assert "Skills behind its “Hired on” buckets" in page
    assert "Causal thinking</a>" in page


def test_home_invites_visitors_to_sign_up_and_learners_to_their_dashboard(client, learner):
    assert reverse("account_signup") in client.get("/").content.decode()
    client.force_login(learner)
    page = client.get("/").content.decode()
    assert reverse("assessments:dashboard") in page
    assert reverse("account_signup") not in page


def test_ladder_page_shows_levels_and_every_signal(client):
    response = client.get(reverse("curriculum:ladder"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Training &amp; Customizing Models" in page
    assert "Getting high-quality results from AI through clear instructions" in page
    for signal in LadderSignal.objects.all():
        assert escape(signal.text) in page
    assert page.count("<h3>Signals you’ve mastered Level") == LadderLevel.objects.count() > 1
    assert "Transcribe audio into text from the terminal using Whisper." in page


def test_path_page_shows_phases_and_failure_modes(client):
    response = client.get(reverse("curriculum:path"))
    assert response.status_code == 200
    page = response.content.decode()
    for label in [
        "Weeks 1-3",
        "Weeks 4-6",
        "Weeks 7-9",
        "Weeks 10-12",
        "Weeks 13-16",
        "Weeks 17-20",
    ]:
        assert label in page
    assert "you have trained, not just inferred, a real model." in page
    for name in ["Tutorial loop", "Trunk sprawl", "Hype substitution"]:
        assert name in page


def test_sources_page_links_all_25_sources(client):
    response = client.get(reverse("curriculum:sources"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "[01]" in page and "[25]" in page
    assert 'href="https://distill.pub"' in page
    assert page.count('rel="noopener"') == 25


@pytest.mark.parametrize(
    "url",
    ["/trunks/no-such-trunk/", "/skills/no-such-skill/", "/tracks/no-such-track/", "/nowhere/"],
)
def test_unknown_slugs_give_404(client, url):
    assert client.get(url).status_code == 404


def test_admin_edits_show_on_the_public_pages_at_once(client):
    skill = Skill.objects.get(slug="linear-algebra")
    skill.name = "Linear algebra for ML"
    skill.save()
    assert "Linear algebra for ML" in client.get(reverse("curriculum:tree")).content.decode()


def test_pages_have_one_h1_landmarks_and_the_vendored_htmx(client):
    page = client.get(reverse("curriculum:tree")).content.decode()
    assert page.count("<h1") == 1
    assert "<main" in page and "<nav" in page and "<footer" in page
    assert '<script src="/static/django_htmx/htmx-2.min.js"' in page
    assert 'src="http' not in page and 'href="//' not in page
