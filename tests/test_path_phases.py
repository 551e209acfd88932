"""The 20-week path agrees with itself (issue 22 item 9): a phase is "Finished" only when a
passed test counts for it, the pace reads as a label and a sentence, phases link to their skills
and free resources, and curators edit which trunks a phase teaches in the admin."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Progress
from curriculum.models import PathPhase, Resource, Skill, Track, Trunk
from tests.factories import curator

pytestmark = pytest.mark.django_db

MY_PATH = reverse("assessments:my_path")


@pytest.fixture
def four_weeks_in(learner):
    learner.path_started_on = timezone.localdate() - timedelta(weeks=4)
    learner.date_joined = timezone.now() - timedelta(days=90)
    learner.save()
    return learner


def _phase_item(html, name):
    """The phase's list item on the learner's path page."""
    items = html.split('<li class="path-phase ')[1:]
    [item] = [item for item in items if f'<h3 class="path-phase__name">{name}</h3>' in item]
    return item


def test_weeks_one_to_three_are_not_finished_without_a_foundations_test(client, four_weeks_in):
    client.force_login(four_weeks_in)
    html = client.get(MY_PATH).content.decode()
    first = _phase_item(html, "Foundations sprint")
    assert "Finished" not in first
    assert "Weeks over, no test yet" in first
    assert '<span class="tag tag--warn">Behind</span>' in html


def test_a_foundations_test_finishes_weeks_one_to_three(client, four_weeks_in):
    Progress.objects.create(
        user=four_weeks_in,
        skill=Skill.objects.filter(trunk__number=1).first(),
        status=Progress.Status.TEST_PASSED,
        evidence_url="https://example.com/proof",
    )
    client.force_login(four_weeks_in)
    html = client.get(MY_PATH).content.decode()
    assert '<span class="tag tag--accent">Finished</span>' in _phase_item(
        html, "Foundations sprint"
    )
    assert '<span class="tag tag--accent">On pace</span> A skill test passed for' in html


def test_a_newcomer_reads_settling_in_as_its_own_label(client, learner):
    learner.path_started_on = timezone.localdate() - timedelta(weeks=5)
    learner.save()
    client.force_login(learner)
    html = client.get(MY_PATH).content.decode()
    assert '<span class="tag tag--accent">Settling in</span> Pace counts in 21 days:' in html
    assert "On pace" not in html
    dashboard = client.get(reverse("assessments:dashboard")).content.decode()
    assert '<span class="tag tag--accent">Settling in</span> Pace counts in 21 days:' in dashboard


def test_each_phase_links_to_its_trunk_skills_and_free_resources(client, learner):
    client.force_login(learner)
    html = client.get(MY_PATH).content.decode()
    first = _phase_item(html, "Foundations sprint")
    foundations = Trunk.objects.get(number=1)
    assert f'href="{foundations.get_absolute_url()}"' in first
    for skill in Skill.objects.current().filter(trunk=foundations):
        assert f'href="{skill.get_absolute_url()}"' in first
    resource = Resource.objects.current().filter(is_free=True, skill__trunk=foundations).first()
    assert f'href="{resource.url}"' in first


def test_the_specialising_phases_point_to_the_target_tracks_depth_trunk(client, learner):
    learner.target_track = Track.objects.get(slug="research-scientist")
    learner.save()
    client.force_login(learner)
    html = client.get(MY_PATH).content.decode()
    specialize = _phase_item(html, "Specialize")
    deep = Trunk.objects.get(name="Deep learning")
    assert (
        f'href="{deep.get_absolute_url()}">Deep learning</a>, your target track’s depth trunk'
        in (specialize)
    )
    assert f'href="{deep.skills.first().get_absolute_url()}"' in specialize


def test_without_a_target_the_specialising_phases_ask_to_aim_for_a_track(client, learner):
    client.force_login(learner)
    specialize = _phase_item(client.get(MY_PATH).content.decode(), "Specialize")
    assert "any trunk finishes it" in specialize
    assert "aim for a track</a> to name the trunk to go deep in" in specialize


def test_the_public_path_links_each_phase_to_what_it_teaches(client):
    html = client.get(reverse("curriculum:path")).content.decode()
    phase = html[html.index('id="phase-2"') : html.index('id="phase-3"')]
    trunk = Trunk.objects.get(number=2)
    assert f'href="{trunk.get_absolute_url()}">{trunk.name}</a>' in phase
    assert f'href="{trunk.skills.first().get_absolute_url()}"' in phase
    specialize = html[html.index('id="phase-5"') : html.index('id="phase-6"')]
    assert "Goes deep in the trunk of the track you aim for" in specialize


def test_a_curator_edits_a_phases_trunks_in_the_admin(client):
    client.force_login(curator())
    phase = PathPhase.objects.get(order=1)
    url = reverse("admin:curriculum_pathphase_change", args=[phase.pk])
    form = client.get(url).content.decode()
    assert 'name="trunks"' in form
    assert 'name="in_depth_trunk"' in form
    data = {
        "order": phase.order,
        "weeks_label": phase.weeks_label,
        "start_week": phase.start_week,
        "end_week": phase.end_week,
        "name": phase.name,
        "text": phase.text,
        "end_state": phase.end_state,
        "trunks": [Trunk.objects.get(number=1).pk, Trunk.objects.get(number=5).pk],
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert [t.number for t in PathPhase.objects.get(order=1).taught_trunks] == [1, 5]
