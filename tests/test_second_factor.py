"""A second factor (issue 23 item 4): an authenticator app with recovery codes, on
django-allauth's mfa pages. Anyone may turn it on; staff must before the admin lets them in."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from tests import factories
from tests.factories import CURATOR_PASSWORD, LEARNER_PASSWORD, STAFF_TOTP_SECRET
from tests.second_factor import code_now, wrong_code

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
TWO_FACTOR = reverse("mfa_index")
ACTIVATE = reverse("mfa_activate_totp")
AUTHENTICATE = reverse("mfa_authenticate")
RECOVERY_CODES = reverse("mfa_view_recovery_codes")


def log_in(client, username, password=LEARNER_PASSWORD):
    """Log in by password, then type it once more: allauth asks again before a second factor
    is added (its reauthentication, good for five minutes)."""
    response = client.post(LOGIN, {"login": username, "password": password})
    client.post(reverse("account_reauthenticate"), {"password": password})
    return response


def shown_key(page):
    return re.search(r'<code id="authenticator_secret">([A-Z2-7]+)</code>', page).group(1)


def turn_on_authenticator_app(client):
    """Through the set-up page as a person does: read the key, type the app's code."""
    key = shown_key(client.get(ACTIVATE).content.decode())
    response = client.post(ACTIVATE, {"code": code_now(key)})
    assert response.status_code == 302
    return key


def signed_in_as(client):
    return client.session.get(SESSION_KEY)


def test_a_learner_turns_on_an_authenticator_app_and_log_in_then_asks_for_its_code(client):
    ada = factories.learner()
    log_in(client, "ada")
    page = client.get(ACTIVATE).content.decode()
    assert "Set up an authenticator app" in page
    assert "<svg" in page and "<?xml" not in page  # the QR code, inside the page

    key = turn_on_authenticator_app(client)

    assert set(Authenticator.objects.filter(user=ada).values_list("type", flat=True)) == {
        "totp",
        "recovery_codes",
    }
    assert "<strong>On.</strong>" in client.get(TWO_FACTOR).content.decode()
    client.post(reverse("account_logout"))

    response = log_in(client, "ada")
    assert response.status_code == 302 and response.url == AUTHENTICATE
    assert signed_in_as(client) is None, "the password alone signs nobody in"
    assert "Type the six-digit code" in client.get(AUTHENTICATE).content.decode()

    response = client.post(AUTHENTICATE, {"code": code_now(key)})

    assert response.status_code == 302
    assert signed_in_as(client) == str(ada.pk)


def test_a_wrong_code_is_refused_with_a_message_and_signs_nobody_in(client):
    factories.UserFactory(username="ada", password=LEARNER_PASSWORD, second_factor=True)
    log_in(client, "ada")

    response = client.post(AUTHENTICATE, {"code": wrong_code(STAFF_TOTP_SECRET)})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert signed_in_as(client) is None


def test_a_wrong_code_at_set_up_is_refused_and_nothing_is_turned_on(client):
    ada = factories.learner()
    log_in(client, "ada")
    key = shown_key(client.get(ACTIVATE).content.decode())

    response = client.post(ACTIVATE, {"code": wrong_code(key)})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not Authenticator.objects.filter(user=ada).exists()


def test_a_recovery_code_signs_in_once_and_only_once(client):
    ada = factories.learner()
    log_in(client, "ada")
    turn_on_authenticator_app(client)
    codes = re.findall(r"<li><code>(\w+)</code></li>", client.get(RECOVERY_CODES).content.decode())
    assert len(codes) == 10
    client.post(reverse("account_logout"))

    log_in(client, "ada")
    client.post(AUTHENTICATE, {"code": codes[0]})
    assert signed_in_as(client) == str(ada.pk)
    assert "9 of 10 codes left" in client.get(TWO_FACTOR).content.decode()
    client.post(reverse("account_logout"))

    log_in(client, "ada")
    response = client.post(AUTHENTICATE, {"code": codes[0]})

    assert "That code is not right" in response.content.decode()
    assert signed_in_as(client) is None


def test_staff_without_a_second_factor_are_sent_from_the_admin_to_set_one_up(client):
    staff = factories.staff_without_permissions(second_factor=False)
    client.force_login(staff)

    for page in ("/admin/", "/admin/curriculum/skill/", "/admin/curriculum/framework.json"):
        response = client.get(page)
        assert response.status_code == 302, page
        assert response.url == TWO_FACTOR

    page = client.get(TWO_FACTOR)
    assert "the admin needs a second factor" in page.content.decode()
    assert "Staff need one to use the admin" in page.content.decode()


def test_staff_who_set_one_up_reach_the_admin(client):
    staff = factories.staff_without_permissions(
        username="newcomer", password=CURATOR_PASSWORD, second_factor=False
    )
    log_in(client, "newcomer", CURATOR_PASSWORD)
    assert client.get("/admin/").status_code == 302

    turn_on_authenticator_app(client)

    assert client.get("/admin/").status_code == 200
    assert Authenticator.objects.filter(user=staff, type="totp").exists()


def test_staff_with_an_authenticator_app_reach_the_admin_after_typing_its_code(client):
    factories.superuser()
    log_in(client, "curator", CURATOR_PASSWORD)
    assert client.get("/admin/").status_code == 302, "not signed in before the code"

    client.post(AUTHENTICATE, {"code": code_now(STAFF_TOTP_SECRET)})

    assert client.get("/admin/").status_code == 200


def test_the_admins_own_log_in_form_sends_people_to_the_sites(client):
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=%2Fadmin%2F"


def test_a_learner_without_a_second_factor_is_not_stopped(client):
    ada = factories.learner()
    response = log_in(client, "ada")
    assert response.status_code == 302 and response.url != AUTHENTICATE
    assert signed_in_as(client) == str(ada.pk)

    assert client.get(reverse("assessments:dashboard")).status_code == 200
    page = client.get(TWO_FACTOR).content.decode()
    assert "It is up to you; staff must have one." in page
    assert "Set up an authenticator app" in page


def test_the_profile_links_to_two_factor_authentication(client):
    client.force_login(factories.learner())

    page = client.get(reverse("profile")).content.decode()

    assert f'<a href="{TWO_FACTOR}">Two-factor authentication</a>' in page


@pytest.mark.parametrize("others", [0, 40])
def test_the_two_factor_page_reads_a_fixed_number_of_queries(
    client, django_assert_num_queries, others
):
    for _ in range(others):
        factories.UserFactory(second_factor=True)
    ada = factories.UserFactory(username="ada", second_factor=True)
    client.force_login(ada)

    # the session, its user, whether they lead (the nav), their authenticators (allauth's
    # page reads them twice: to list, and whether any is on)
    with django_assert_num_queries(5):
        response = client.get(TWO_FACTOR)
    assert "<strong>On.</strong>" in response.content.decode()


def test_asking_again_offers_the_other_ways_in_the_sites_words(client):
    ada = factories.learner(second_factor=True)
    factories.give_passkey(ada, name="Phone")
    client.force_login(ada)

    page = client.get(reverse("mfa_deactivate_totp"), follow=True).content.decode()

    assert "Or confirm another way" in page
    assert "Use a passkey" in page
    assert "Use your authenticator app or a recovery code" in page
    assert "security key" not in page
