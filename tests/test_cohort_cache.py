"""A lead's cohort page and review queue are kept per lead (cohorts/cache.py): the second view
needs only the session, the user, the permission check and the members' pks, and whatever a
member, a lead or an admin changes is on the lead's very next view, as if nothing were cached."""

import re

import pytest
from django.core.cache import cache as django_cache
from django.test import Client
from django.urls import reverse

from assessments.models import Progress
from cohorts.models import Membership
from curriculum.models import Skill, Track
from tests.factories import claim_test, make_cohort, make_lead, make_user, save_full_audit

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r"[A-Za-z0-9]{64}")


@pytest.fixture
def spring():
    """Lena leads Spring: Ada (a full audit, a claim waiting) and Ben (no audit yet)."""
    lead = make_lead("lena", display_name="Lena Lead")
    ada = make_user("ada", display_name="Ada", target_track=Track.objects.first())
    ben = make_user("ben", display_name="Ben")
    skills = list(Skill.objects.all()[:3])
    save_full_audit(ada, {skills[0]: 4, skills[1]: 2})
    claim_test(ada, skills[0])
    return make_cohort(lead, name="Spring", members=[ada, ben])


def _lead(cohort):
    return cohort.leads.get(username="lena")


def pages(cohort):
    """The lead's views of the cohort: the page, its other columns and filters, its fragments
    (htmx), and the review queue."""
    url = cohort.get_absolute_url()
    htmx = {"HX-Request": "true"}
    return {
        "cohort page": (url, {}),
        "by skill, by last audit": (f"{url}?view=skills&sort=last_audit", {}),
        "heatmap fragment": (f"{url}?stale=1", {**htmx, "HX-Target": "heatmap"}),
        "next rows fragment": (f"{url}?page=1", {**htmx, "HX-Target": "heatmap-more"}),
        "review queue": (reverse("cohorts:cohort_reviews"), {}),
        "waiting fragment": (reverse("cohorts:cohort_reviews"), {**htmx, "HX-Target": "waiting"}),
    }


def page(client, url, headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return TOKEN.sub("", response.content.decode())


def every_page(client, cohort):
    return {name: page(client, *where) for name, where in pages(cohort).items()}


def fresh(client, cohort):
    """Every page as rendered with nothing cached."""
    django_cache.clear()
    return every_page(client, cohort)


def _ada(cohort):
    return cohort.members.get(username="ada")


def _member_saves_a_full_audit(client, cohort):
    save_full_audit(_ada(cohort), dict.fromkeys(Skill.objects.all()[:5], 5), days_ago=0)


def _member_claims_a_test(client, cohort):
    claim_test(cohort.members.get(username="ben"), Skill.objects.last())


def _lead_gives_a_verdict(client, cohort):
    claim = Progress.objects.get(user=_ada(cohort))
    response = client.post(
        reverse("cohorts:cohort_review", args=[claim.pk]),
        {"review": "needs_work", "comment": "Add a test set."},
    )
    assert response.status_code == 302
    client.get(response["Location"])  # the success message, shown once and not kept


def _co_lead_gives_a_verdict(client, cohort):
    co_lead = make_lead("carl", display_name="Carl")
    cohort.leads.add(co_lead)
    other = Client()
    other.force_login(co_lead)
    claim = Progress.objects.get(user=_ada(cohort))
    other.post(reverse("cohorts:cohort_review", args=[claim.pk]), {"review": "verified"})


def _new_member_joins(client, cohort):
    newcomer = make_user("cy", display_name="Cy")
    joining = Client()
    joining.force_login(newcomer)
    assert joining.post(reverse("cohorts:cohort_join", args=[cohort.invite_token])).status_code
    assert Membership.objects.filter(cohort=cohort, user=newcomer).exists()


def _member_leaves(client, cohort):
    Membership.objects.get(cohort=cohort, user=_ada(cohort)).delete()


def _member_renames_themselves(client, cohort):
    ada = _ada(cohort)
    ada.display_name = "Ada Lovelace"
    ada.save()


def _lead_renames_the_cohort(client, cohort):
    response = client.post(
        reverse("cohorts:cohort_edit", args=[cohort.pk]), {"name": "Summer"}, follow=True
    )
    assert "Summer" in response.content.decode()


def _member_aims_at_another_track(client, cohort):
    ada = _ada(cohort)
    ada.target_track = Track.objects.last()
    ada.save()


CHANGES = [
    _member_saves_a_full_audit,
    _member_claims_a_test,
    _lead_gives_a_verdict,
    _co_lead_gives_a_verdict,
    _new_member_joins,
    _member_leaves,
    _member_renames_themselves,
    _lead_renames_the_cohort,
    _member_aims_at_another_track,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
def test_a_change_is_on_the_leads_pages_at_the_next_view(client, spring, change):
    client.force_login(_lead(spring))
    before = every_page(client, spring)
    assert every_page(client, spring) == before  # served from the cache
    change(client, spring)
    spring.refresh_from_db()
    after = every_page(client, spring)
    assert after != before, "the change shows somewhere"
    expected = fresh(client, spring)
    for name in pages(spring):
        assert after[name] == expected[name], f"{name} is stale after {change.__name__}"


def test_the_second_view_needs_only_the_permission_check_and_the_members(
    client, spring, django_assert_num_queries
):
    client.force_login(_lead(spring))
    for url, headers in pages(spring).values():
        first = page(client, url, headers)
        with django_assert_num_queries(4):  # session, user, leads it?, members' or people's pks
            assert page(client, url, headers) == first


@pytest.mark.parametrize("role", ["member", "outsider", "other lead", "former lead"])
def test_nobody_else_gets_the_page_the_lead_has_cached(client, spring, role):
    lead = _lead(spring)
    client.force_login(lead)
    for url, headers in pages(spring).values():
        page(client, url, headers)
    if role == "member":
        someone = _ada(spring)
    elif role == "outsider":
        someone = make_user("eve")
    elif role == "other lead":
        someone = make_lead("olga")
        make_cohort(someone, name="Autumn", members=[make_user("fay")])
    else:
        someone = lead
        spring.leads.remove(lead)
    client.force_login(someone)
    assert client.get(spring.get_absolute_url()).status_code == 404
    assert client.get(spring.get_absolute_url(), {"view": "skills"}).status_code == 404
    queue = client.get(reverse("cohorts:cohort_reviews"))
    if role == "other lead":
        assert "Ada" not in queue.content.decode()
    else:
        assert queue.status_code == 404


def test_taken_out_of_the_leads_group_a_lead_no_longer_gets_the_cached_page(
    client, spring, settings
):
    settings.COHORTS_RESTRICTED_TO_GROUP = True
    lead = _lead(spring)
    client.force_login(lead)
    assert client.get(spring.get_absolute_url()).status_code == 200
    lead.groups.clear()
    assert client.get(spring.get_absolute_url()).status_code == 404
    assert client.get(reverse("cohorts:cohort_reviews")).status_code == 404


def test_two_leads_of_one_cohort_each_get_their_own_csrf_token(spring):
    co_lead = make_lead("carl", display_name="Carl")
    spring.leads.add(co_lead)
    tokens = {}
    for lead in (_lead(spring), co_lead):
        client = Client(enforce_csrf_checks=True)
        client.force_login(lead)
        for _ in range(2):  # the second from the cache
            html = client.get(spring.get_absolute_url()).content.decode()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
            assert "__skilltree_csrf_token__" not in html
            ok = client.post(
                reverse("cohorts:cohort_invite", args=[spring.pk]),
                {"action": "regenerate", "csrfmiddlewaretoken": token},
            )
            assert ok.status_code == 302
        tokens[lead.username] = client.cookies["csrftoken"].value
    assert tokens["lena"] != tokens["carl"]


def test_a_pending_message_is_shown_once_and_the_page_kept_without_it(client, spring):
    client.force_login(_lead(spring))
    response = client.post(
        reverse("cohorts:cohort_edit", args=[spring.pk]), {"name": "Spring"}, follow=True
    )
    assert "The cohort is saved." in response.content.decode()
    assert "The cohort is saved." not in client.get(spring.get_absolute_url()).content.decode()


def test_the_pages_are_computed_when_the_cache_fails(client, spring, monkeypatch):
    from tests.test_cache import BrokenCache

    monkeypatch.setattr("curriculum.cache.versions", BrokenCache)
    monkeypatch.setattr("curriculum.cache.cache", BrokenCache())
    client.force_login(_lead(spring))
    for url, headers in pages(spring).values():
        page(client, url, headers)
    assert "Ada" in page(client, spring.get_absolute_url(), {})
