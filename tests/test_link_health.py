"""`manage.py check_links` against a local HTTP server; the admin shows curators what it found."""

import io
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse

from curriculum.links import check_links, check_url, is_specific
from curriculum.models import Resource, Skill

SLOW_SECONDS = 1.5
TIMEOUT = 0.5


class _Handler(BaseHTTPRequestHandler):
    """Routes: /ok 200, /old 301→/ok, /older 308→/old, /temporary 302→/ok, /gone 404,
    /broken 500, /slow (answers after SLOW_SECONDS), /no-head (405 to HEAD, 200 to GET),
    /loop (redirects to itself), /pause (200 after 0.2 s)."""

    def _answer(self):
        server = self.server
        with server.lock:
            server.requests.append((self.command, self.path))
            server.in_flight += 1
            server.most_in_flight = max(server.most_in_flight, server.in_flight)
            server.shared["now"] += 1
            server.shared["most"] = max(server.shared["most"], server.shared["now"])
        self._route()

    def _route(self):
        path = self.path.split("?")[0]
        redirects = {"/old": (301, "/ok"), "/older": (308, "/old"), "/temporary": (302, "/ok")}
        redirects["/loop"] = (301, "/loop")
        if path in redirects:
            code, location = redirects[path]
            return self._send(code, location=location)
        if path == "/slow":
            time.sleep(SLOW_SECONDS)
            return self._send(200)
        if path == "/pause":
            time.sleep(0.2)
            return self._send(200)
        if path == "/no-head" and self.command == "HEAD":
            return self._send(405)
        codes = {"/ok": 200, "/no-head": 200, "/gone": 404, "/broken": 500}
        return self._send(codes.get(path, 404))

    def _send(self, code, location=None):
        with self.server.lock:
            self.server.in_flight -= 1
            self.server.shared["now"] -= 1
        self.send_response(code)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD = _answer

    def log_message(self, *args):
        pass


_shared_lock = threading.Lock()


@contextmanager
def _serving(shared=None):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.lock = _shared_lock
    server.requests, server.in_flight, server.most_in_flight = [], 0, 0
    server.shared = shared if shared is not None else {"now": 0, "most": 0}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def site():
    with _serving() as (server, base):
        yield server, base


@pytest.mark.parametrize(
    ("path", "status", "code", "final_path"),
    [
        ("/ok", "ok", 200, "/ok"),
        ("/old", "moved", 200, "/ok"),
        ("/older", "moved", 200, "/ok"),
        ("/temporary", "ok", 200, "/ok"),
        ("/gone", "dead", 404, "/gone"),
        ("/broken", "error", 500, "/broken"),
        ("/no-head", "ok", 200, "/no-head"),
        ("/loop", "error", None, "/loop"),
    ],
)
def test_each_kind_of_answer(site, path, status, code, final_path):
    server, base = site
    result = check_url(base + path, timeout=TIMEOUT)
    assert (result.status, result.code, result.final_url) == (status, code, base + final_path)


def test_head_first_then_get_only_when_head_fails(site):
    server, base = site
    check_url(base + "/ok", timeout=TIMEOUT)
    check_url(base + "/no-head", timeout=TIMEOUT)
    assert server.requests == [("HEAD", "/ok"), ("HEAD", "/no-head"), ("GET", "/no-head")]


def test_a_slow_answer_times_out_as_an_error_without_a_second_try(site):
    server, base = site
    started = time.monotonic()
    result = check_url(base + "/slow", timeout=TIMEOUT)
    assert time.monotonic() - started < SLOW_SECONDS
    assert (result.status, result.code, result.note) == ("error", None, "timed out")
    assert server.requests == [("HEAD", "/slow")]


def test_a_closed_port_is_an_error():
    with _serving() as (_, base):
        pass
    assert check_url(base + "/ok", timeout=TIMEOUT).status == "error"


def test_one_request_at_a_time_per_host_and_hosts_in_parallel():
    shared = {"now": 0, "most": 0}
    with _serving(shared) as (one, one_base), _serving(shared) as (two, two_base):
        urls = [f"{base}/pause?{i}" for base in (one_base, two_base) for i in range(3)]
        results = check_links(urls, timeout=5, delay=0.05, workers=4)
    assert [r.url for r in results] == sorted(urls)
    assert {r.status for r in results} == {"ok"}
    assert (one.most_in_flight, two.most_in_flight) == (1, 1)
    assert shared["most"] == 2


def test_the_same_address_is_asked_once(site):
    server, base = site
    check_links([base + "/ok", base + "/ok"], timeout=TIMEOUT, delay=0)
    assert server.requests == [("HEAD", "/ok")]


@pytest.mark.django_db
def test_the_command_records_each_resource_and_prints_dead_and_moved(site, capsys):
    server, base = site
    Resource.objects.all().delete()
    skill = Skill.objects.get(slug="linear-algebra")
    paths = ["/ok", "/old", "/gone", "/broken", "/slow"]
    for order, path in enumerate(paths):
        Resource.objects.create(skill=skill, title=f"Resource {path}", url=base + path, order=order)

    call_command("check_links", timeout=TIMEOUT, delay=0)

    found = {
        r.url.removeprefix(base): (r.link_status, r.link_status_code, r.link_final_url)
        for r in Resource.objects.all()
    }
    assert found == {
        "/ok": ("ok", 200, base + "/ok"),
        "/old": ("moved", 200, base + "/ok"),
        "/gone": ("dead", 404, base + "/gone"),
        "/broken": ("error", 500, base + "/broken"),
        "/slow": ("error", None, base + "/slow"),
    }
    assert not Resource.objects.filter(link_checked_at=None).exists()
    out = capsys.readouterr().out
    assert f"dead   {base}/gone (HTTP 404) Resource /gone" in out
    assert f"moved  {base}/old → {base}/ok (HTTP 301) Resource /old" in out
    assert len(out.splitlines()) == 3
    assert "Checked 5 addresses: 1 ok, 1 moved, 1 dead, 2 could not check." in out


@pytest.mark.django_db
def test_running_twice_refreshes_the_same_findings(site):
    server, base = site
    Resource.objects.all().delete()
    skill = Skill.objects.get(slug="linear-algebra")
    resource = Resource.objects.create(skill=skill, title="Gone", url=base + "/gone")
    call_command("check_links", timeout=TIMEOUT, delay=0, stdout=io.StringIO())
    first = Resource.objects.get(pk=resource.pk)
    call_command("check_links", timeout=TIMEOUT, delay=0, stdout=io.StringIO())
    second = Resource.objects.get(pk=resource.pk)
    assert Resource.objects.count() == 1
    assert (second.link_status, second.link_status_code) == ("dead", 404)
    assert second.link_checked_at > first.link_checked_at


@pytest.mark.parametrize(
    ("url", "specific"),
    [
        ("https://3blue1brown.com", False),
        ("https://www.anthropic.com/", False),
        ("https://youtube.com/@AndrejKarpathy", False),
        ("https://www.youtube.com/@AndrejKarpathy/videos", False),
        ("https://www.youtube.com/c/3blue1brown", False),
        ("https://www.youtube.com/channel/UCYO_jab_esuFRV4b17AJtAw", False),
        ("https://github.com/karpathy", False),
        ("https://github.com/karpathy/micrograd", True),
        ("https://www.youtube.com/watch?v=VMj-3S1tku0", True),
        ("https://www.youtube.com/playlist?list=PLAqhIrjkxbuWI23v9cThsA9GvCAUhRvKZ", True),
        ("https://www.anthropic.com/research/building-effective-agents", True),
        ("https://arxiv.org/abs/1706.03762", True),
        ("https://example.org/?page=reading-list", True),
        ("https://www.youtube.com/c", True),
    ],
)
def test_front_pages_and_channels_are_not_specific(url, specific):
    assert is_specific(url) is specific


def _changelist(client, **params):
    return client.get(reverse("admin:curriculum_resource_changelist"), params).content.decode()


@pytest.mark.django_db
def test_curators_filter_dead_links_and_see_the_status_column(client, staff_user):
    dead = Resource.objects.get(skill__slug="causal-thinking")
    dead.link_status, dead.link_status_code = "dead", 404
    dead.save()
    client.force_login(staff_user)

    page = _changelist(client, link_status__exact="dead")
    assert dead.title in page
    assert "Dead (HTTP 404)" in page
    assert "1 resource" in page and Resource.objects.count() > 1

    assert "By link status" in _changelist(client)


@pytest.mark.django_db
def test_curators_filter_links_that_are_not_specific(client, staff_user):
    client.force_login(staff_user)
    page = _changelist(client, specific="no")
    front_pages = [r for r in Resource.objects.all() if not is_specific(r.url)]
    assert front_pages
    assert f"{len(front_pages)} resources" in page
    assert "youtube.com/@AndrejKarpathy" in page
    assert "arxiv.org/abs/1706.03762" not in page
    assert "arxiv.org/abs/1706.03762" in _changelist(client, specific="yes")


@pytest.mark.django_db
def test_the_skill_form_shows_each_resource_link_status(client, staff_user):
    resource = Resource.objects.filter(skill__slug="causal-thinking").first()
    Resource.objects.filter(pk=resource.pk).update(
        link_status="moved", link_status_code=200, link_final_url="https://example.org/new-home"
    )
    client.force_login(staff_user)
    page = client.get(
        reverse("admin:curriculum_skill_change", args=[resource.skill_id])
    ).content.decode()
    assert "Moved (HTTP 200) → https://example.org/new-home" in page


@pytest.mark.django_db
def test_fixing_an_address_in_the_admin_forgets_the_old_check(client, staff_user):
    resource = Resource.objects.filter(skill__slug="causal-thinking").first()
    Resource.objects.filter(pk=resource.pk).update(link_status="dead", link_status_code=404)
    client.force_login(staff_user)
    url = reverse("admin:curriculum_resource_change", args=[resource.pk])
    response = client.post(
        url,
        {
            "skill": resource.skill_id,
            "title": resource.title,
            "url": "https://example.org/the-new-home",
            "is_free": "on",
            "kind": resource.kind,
            "order": resource.order,
        },
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.url, resource.link_status, resource.link_status_code) == (
        "https://example.org/the-new-home",
        "",
        None,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, {"specific": "no"}, {"link_status__exact": "dead"}])
def test_the_resource_list_takes_the_same_queries_at_two_sizes(client, staff_user, params):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff_user)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert (
                client.get(reverse("admin:curriculum_resource_changelist"), params).status_code
                == 200
            )
        return len(queries)

    before = count()
    skill = Skill.objects.get(slug="linear-algebra")
    Resource.objects.bulk_create(
        Resource(skill=skill, title=f"r{i}", url=f"https://x.org/{i}", link_status="dead")
        for i in range(30)
    )
    assert count() == before
