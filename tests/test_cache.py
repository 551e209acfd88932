"""Visitors' pages (pages.kept_for_visitors): kept whole, served plainly with an ETag and a short
public Cache-Control, never to someone with a session; a curator's edit is on the next request;
a shared cache that is down or hangs costs a page little and the page still renders."""

import socket
import time

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

import pages
from curriculum.models import Passage, Skill
from tests.factories import curator, learner

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = {
    "home": reverse("curriculum:home"),
    "tree": reverse("curriculum:tree"),
    "trunk": "/trunks/foundations/",
    "skill": "/skills/linear-algebra/",
    "tracks": reverse("curriculum:tracks"),
    "track": "/tracks/research-scientist/",
    "ladder": reverse("curriculum:ladder"),
    "path": reverse("curriculum:path"),
    "sources": reverse("curriculum:sources"),
}


@pytest.fixture
def public_pages():
    pages = dict(PUBLIC_PAGES)
    pages["trunk"] = Skill.objects.get(slug="linear-algebra").trunk.get_absolute_url()
    return pages


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_a_visitor_gets_a_public_page_the_second_time_with_no_query(
    client, public_pages, name, django_assert_num_queries
):
    first = client.get(public_pages[name])
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = client.get(public_pages[name])
    assert again.content == first.content


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_a_visitors_page_carries_no_csrf_token_and_sets_no_cookie(client, public_pages, name):
    response = client.get(public_pages[name])
    html = response.content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert "x-csrftoken" not in html
    assert not response.cookies


def test_a_visitors_page_says_a_proxy_may_keep_it_for_a_minute_and_varies_on_cookie(client):
    response = client.get(reverse("curriculum:tree"))
    assert response["Cache-Control"] == "public, max-age=60"
    assert "Cookie" in response["Vary"]
    assert response["ETag"]


def test_the_same_etag_again_is_answered_304_with_no_body(client):
    tag = client.get(reverse("curriculum:ladder"))["ETag"]
    response = client.get(reverse("curriculum:ladder"), headers={"If-None-Match": tag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == tag
    assert response["Cache-Control"] == "public, max-age=60"


def test_a_stale_etag_gets_the_whole_page(client):
    response = client.get(reverse("curriculum:ladder"), headers={"If-None-Match": '"old"'})
    assert response.status_code == 200
    assert b"</html>" in response.content


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_a_post_to_a_public_page_is_405(client, public_pages, name):
    assert client.post(public_pages[name]).status_code == 405


def test_a_signed_in_person_gets_their_own_page_with_a_csrf_token_and_no_public_caching(client):
    client.get(reverse("curriculum:tree"))  # kept for visitors
    client.force_login(learner())
    response = client.get(reverse("curriculum:tree"))
    html = response.content.decode()
    assert "Log out" in html
    assert "x-csrftoken" in html
    assert "public" not in response.get("Cache-Control", "")
    assert "ETag" not in response


def test_a_visitor_with_a_session_cookie_is_not_served_the_kept_page(client):
    client.get(reverse("curriculum:home"))
    client.cookies["sessionid"] = "someone-elses-or-expired"
    response = client.get(reverse("curriculum:home"))
    assert response.status_code == 200
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_a_kept_visitors_page_carries_the_headers_of_the_first_answer(client):
    first = client.get(reverse("curriculum:tracks"))
    again = client.get(reverse("curriculum:tracks"))
    for header in (
        "Content-Type",
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
    ):
        assert again[header] == first[header]


def test_a_visitors_log_in_page_is_never_kept_so_each_gets_its_own_csrf_cookie(client):
    first = client.get(reverse("account_login"))
    client.cookies.clear()
    again = client.get(reverse("account_login"))
    assert again.status_code == 200
    assert "ETag" not in again
    assert again.cookies["csrftoken"].value
    assert again.cookies["csrftoken"].value != first.cookies["csrftoken"].value


def test_a_missing_page_is_not_kept_nor_marked_public(client):
    response = client.get("/skills/no-such-skill/")
    assert response.status_code == 404
    assert "public" not in response.get("Cache-Control", "")


def test_a_curators_admin_edit_is_on_the_next_visitors_request(client):
    visitor = Client()
    assert (
        "Version two of the intro" not in visitor.get(reverse("curriculum:tree")).content.decode()
    )
    passage = Passage.objects.get(key="tree-intro")
    client.force_login(curator())
    response = client.post(
        reverse("admin:curriculum_passage_change", args=[passage.pk]),
        {"heading": passage.heading, "body": "Version two of the intro."},
    )
    assert response.status_code == 302
    assert "Version two of the intro" in visitor.get(reverse("curriculum:tree")).content.decode()


def test_a_curators_retire_action_takes_the_skill_off_the_next_visitors_page(client):
    skill = Skill.objects.get(slug="linear-algebra")
    visitor = Client()
    tag = visitor.get(reverse("curriculum:tree"))["ETag"]
    client.force_login(curator())
    client.post(
        reverse("admin:curriculum_skill_changelist"),
        {"action": "retire", ACTION_CHECKBOX_NAME: [skill.pk]},
    )
    response = visitor.get(reverse("curriculum:tree"), headers={"If-None-Match": tag})
    assert response.status_code == 200
    assert skill.name not in response.content.decode()


def test_pages_are_computed_from_the_database_when_the_shared_cache_fails(
    client, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(caches["shared"], "get_many", broken)
    for url in (reverse("curriculum:tree"), reverse("curriculum:ladder")):
        response = client.get(url)
        assert response.status_code == 200
        assert "ETag" not in response
    client.force_login(learner())
    assert client.get(reverse("assessments:dashboard")).status_code == 200
    assert "cache read failed" in caplog.text


def _redis_at(port):
    from django.conf import settings

    return {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": settings.REDIS_OPTIONS,
        },
    }


@pytest.fixture
def hung_redis_socket():
    """A listening socket that accepts connections and never answers: a Redis that hangs."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        sock.setblocking(False)
        yield sock


@pytest.fixture
def hung_redis(hung_redis_socket):
    return hung_redis_socket.getsockname()[1]


def _connections_made(sock):
    """How many connections reached the hung Redis since last asked."""
    made = 0
    while True:
        try:
            connection, _ = sock.accept()
        except BlockingIOError:
            return made
        connection.close()
        made += 1


@pytest.fixture
def refusing_redis():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    yield port


@pytest.mark.parametrize("redis", ["hung_redis", "refusing_redis"])
def test_with_redis_hung_or_refusing_pages_are_computed_from_the_database(
    client, settings, request, redis
):
    pytest.importorskip("redis")
    settings.CACHES = _redis_at(request.getfixturevalue(redis))

    response = client.get(reverse("curriculum:tree"))
    assert response.status_code == 200
    assert "ETag" not in response
    client.force_login(learner())
    assert client.get(reverse("assessments:dashboard")).status_code == 200


def test_a_hung_redis_is_waited_for_once_then_left_alone_for_a_few_seconds(
    settings, hung_redis_socket
):
    """One short wait (the socket timeout: a hung cache costs a page one wait, not one per read),
    then no read goes to Redis until the back-off has passed."""
    pytest.importorskip("redis")
    settings.CACHES = _redis_at(hung_redis_socket.getsockname()[1])

    started = time.monotonic()
    assert pages.curriculum_version() is None
    waited = time.monotonic() - started
    assert _connections_made(hung_redis_socket) == 1
    assert waited < 0.4, f"waited {waited:.2f} s on a hung Redis: is the socket timeout short?"

    assert pages.for_learner(1).timeout == 0  # nothing kept while it is down
    assert pages.curriculum_version() is None
    assert _connections_made(hung_redis_socket) == 0
