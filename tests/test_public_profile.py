"""The shareable profile (issue 13 item 12): opt-in and revocable, a random URL with the
learner's name in it, noindex until they allow indexing, and nothing private on it."""

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Progress, PublicProfile, SkillNote
from assessments.sharing import share
from curriculum.models import LadderLevel, Skill
from tests.factories import SignalTickFactory, claim_test, make_lead, save_full_audit

pytestmark = pytest.mark.django_db

SETTINGS = reverse("assessments:share_settings")


def _profile_url(user):
    return PublicProfile.objects.get(user=user).get_absolute_url()


@pytest.fixture
def showcase(learner):
    """Ada at ladder level 1, one verified skill, one passed test, ratings and notes."""
    learner.display_name = "Ada Lovelace"
    learner.save()
    skills = list(Skill.objects.select_related("trunk")[:3])
    save_full_audit(learner, {skills[0]: 4, skills[1]: 3, skills[2]: 1})
    claim_test(
        learner,
        skills[0],
        evidence="https://github.com/ada/verified-proof",
        note="Lead-visible note.",
        review=Progress.Review.VERIFIED,
        review_comment="Lovely work, Ada.",
        reviewed_by=make_lead(display_name="Lena Lead"),
        reviewed_at=timezone.now(),
    )
    claim_test(learner, skills[1], evidence="https://github.com/ada/passed-proof")
    SkillNote.objects.create(user=learner, skill=skills[0], text="My secret private note.")
    for signal in LadderLevel.objects.get(number=1).signals.all():
        SignalTickFactory(user=learner, signal=signal)
    return {"learner": learner, "skills": skills}


def test_nothing_is_public_before_opting_in(client, learner_client, learner):
    assert not PublicProfile.objects.exists()
    html = learner_client.get(reverse("profile")).content.decode()
    assert "Share my profile" in html
    assert client.get("/p/ada-00000000/").status_code == 404


def test_opting_in_makes_a_page_at_a_url_with_the_name(client, learner_client, showcase):
    response = learner_client.post(SETTINGS, {"action": "share"})
    assert response.status_code == 302
    assert response.url == reverse("profile") + "#sharing"

    url = _profile_url(showcase["learner"])
    assert re.fullmatch(r"/p/ada-lovelace-[0-9a-f]{8}/", url)
    assert url in learner_client.get(reverse("profile")).content.decode()
    html = client.get(url).content.decode()
    assert "<h1>Ada Lovelace</h1>" in html
    assert "Level 1" in html
    verified, passed = html.split('id="passed-heading"')
    assert "https://github.com/ada/verified-proof" in verified
    assert "https://github.com/ada/passed-proof" in passed
    assert showcase["skills"][2].name not in html


def test_the_page_shows_nothing_private(client, showcase):
    share(showcase["learner"])
    html = client.get(_profile_url(showcase["learner"])).content.decode()
    for private in (
        "My secret private note.",
        "Lead-visible note.",
        "Lovely work, Ada.",
        "Lena Lead",
        "ada@example.org",
        "ada</",
        "rating",
        "Rating",
    ):
        assert private not in html, private


def test_stopping_hides_the_page_and_sharing_again_changes_the_url(client, learner_client, learner):
    learner_client.post(SETTINGS, {"action": "share"})
    first = _profile_url(learner)
    learner_client.post(SETTINGS, {"action": "stop"})
    assert client.get(first).status_code == 404
    assert not PublicProfile.objects.exists()

    learner_client.post(SETTINGS, {"action": "share"})
    second = _profile_url(learner)
    assert second != first
    assert client.get(second).status_code == 200
    assert client.get(first).status_code == 404


def test_sharing_twice_keeps_the_url(learner_client, learner):
    learner_client.post(SETTINGS, {"action": "share"})
    first = _profile_url(learner)
    learner_client.post(SETTINGS, {"action": "share"})
    assert _profile_url(learner) == first


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_shares_at_once_make_one_profile_and_no_error(learner):
    """Two tabs or a double click, through several servers: every request is sent back to the
    profile page, and there is one profile. Real concurrency needs PostgreSQL."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    senders = 20
    barrier = threading.Barrier(senders)
    answers = []

    def send():
        client = Client(raise_request_exception=False)
        try:
            client.force_login(learner)
            barrier.wait(timeout=30)
            answers.append(client.post(SETTINGS, {"action": "share"}).status_code)
        except Exception as error:  # noqa: BLE001 - the test asserts no thread failed
            answers.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert answers == [302] * senders
    assert PublicProfile.objects.filter(user=learner).count() == 1


def test_noindex_until_the_learner_allows_indexing(client, learner_client, learner):
    learner_client.post(SETTINGS, {"action": "share"})
    url = _profile_url(learner)
    response = client.get(url)
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()

    learner_client.post(SETTINGS, {"action": "index"})
    response = client.get(url)
    assert "X-Robots-Tag" not in response
    assert 'name="robots"' not in response.content.decode()

    learner_client.post(SETTINGS, {"action": "noindex"})
    assert client.get(url)["X-Robots-Tag"] == "noindex"


def test_settings_need_a_signed_in_post(client, learner):
    assert client.post(SETTINGS, {"action": "share"}).url.startswith(reverse("account_login"))
    client.force_login(learner)
    assert client.get(SETTINGS).status_code == 405
    assert not PublicProfile.objects.exists()


def test_a_learner_changes_only_their_own_sharing(client, learner, other_learner):
    share(learner)
    client.force_login(other_learner)
    client.post(SETTINGS, {"action": "stop"})
    client.post(SETTINGS, {"action": "index"})
    assert PublicProfile.objects.filter(user=learner, indexable=False).exists()


def test_an_unknown_action_changes_nothing(learner_client, learner):
    response = learner_client.post(SETTINGS, {"action": "publish-everything"}, follow=True)
    assert "Nothing changed" in response.content.decode()
    assert not PublicProfile.objects.exists()


def test_deleting_the_account_deletes_the_page(client, learner):
    url = share(learner).get_absolute_url()
    learner.delete()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("tests_passed", [1, 25])
def test_the_page_runs_a_fixed_number_of_queries(
    client, learner, django_assert_num_queries, tests_passed
):
    for skill in Skill.objects.all()[:tests_passed]:
        claim_test(learner, skill, review=Progress.Review.VERIFIED)
    url = share(learner).get_absolute_url()
    # the profile with its user, the passed tests with their skills, the learner's ticks,
    # the ladder levels, their signals, the curriculum's re-check months
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.content.decode().count("tag--accent") == tests_passed


SHOTS = "/work/shots/nav-notes"


@pytest.mark.browser
def test_a_learner_shares_their_profile_and_a_visitor_reads_it(
    new_page, log_in, assert_accessible, showcase
):
    page = log_in(new_page(), showcase["learner"])
    page.goto(reverse("profile"))
    page.get_by_role("button", name="Share my profile").click()
    link = page.locator(".share-link a")
    url = link.get_attribute("href")
    assert_accessible(page)
    page.locator("#sharing").screenshot(path=f"{SHOTS}/sharing-settings.png")

    visitor = new_page()
    visitor.goto(url)
    assert visitor.get_by_role("heading", name="Ada Lovelace", level=1).is_visible()
    for width in (1280, 390):
        visitor.set_viewport_size({"width": width, "height": 900})
        assert_accessible(visitor)
        visitor.screenshot(path=f"{SHOTS}/public-profile-{width}.png", full_page=True)

    page.get_by_role("button", name="Stop sharing").click()
    page.wait_for_load_state()
    assert visitor.goto(url).status == 404
