"""After joining a cohort by invite, the learner lands on a welcome step (issue 22 item 12): the
cohort joined, who sees what, and the full audit to take next."""

import pytest
from django.urls import reverse

from cohorts.models import Membership
from tests.factories import make_cohort, make_lead, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    lena = make_lead("lena", display_name="Lena Lead")
    cohort = make_cohort(lena, members=[make_user("mia")])
    cohort.leads.add(make_lead("max", display_name="Max Lead"))
    return cohort


def join_url(cohort):
    return reverse("cohorts:cohort_join", args=[cohort.invite_token])


def welcome_url(cohort):
    return reverse("cohorts:cohort_welcome", args=[cohort.pk])


def test_joining_lands_on_the_welcome_step_not_the_profile_form(client, cohort):
    newbie = make_user("newbie")
    client.force_login(newbie)
    response = client.post(join_url(cohort), follow=True)
    assert response.redirect_chain == [(welcome_url(cohort), 302)]
    page = response.content.decode()
    assert "You joined “Spring cohort”" in page
    assert "Welcome to “Spring cohort”" in page
    assert "<strong>Lena Lead</strong> and <strong>Max Lead</strong>" in page
    assert "lead this cohort and see your audits, history and evidence" in page
    assert "every audit you save, quick or full" in page
    assert f'href="{reverse("assessments:audit")}">Take the full audit</a>' in page
    assert 'name="email"' not in page  # not the long profile form
    assert Membership.objects.filter(cohort=cohort, user=newbie).count() == 1


def test_one_lead_is_named_in_the_singular(client):
    cohort = make_cohort(make_lead("lena", display_name="Lena Lead"))
    newbie = make_user("newbie")
    client.force_login(newbie)
    page = client.post(join_url(cohort), follow=True).content.decode()
    assert "leads this cohort and sees your audits, history and evidence" in page


def test_joining_twice_lands_on_the_welcome_step_with_one_membership(client, cohort):
    newbie = make_user("newbie")
    client.force_login(newbie)
    client.post(join_url(cohort))
    response = client.post(join_url(cohort), follow=True)
    assert response.redirect_chain == [(welcome_url(cohort), 302)]
    assert "You are already in “Spring cohort”" in response.content.decode()
    assert Membership.objects.filter(cohort=cohort, user=newbie).count() == 1


def test_the_welcome_step_is_only_for_the_cohorts_members(client, cohort):
    client.force_login(make_user("outsider"))
    assert client.get(welcome_url(cohort)).status_code == 404
    client.force_login(cohort.leads.get(username="lena"))
    assert client.get(welcome_url(cohort)).status_code == 404
    client.logout()
    response = client.get(welcome_url(cohort))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_the_welcome_step_takes_no_post(client, cohort):
    client.force_login(cohort.members.get())
    assert client.get(welcome_url(cohort)).status_code == 200
    assert client.post(welcome_url(cohort)).status_code == 405
