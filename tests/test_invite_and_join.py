"""The invite link as the lead shares it and the join page as each person sees it (issue 22,
item 13): the whole link in view with a Copy button that needs a script to show, no "Join" for
the lead on their own link, and a member told they are in rather than asked to join."""

import re

import pytest
from django.urls import reverse

from cohorts.models import Membership
from tests.factories import make_cohort, make_lead, member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    return make_cohort(make_lead("lena", display_name="Lena Lead"), name="Autumn cohort")


def _join_url(cohort):
    return reverse("cohorts:cohort_join", args=[cohort.invite_token])


def _buttons(html):
    return [" ".join(b.split()) for b in re.findall(r"<button[^>]*>(.*?)</button>", html, re.S)]


def test_the_lead_sees_the_whole_link_in_a_field_that_wraps_and_a_copy_button_for_scripts(
    client, cohort
):
    client.force_login(cohort.leads.get())

    html = client.get(cohort.get_absolute_url()).content.decode()

    field = re.search(r'<textarea id="invite-url"[^>]*readonly[^>]*>([^<]*)</textarea>', html)
    assert field and field[1].endswith(_join_url(cohort))
    assert re.search(
        r'<button type="button" class="invite__copy" data-copy="invite-url" hidden>', html
    )
    assert re.search(r'<script src="/static/js/copy\.js" defer></script>', html)


def test_a_lead_opening_their_own_link_is_not_offered_to_join(client, cohort):
    client.force_login(cohort.leads.get())

    html = client.get(_join_url(cohort)).content.decode()

    assert "Your invite link to “Autumn cohort”" in html
    assert not any(b.startswith("Join") for b in _buttons(html))
    assert f'href="{cohort.get_absolute_url()}"' in html


def test_a_lead_posting_their_own_link_does_not_become_a_member(client, cohort):
    client.force_login(cohort.leads.get())

    response = client.post(_join_url(cohort))

    assert response["Location"] == cohort.get_absolute_url()
    assert not Membership.objects.filter(cohort=cohort).exists()


def test_a_member_is_told_they_are_in_and_offered_only_to_leave(client, cohort):
    client.force_login(member_of(cohort))

    html = client.get(_join_url(cohort)).content.decode()

    assert "<h1>You are in “Autumn cohort”</h1>" in html
    assert "Join “Autumn cohort”" not in html
    assert _buttons(html)[-1] == "Leave “Autumn cohort”"
    assert not any(b.startswith("Join") for b in _buttons(html))


def test_someone_not_in_the_cohort_is_still_asked_to_join(client, cohort, learner):
    client.force_login(learner)

    html = client.get(_join_url(cohort)).content.decode()

    assert "<h1>Join “Autumn cohort”</h1>" in html
    assert _buttons(html)[-1] == "Join “Autumn cohort”"
