"""Each public page runs a fixed number of queries, however large the curriculum grows."""

import factory
import pytest
from django.urls import reverse

from curriculum.models import Skill, Track, Trunk
from pages import bump_curriculum
from tests.factories import ResourceFactory, SkillFactory

pytestmark = pytest.mark.django_db

PAGES = {
    "home": lambda: reverse("curriculum:home"),
    "tree": lambda: reverse("curriculum:tree"),
    "trunk": lambda: Trunk.objects.get(number=1).get_absolute_url(),
    "skill": lambda: Skill.objects.get(slug="linear-algebra").get_absolute_url(),
    "tracks": lambda: reverse("curriculum:tracks"),
    "track": lambda: Track.objects.get(slug="research-scientist").get_absolute_url(),
    "ladder": lambda: reverse("curriculum:ladder"),
    "path": lambda: reverse("curriculum:path"),
    "sources": lambda: reverse("curriculum:sources"),
}

EXPECTED_QUERIES = {
    "home": 2,
    "tree": 3,
    "trunk": 3,
    "skill": 2,
    "tracks": 6,
    "track": 5,
    "ladder": 3,
    "path": 6,  # phases, failure modes, passages, and what each phase teaches: trunks, skills, free resources
    "sources": 1,
}


def _grow_the_curriculum(by=50):
    foundations = Trunk.objects.get(number=1)
    research = Skill.objects.get(slug="causal-thinking").bucket
    skills = SkillFactory.create_batch(
        by,
        trunk=foundations,
        bucket=research,
        name=factory.Iterator([f"Extra skill {n}" for n in range(by)]),
    )
    ResourceFactory.create_batch(by, skill=skills[0])
    ResourceFactory.create_batch(by, skill=Skill.objects.get(slug="linear-algebra"))
    bump_curriculum()  # as a curator's save does


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_query_count_is_fixed(client, django_assert_num_queries, page):
    url = PAGES[page]()
    with django_assert_num_queries(EXPECTED_QUERIES[page]):
        assert client.get(url).status_code == 200
    _grow_the_curriculum()
    with django_assert_num_queries(EXPECTED_QUERIES[page]):
        assert client.get(url).status_code == 200


def test_grown_curriculum_shows_on_the_tree(client):
    _grow_the_curriculum()
    page = client.get(reverse("curriculum:tree")).content.decode()
    assert "Extra skill 49" in page
