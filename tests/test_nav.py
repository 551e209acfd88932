"""Navigation follows the role (issue 13 items 6-7): any signed-in user may start a cohort and
lead it (an operator may restrict that to the "Cohort leads" group); a lead has "Cohorts" in the
nav and lands on their cohorts after signing in; the nav is a <details> menu on phones."""

import re

import pytest
from django.urls import reverse

from cohorts.models import Cohort
from cohorts.roles import can_start_cohorts, leads_cohorts
from tests.factories import LEARNER_PASSWORD, make_cohort, make_lead, make_user

pytestmark = pytest.mark.django_db

COHORTS_LINK = re.compile(r'<a href="/cohorts/"[^>]*>Cohorts</a>')


def _nav(html):
    return re.search(r'<nav aria-label="Main".*?</nav>', html, re.S).group(0)


def test_any_signed_in_learner_starts_a_cohort_and_leads_it(client):
    learner = make_user("newlead")
    client.force_login(learner)

    assert "Start a cohort" in client.get(reverse("cohorts:cohorts")).content.decode()
    response = client.post(
        reverse("cohorts:cohort_create"),
        {"name": "Team AI", "form_token": "5f0c1c2e-8a43-4f43-9d0e-2b7f3f7d9a10"},
    )

    cohort = Cohort.objects.get(name="Team AI")
    assert response.status_code == 302
    assert response.url == cohort.get_absolute_url()
    assert list(cohort.leads.all()) == [learner]
    assert client.get(cohort.get_absolute_url()).status_code == 200


def test_the_profile_offers_starting_a_cohort_and_then_links_to_the_ones_led(client):
    learner = make_user("newlead")
    client.force_login(learner)
    html = client.get(reverse("profile")).content.decode()
    assert f'<a href="{reverse("cohorts:cohort_create")}">Start a cohort</a>' in html

    make_cohort(learner)
    html = client.get(reverse("profile")).content.decode()
    assert "Cohorts you lead" in html
    assert "Start a cohort</a> and lead it" not in html


def test_restricted_to_the_group_a_learner_is_not_offered_a_cohort(client, settings):
    settings.COHORTS_RESTRICTED_TO_GROUP = True
    learner, lead = make_user("learner"), make_lead()

    assert not can_start_cohorts(learner)
    assert can_start_cohorts(lead)
    client.force_login(learner)
    assert "Start a cohort" not in client.get(reverse("profile")).content.decode()
    assert client.get(reverse("cohorts:cohorts")).status_code == 404


def test_the_setting_comes_from_the_environment(monkeypatch):
    from skilltree import settings as module

    assert module.COHORTS_RESTRICTED_TO_GROUP is False
    monkeypatch.setenv("DJANGO_COHORT_LEADS_GROUP_ONLY", "1")
    assert module.env_bool("DJANGO_COHORT_LEADS_GROUP_ONLY", False) is True


def test_only_a_lead_has_cohorts_in_the_nav(client):
    lead, learner = make_user("lead"), make_user("learner")
    make_cohort(lead)

    client.force_login(learner)
    nav = _nav(client.get(reverse("curriculum:tree")).content.decode())
    assert not COHORTS_LINK.search(nav)
    assert ">Dashboard</a>" in nav and ">Audit</a>" in nav

    client.force_login(lead)
    nav = _nav(client.get(reverse("curriculum:tree")).content.decode())
    assert COHORTS_LINK.search(nav)
    assert nav.index(">Cohorts</a>") < nav.index(">Dashboard</a>")


def test_the_cohorts_link_is_current_on_cohort_pages(client):
    lead = make_user("lead")
    cohort = make_cohort(lead)
    client.force_login(lead)
    nav = _nav(client.get(cohort.get_absolute_url()).content.decode())
    assert '<a href="/cohorts/" aria-current="page">Cohorts</a>' in nav


def test_a_visitor_has_no_account_links_in_the_nav(client):
    nav = _nav(client.get(reverse("curriculum:tree")).content.decode())
    assert ">Log in</a>" in nav and ">Sign up</a>" in nav
    assert ">Dashboard</a>" not in nav and ">Cohorts</a>" not in nav


def test_the_nav_is_a_closed_menu_with_a_named_toggle(client):
    nav = _nav(client.get(reverse("curriculum:tree")).content.decode())
    assert re.search(
        r'<details class="nav-menu">\s*<summary class="nav-menu__toggle">Menu</summary>', nav
    )


def _log_in(client, username):
    return client.post(reverse("account_login"), {"login": username, "password": LEARNER_PASSWORD})


def test_a_lead_lands_on_their_cohorts_after_signing_in(client):
    lead = make_user("lead", password=LEARNER_PASSWORD)
    make_cohort(lead)
    response = _log_in(client, "lead")
    assert client.get(response.url).url == reverse("cohorts:cohorts")


def test_a_learner_lands_on_their_dashboard_after_signing_in(client):
    make_user("learner", password=LEARNER_PASSWORD)
    response = _log_in(client, "learner")
    assert client.get(response.url).url == reverse("assessments:dashboard")


def test_a_lead_with_a_next_link_goes_there(client):
    lead = make_user("lead", password=LEARNER_PASSWORD)
    make_cohort(lead)
    response = client.post(
        reverse("account_login") + "?next=/ladder/",
        {"login": "lead", "password": LEARNER_PASSWORD, "next": "/ladder/"},
    )
    assert response.url == "/ladder/"


def test_whether_a_user_leads_is_asked_once_per_page(client, django_assert_num_queries):
    lead = make_user("lead")
    make_cohort(lead)
    client.force_login(lead)
    # the session, its user, whether they lead (for the nav), the sources (1 for a visitor)
    with django_assert_num_queries(4):
        response = client.get(reverse("curriculum:sources"))
    assert ">Cohorts</a>" in _nav(response.content.decode())


def test_leads_cohorts_asks_once_for_a_signed_in_user_and_never_for_a_visitor(
    django_assert_num_queries,
):
    from django.contrib.auth.models import AnonymousUser

    lead, learner = make_user("lead"), make_user("learner")
    make_cohort(lead)
    with django_assert_num_queries(2):
        assert leads_cohorts(lead) is True
        assert leads_cohorts(learner) is False
        assert leads_cohorts(AnonymousUser()) is False


SHOTS = "/work/shots/nav-notes"


@pytest.mark.browser
def test_the_nav_is_a_menu_on_a_phone_and_inline_on_a_desktop(new_page, log_in, assert_accessible):
    lead = make_user("lead", display_name="Lena Lead")
    make_cohort(lead)
    page = log_in(new_page(viewport={"width": 390, "height": 800}), lead)
    page.goto(reverse("assessments:dashboard"))
    nav = page.get_by_role("navigation", name="Main")
    cohorts = nav.get_by_role("link", name="Cohorts")
    toggle = nav.locator("summary")

    assert toggle.is_visible() and not cohorts.is_visible()
    page.screenshot(path=f"{SHOTS}/nav-phone-closed.png")
    toggle.focus()
    page.keyboard.press("Enter")
    assert cohorts.is_visible()
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/nav-phone-open.png")
    page.keyboard.press("Enter")
    assert not cohorts.is_visible()

    page.set_viewport_size({"width": 1280, "height": 800})
    assert cohorts.is_visible() and not toggle.is_visible()
    assert_accessible(page)
    page.screenshot(path=f"{SHOTS}/nav-desktop.png")
    cohorts.click()
    page.wait_for_url("**/cohorts/")


@pytest.mark.browser
def test_the_phone_menu_works_without_javascript(new_page, log_in):
    page = log_in(
        new_page(viewport={"width": 390, "height": 800}, java_script_enabled=False),
        make_user("ann"),
    )
    page.goto(reverse("curriculum:tree"))
    audit = page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit")
    assert not audit.is_visible()
    page.get_by_text("Menu", exact=True).click()
    audit.click()
    page.wait_for_url("**/audit/")


@pytest.mark.django_db
def test_self_serve_a_lead_out_of_the_group_keeps_their_cohorts_restricted_they_lose_them(
    client, settings
):
    from django.contrib.auth.models import Group

    lead = make_lead()
    cohort = make_cohort(lead)
    lead.groups.remove(Group.objects.get(name="Cohort leads"))
    client.force_login(lead)
    assert client.get(cohort.get_absolute_url()).status_code == 200
    assert COHORTS_LINK.search(_nav(client.get(reverse("curriculum:tree")).content.decode()))

    settings.COHORTS_RESTRICTED_TO_GROUP = True
    assert client.get(cohort.get_absolute_url()).status_code == 404
    assert not COHORTS_LINK.search(_nav(client.get(reverse("curriculum:tree")).content.decode()))


@pytest.mark.parametrize("restricted", [False, True])
def test_leads_cohorts_is_the_led_by_rule(settings, restricted):
    settings.COHORTS_RESTRICTED_TO_GROUP = restricted
    lead, learner = make_lead(), make_user("learner")
    make_cohort(lead)

    assert leads_cohorts(lead) is True
    assert leads_cohorts(learner) is False
    lead.is_active = False
    lead.save()
    assert leads_cohorts(lead) is False
