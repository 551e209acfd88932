"""A lead's cohort page keeps its counts and heatmap in `{% cache %}` fragments under the
versions of the cohort, its members and the curriculum (pages.for_people): a member's write, a
join or a rename is on the lead's next view, a change to one cohort leaves another cohort's page
kept, and the invite forms around the fragments carry a CSRF token of their own."""

import re

import pytest
from django.core.cache import cache as kept_in_memory
from django.test import Client
from django.urls import reverse

from assessments.audits import draft_full_audit
from curriculum.models import Skill, Track
from tests.factories import make_cohort, make_lead, make_user, save_full_audit

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"[A-Za-z0-9]{64}")
# session, user, the cohort (the lead check), its members' pks (the fragments' version), whether
# they lead (the nav, around the fragments)
KEPT_PAGE_QUERIES = 5


@pytest.fixture
def lena():
    """Lena leads Spring (Ada, with a full audit, and Ben) and Autumn (Cy)."""
    lead = make_lead("lena", display_name="Lena Lead")
    skills = list(Skill.objects.all()[:3])
    ada = make_user("ada", display_name="Ada", target_track=Track.objects.first())
    save_full_audit(ada, {skills[0]: 4, skills[1]: 2})
    make_cohort(lead, name="Spring", members=[ada, make_user("ben", display_name="Ben")])
    make_cohort(lead, name="Autumn", members=[make_user("cy", display_name="Cy")])
    return lead


def _cohort(lead, name):
    return lead.led_cohorts.get(name=name)


def page(client, url, headers=None):
    response = client.get(url, headers=headers or {})
    assert response.status_code == 200, url
    return TOKEN.sub("", response.content.decode())


def fresh(client, url):
    kept_in_memory.clear()
    return page(client, url)


def as_user(user):
    client = Client()
    client.force_login(user)
    return client


def _ada_rates_and_saves_her_draft(lead):
    ada = _cohort(lead, "Spring").members.get(username="ada")
    draft = draft_full_audit(ada)
    client = as_user(ada)
    for skill in Skill.objects.all()[:3]:
        client.post(
            reverse("assessments:rate", args=[draft.pk]),
            {f"rating-{skill.pk}": "5"},
            headers={"HX-Request": "true"},
        )
    assert client.post(reverse("assessments:save_audit", args=[draft.pk])).status_code == 302


def _dan_joins_spring(lead):
    cohort = _cohort(lead, "Spring")
    joined = as_user(make_user("dan", display_name="Dan")).post(
        reverse("cohorts:cohort_join", args=[cohort.invite_token])
    )
    assert joined.status_code == 302


def _ben_leaves_spring(lead):
    cohort = _cohort(lead, "Spring")
    ben = cohort.members.get(username="ben")
    assert as_user(ben).post(reverse("cohorts:cohort_leave", args=[cohort.pk])).status_code == 302


def _ada_passes_a_test(lead):
    ada = _cohort(lead, "Spring").members.get(username="ada")
    response = as_user(ada).post(
        reverse("assessments:skill_progress", args=[Skill.objects.first().slug]),
        {"status": "test_passed", "evidence_url": "https://example.org/proof"},
    )
    assert response.status_code == 302


CHANGES = [
    _ada_rates_and_saves_her_draft,
    _dan_joins_spring,
    _ben_leaves_spring,
    _ada_passes_a_test,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_a_members_change_is_on_the_leads_cohort_page_at_the_next_view(client, lena, change):
    client.force_login(lena)
    spring = _cohort(lena, "Spring").get_absolute_url()
    before = page(client, spring)
    change(lena)
    after = page(client, spring)
    assert after != before
    assert after == fresh(client, spring)


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_a_change_in_one_cohort_leaves_the_other_cohorts_page_kept(
    client, lena, change, django_assert_num_queries
):
    client.force_login(lena)
    autumn = _cohort(lena, "Autumn").get_absolute_url()
    before = page(client, autumn)
    change(lena)
    with django_assert_num_queries(KEPT_PAGE_QUERIES):
        assert page(client, autumn) == before


def test_renaming_a_cohort_shows_on_its_page_and_keeps_the_others(
    client, lena, django_assert_num_queries
):
    client.force_login(lena)
    spring, autumn = _cohort(lena, "Spring"), _cohort(lena, "Autumn")
    page(client, spring.get_absolute_url())
    page(client, autumn.get_absolute_url())
    response = client.post(reverse("cohorts:cohort_edit", args=[spring.pk]), {"name": "Summer"})
    assert response.status_code == 302
    client.get(response["Location"])  # the success message, shown once

    assert "Summer" in page(client, spring.get_absolute_url())
    with django_assert_num_queries(KEPT_PAGE_QUERIES):
        page(client, autumn.get_absolute_url())


def test_the_heatmap_fragment_and_the_page_show_the_same_kept_heatmap(client, lena):
    client.force_login(lena)
    url = _cohort(lena, "Spring").get_absolute_url()
    full = page(client, url)
    fragment = page(client, url, {"HX-Request": "true", "HX-Target": "heatmap"})
    assert fragment.strip() in full


def test_another_lead_never_gets_lenas_kept_page(client, lena):
    spring = _cohort(lena, "Spring")
    page(as_user(lena), spring.get_absolute_url())
    other = as_user(make_lead("olga"))
    assert other.get(spring.get_absolute_url()).status_code == 404


def test_the_invite_form_on_a_kept_page_sends_a_valid_csrf_token(lena):
    spring = _cohort(lena, "Spring")
    client = Client(enforce_csrf_checks=True)
    client.force_login(lena)
    client.get(spring.get_absolute_url())
    html = client.get(spring.get_absolute_url()).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    response = client.post(
        reverse("cohorts:cohort_invite", args=[spring.pk]),
        {"csrfmiddlewaretoken": token, "action": "off"},
    )
    assert response.status_code == 302
    spring.refresh_from_db()
    assert spring.invite_token is None
    assert "The invite link is off" in client.get(spring.get_absolute_url()).content.decode()
