"""Staff make cohort leads and manage cohorts and memberships in the admin."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from cohorts.models import Cohort, Membership
from tests.factories import make_cohort, make_lead, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = make_user("curator", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_the_cohort_leads_group_exists_after_migrate():
    group = Group.objects.get(name="Cohort leads")
    assert list(group.permissions.values_list("codename", flat=True)) == ["lead_cohorts"]


def test_staff_make_a_user_a_lead_by_adding_the_group(client, staff):
    learner = make_user("learner")
    group = Group.objects.get(name="Cohort leads")
    url = reverse("admin:accounts_user_change", args=[learner.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "username": "learner",
            "is_active": "on",
            "groups": [group.pk],
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.has_perm("cohorts.lead_cohorts")


@pytest.mark.parametrize(
    "name",
    [
        "admin:cohorts_cohort_changelist",
        "admin:cohorts_cohort_add",
        "admin:cohorts_membership_changelist",
        "admin:accounts_user_changelist",
    ],
)
def test_cohort_admin_pages_answer(client, staff, name):
    make_cohort(make_lead(), members=[make_user("ada")])
    assert client.get(reverse(name)).status_code == 200


def test_cohort_change_page_lists_leads_and_members(client, staff):
    cohort = make_cohort(make_lead("lena"), members=[make_user("ada")])
    page = client.get(reverse("admin:cohorts_cohort_change", args=[cohort.pk])).content.decode()
    assert "lena" in page
    assert "ada" in page
    assert Membership.objects.filter(cohort=cohort).count() == 1
    assert Cohort.objects.count() == 1


def test_a_non_staff_lead_cannot_use_the_admin(client):
    client.force_login(make_lead())
    assert client.get(reverse("admin:cohorts_cohort_changelist")).status_code == 302


def test_a_member_renamed_in_the_admin_shows_on_the_leads_kept_cohort_page(client, staff):
    lead = make_lead("lena")
    ada = make_user("ada", display_name="Ada Lovelace")
    cohort = make_cohort(lead, members=[ada])
    lead_client = Client()
    lead_client.force_login(lead)
    assert "Ada Lovelace" in lead_client.get(cohort.get_absolute_url()).content.decode()

    response = client.post(
        reverse("admin:accounts_user_change", args=[ada.pk]),
        {
            "username": "ada",
            "display_name": "Ada King",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
        },
    )

    assert response.status_code == 302
    page = lead_client.get(cohort.get_absolute_url()).content.decode()
    assert "Ada King" in page
    assert "Ada Lovelace" not in page


def test_a_membership_deleted_in_the_admin_leaves_the_leads_kept_cohort_page(client, staff):
    lead = make_lead("lena")
    ada, ben = make_user("ada"), make_user("ben")
    cohort = make_cohort(lead, members=[ada, ben])
    lead_client = Client()
    lead_client.force_login(lead)
    assert ">ben<" in lead_client.get(cohort.get_absolute_url()).content.decode()
    membership = Membership.objects.get(cohort=cohort, user=ben)

    response = client.post(
        reverse("admin:cohorts_membership_delete", args=[membership.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    page = lead_client.get(cohort.get_absolute_url()).content.decode()
    assert ">ben<" not in page and "ada" in page
