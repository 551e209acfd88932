"""The curriculum cache (curriculum/cache.py): fast pages that never show a stale curriculum and
never fail because the cache does."""

import re

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from assessments.views.audits import AUDIT_STAND_IN
from curriculum import cache
from curriculum.admin import ResourceAdmin
from curriculum.models import Passage, Resource, Skill, Track, Trunk
from tests.factories import LEARNER_PASSWORD, ResourceFactory, SkillFactory

pytestmark = pytest.mark.django_db

SKILL = "/skills/linear-algebra/"
PUBLIC_PAGES = ["/", "/tree/", "/trunks/{trunk}/", SKILL, "/tracks/", "/tracks/{track}/"]
PUBLIC_PAGES += ["/ladder/", "/path/", "/sources/"]


def public_urls():
    trunk, track = Trunk.objects.first().slug, Track.objects.first().slug
    return [url.format(trunk=trunk, track=track) for url in PUBLIC_PAGES]


def csrf_token_in(html):
    return re.search(r'"x-csrftoken": "([^"]+)"', html).group(1)


def without_token(response):
    html = response.content.decode()
    return html.replace(csrf_token_in(html), "")


# The version


def test_saving_deleting_and_linking_curriculum_rows_each_make_a_new_version():
    seen = [cache.version()]

    skill = Skill.objects.get(slug="linear-algebra")
    skill.save()
    seen.append(cache.version())
    resource = ResourceFactory(skill=skill)
    seen.append(cache.version())
    resource.delete()
    seen.append(cache.version())
    Track.objects.first().literacy_trunks.add(Trunk.objects.last())
    seen.append(cache.version())

    assert len(set(seen)) == len(seen)


def test_the_admins_bulk_retire_and_restore_make_a_new_version(rf, curator):
    request = rf.post("/")
    request.user = curator
    model_admin = ResourceAdmin(Resource, admin.site)
    resource = ResourceFactory()
    before = cache.version()

    model_admin.retire(request, Resource.objects.filter(pk=resource.pk))
    retired = cache.version()
    model_admin.restore(request, Resource.objects.filter(pk=resource.pk))

    assert len({before, retired, cache.version()}) == 3


def test_a_version_lost_from_the_cache_is_replaced_by_a_new_one():
    before = cache.version()
    cache.versions().delete(cache.VERSION_KEY)
    assert cache.version() not in (None, before)


def test_cached_values_are_computed_once_per_version():
    calls = []

    def compute():
        calls.append(1)
        return ["value"]

    assert cache.cached("thing", compute, "a") == ["value"]
    assert cache.cached("thing", compute, "a") == ["value"]
    assert cache.cached("thing", compute, "b") == ["value"]
    assert len(calls) == 2
    Trunk.objects.first().save()
    cache.cached("thing", compute, "a")
    assert len(calls) == 3


def test_remembered_values_are_the_same_object_until_a_curators_save():
    first = cache.rateable_skills()

    assert cache.rateable_skills() is first
    skill = Skill.objects.get(pk=next(iter(first)))
    skill.name = "Linear algebra, renamed"
    skill.save()
    assert cache.rateable_skills() is not first
    assert cache.rateable_skills()[skill.pk].name == "Linear algebra, renamed"


# Public pages for visitors


def test_every_public_page_is_served_from_the_cache_to_visitors_with_no_query(
    client, django_assert_num_queries
):
    for url in public_urls():
        first = client.get(url)
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again.status_code == 200
        assert without_token(again) == without_token(first), url


def test_a_curators_edit_is_on_the_next_page_view():
    visitor = Client()
    assert "Eigen-everything" not in visitor.get(SKILL).content.decode()
    skill = Skill.objects.get(slug="linear-algebra")
    skill.mastery = "Eigen-everything, by hand and in code."
    skill.save()
    assert "Eigen-everything" in visitor.get(SKILL).content.decode()

    SkillFactory(trunk=Trunk.objects.first(), name="A brand new skill")
    assert "A brand new skill" in visitor.get("/tree/").content.decode()

    Passage.objects.filter(key="tree-intro").update(body="Bulk-updated intro.")
    cache.bump()  # what a bulk update's caller does: update() sends no signal
    assert "Bulk-updated intro." in visitor.get("/tree/").content.decode()


def test_each_visitor_gets_their_own_csrf_token_in_a_cached_page():
    first, second = Client(), Client()
    first_page = first.get("/tree/").content.decode()
    second_response = second.get("/tree/")
    second_token = csrf_token_in(second_response.content.decode())

    assert cache.CSRF_PLACEHOLDER not in second_response.content.decode()
    assert second_token != csrf_token_in(first_page)
    assert second_response.cookies["csrftoken"].value, "the cookie the token matches is set"


def test_a_cached_pages_token_passes_the_csrf_check():
    visitor = Client(enforce_csrf_checks=True)
    visitor.get("/tree/")
    token = csrf_token_in(visitor.get("/tree/").content.decode())  # from the cache
    response = visitor.post(
        reverse("login"), {"username": "nobody", "password": "x"}, HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 200, "the login form answered; the CSRF check passed"


def test_signed_in_people_get_their_own_page_not_the_visitors(client, learner):
    Client().get(SKILL)  # a visitor fills the cache
    client.force_login(learner)
    page = client.get(SKILL).content.decode()
    assert "Log out" in page
    assert "Log in" not in page


def test_pending_messages_are_shown_not_cached(client, learner):
    Client().get("/")  # a visitor fills the cache
    client.force_login(learner)
    client.post(reverse("assessments:delete_account"), {"password": LEARNER_PASSWORD})
    farewell = "Your account is deleted"
    assert farewell in client.get("/").content.decode(), "now a visitor, with a message"
    assert farewell not in Client().get("/").content.decode()


def test_a_visitor_is_answered_before_the_session_and_auth_middleware_with_the_same_headers(
    client,
):
    for url in public_urls():
        full = Client().get(url)
        assert hasattr(full.wsgi_request, "user"), "the first visitor runs the whole stack"
        early = Client().get(url)
        assert not hasattr(early.wsgi_request, "user"), url
        assert without_token(early) == without_token(full), url
        assert dict(early.items()) == dict(full.items()), url
        assert early["Vary"] == "Cookie"
        assert early["X-Frame-Options"] == "DENY"
        assert "Content-Security-Policy" in early
        assert early["Referrer-Policy"] == "same-origin"
        assert early.cookies["csrftoken"].value


def test_signed_in_people_and_htmx_and_queries_are_not_answered_early(client, learner):
    Client().get(SKILL)
    assert not hasattr(Client().get(SKILL).wsgi_request, "user")
    assert hasattr(Client().get(SKILL + "?x=1").wsgi_request, "user")
    assert hasattr(Client().get(SKILL, HTTP_HX_REQUEST="true").wsgi_request, "user")
    client.force_login(learner)
    assert hasattr(client.get(SKILL).wsgi_request, "user")


def test_a_missing_page_is_not_cached(client):
    assert client.get("/skills/no-such-skill/").status_code == 404
    SkillFactory(trunk=Trunk.objects.first(), name="No such skill", slug="no-such-skill")
    assert client.get("/skills/no-such-skill/").status_code == 200


# A cache that fails


class BrokenCache:
    """What Django's RedisCache does when Redis does not answer: raise on every call."""

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

        return fail


def test_pages_are_computed_when_the_cache_fails(client, learner, monkeypatch, caplog):
    monkeypatch.setattr(cache, "cache", BrokenCache())
    monkeypatch.setattr(cache, "versions", BrokenCache)
    for url in public_urls():
        assert client.get(url).status_code == 200, url
    client.force_login(learner)
    for name in ["dashboard", "audit", "my_ladder", "my_path", "audit_history"]:
        assert client.get(reverse(f"assessments:{name}")).status_code == 200, name
    Skill.objects.get(slug="linear-algebra").save()  # a curator's save still goes through
    assert "cache read failed" in caplog.text


def test_after_a_failed_read_the_shared_cache_is_left_alone_for_a_few_seconds(client, monkeypatch):
    """A Redis that hangs costs each read its timeout: one failure stops the reads for a while,
    instead of every page waiting on every read."""
    calls = []

    class Hanging(BrokenCache):
        def __getattr__(self, name):
            calls.append(name)
            return super().__getattr__(name)

    clock = [1000.0]
    monkeypatch.setattr(cache.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(cache, "versions", Hanging)
    assert client.get("/tree/").status_code == 200
    assert client.get("/skills/linear-algebra/").status_code == 200
    assert len(calls) == 1, "one failed read, then none until the retry time"

    clock[0] += cache.SHARED_RETRY_SECONDS + 1
    assert client.get("/tree/").status_code == 200
    assert len(calls) == 2, "tried again once the retry time has passed"


def test_pages_answer_with_redis_configured_on_a_closed_port(client, settings, learner):
    pytest.importorskip("redis")
    from tests.processes import closed_port

    with closed_port() as port:
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
            "shared": {
                "BACKEND": "skilltree.caches.SharedRedis",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            },
        }
        assert client.get("/tree/").status_code == 200
        client.force_login(learner)
        assert client.get(reverse("assessments:dashboard")).status_code == 200


def test_the_csrf_placeholder_is_only_used_while_rendering_for_the_cache():
    request = RequestFactory().get("/")
    assert cache.csrf_placeholder(request) == {}
    request.renders_for_visitors_cache = True
    assert cache.csrf_placeholder(request) == {"csrf_token": cache.CSRF_PLACEHOLDER}


# The full audit's shared skill blocks


def test_two_learners_share_the_cached_skill_blocks_each_with_their_own_audit_and_ratings(
    learner, other_learner
):
    from assessments import audits

    first = Skill.objects.get(slug="linear-algebra")
    pages = {}
    for user, value in ((learner, 4), (other_learner, 2)):
        draft = audits.draft_full_audit(user)
        audits.rate_one(draft, first.pk, value)
        client = Client()
        client.force_login(user)
        pages[user.pk] = (draft, value, client.get(reverse("assessments:audit")).content.decode())

    for draft, value, html in pages.values():
        assert (
            f'id="rating-{first.pk}-{value}" name="rating-{first.pk}" value="{value}" checked'
            in html
        )
        assert html.count(f'hx-post="/audits/{draft.pk}/rate/"') == Skill.objects.count()
        assert str(AUDIT_STAND_IN) not in html


def test_the_shared_redis_backend_does_what_the_version_tokens_need():
    """skilltree.caches.SharedRedis (Django's, one client per connection pool) against the
    Redis on this machine: add, get, get_many, set_many, delete_many."""
    redis = pytest.importorskip("redis")
    from skilltree.caches import SharedRedis

    store = SharedRedis("redis://127.0.0.1:6379/14", {"KEY_PREFIX": "test-shared"})
    try:
        store.clear()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    assert store.add("curriculum:version", "one", None) is True
    assert store.add("curriculum:version", "two", None) is False
    store.set_many({"learner:1": "a", "learner:2": "b"}, None)
    assert store.get_many(["curriculum:version", "learner:1", "learner:2", "learner:3"]) == {
        "curriculum:version": "one",
        "learner:1": "a",
        "learner:2": "b",
    }
    store.delete_many(["learner:1"])
    assert store.get("learner:1") is None
    assert store.get("learner:2") == "b"
    store.clear()


def test_a_curators_save_replaces_what_each_process_keeps_rather_than_adding_to_it(client, learner):
    """Pages, fragments and curriculum reads are kept one copy each, at the version they were
    made at: after curators' saves the process holds as many entries as before, not a trail."""
    from django.core.cache import caches

    kept = caches["default"]
    client.force_login(learner)

    def every_page():
        for url in public_urls():
            Client().get(url)
        for name in ["dashboard", "audit", "my_ladder", "my_path"]:
            client.get(reverse(f"assessments:{name}"))

    every_page()
    before = len(kept._cache)
    for number in range(3):
        Passage.objects.filter(key="tree-intro").update(heading=f"The tree, take {number}")
        cache.bump()
        every_page()
    assert len(kept._cache) == before


def test_when_new_versions_cannot_be_written_the_old_ones_are_deleted(monkeypatch):
    """A full or failing store must not leave pages served under the version before a save."""
    from django.core.cache import caches

    store = caches["shared"]
    before = cache.version()

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "set_many", full)
    cache.bump()
    monkeypatch.undo()
    assert store.get(cache.VERSION_KEY) is None
    assert cache.version() not in (None, before)
