"""Hostile input, generated: no URL answers 500, and none writes a row for input it refuses.

Every URL in the permission matrix (tests/test_permission_matrix.py, which walks the resolver, so a
new URL is covered here once it has its entry there) is asked by someone who may see it, with
generated values where it reads them: the path's arguments, the query string, the form fields found
on the site's own pages (missing, duplicated, renamed), htmx headers, and bodies of the wrong
content type. The values: NUL and control characters, overlong strings, digits that are not ASCII,
malformed URLs, random text.

"A write" is a changed row count, highest key, or any row of the people's tables; the session
table and django-axes' log-in records are left out (keeping them is their job). A POST that is
answered with a redirect was accepted and may write; any other answer must leave every row as
it was.

The generated tests draw 8 examples per URL (several hundred per test) and together take about
half a minute of CPU: they are marked slow. The discovery and coverage checks are fast.
"""
# ruff: noqa: F811 - `world` is the fixture imported from the matrix, taken as an argument

import json
import re
from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_permission_matrix import (
    API_NAMESPACE,
    MATRIX,
    ROLES,
    changes,
    fingerprint,
    refused,
    url_patterns,
    world,  # noqa: F401 - the fixture, which pytest passes to the tests below by name
)

EXAMPLES = settings(
    max_examples=8,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Hostile values

NON_ASCII_DIGITS = "²³¹٠١٢٣٤٥٦٧٨٩০১২৩௧௨൧๑໑༡၁០᠑０１２３𝟎𝟏𝟐"
KNOWN_NASTIES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "\u200b\u202e\ufeff",
    "²",
    "³",
    "٣",
    "-1",
    "0",
    "1e9",
    "NaN",
    "99999999999999999999999999",
    "9" * 5000,
    "x" * 5000,
    "é" * 3000,
    "http://[::1",
    "//evil.example/",
    "javascript:alert(1)",
    "<script>alert(1)</script>",
    "' OR 1=1--",
    "../../etc/passwd",
    "%00",
    "%ZZ",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "true",
    "null",
    "[]",
]

hostile_text = st.one_of(
    st.sampled_from(KNOWN_NASTIES),
    st.text(st.characters(codec="utf-8"), max_size=30),
    st.text(st.sampled_from(NON_ASCII_DIGITS), min_size=1, max_size=6),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.builds(
        lambda piece, times: piece * times,
        st.sampled_from(["9", "x", "é", "\x01", "²"]),
        st.integers(min_value=200, max_value=6000),
    ),
)


def renamed(name):
    """The field's name as a forger would twist it: other digits, a suffix, a control byte."""
    return st.one_of(
        st.just(re.sub(r"\d", "²", name)),
        st.just(re.sub(r"\d", "٣", name)),
        hostile_text.map(lambda extra: f"{name}{extra}"[:300]),
    )


@st.composite
def form_bodies(draw, fields):
    """Each known field missing, given once, or given several times; plus a few twisted names."""
    body = {}
    for field in fields:
        shape = draw(st.sampled_from(["missing", "one", "many"]))
        if shape == "one":
            body[field] = draw(hostile_text)
        elif shape == "many":
            body[field] = draw(st.lists(hostile_text, min_size=2, max_size=4))
    for field in draw(st.lists(st.sampled_from(fields or ["value"]), max_size=2)):
        body[draw(renamed(field))] = draw(hostile_text)
    return body


QUERY_NAMES = ["next", "track", "view", "sort", "stale", "q", "o", "p", "page", "term", "id"]


@st.composite
def query_strings(draw):
    """Known and random parameter names, repeated or bare, percent-encoded or raw garbage."""
    parts = []
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        name = draw(st.one_of(st.sampled_from(QUERY_NAMES), hostile_text))
        value = draw(hostile_text)
        parts.append(
            draw(
                st.sampled_from(
                    [
                        f"{quote(name, safe='')}={quote(value, safe='')}",
                        quote(name, safe=""),
                        f"{quote(name, safe='')}=%ff%fe%00",
                        f"{quote(name, safe='')}==%",
                    ]
                )
            )
        )
    return "&".join(parts)


htmx_headers = st.fixed_dictionaries(
    {},
    optional={
        "HTTP_HX_REQUEST": st.one_of(st.sampled_from(["true", "false", "", "1"]), hostile_text),
        "HTTP_HX_CURRENT_URL": st.one_of(
            st.sampled_from(["http://[::1", "http://", "//", "javascript:x", "http://a:99999/"]),
            hostile_text,
        ),
        "HTTP_HX_TARGET": st.one_of(st.sampled_from(["heatmap", "skill-progress"]), hostile_text),
        "HTTP_HX_TRIGGER": hostile_text,
        "HTTP_HX_BOOSTED": hostile_text,
    },
).map(lambda headers: {k: v.replace("\n", " ").replace("\r", " ") for k, v in headers.items()})


# Who asks, and where


ASKERS = ("learner", "lead", "member", "superuser", "anonymous")


def seer(name):
    """Someone the matrix lets see the page (or be sent on from it): the learner, a lead, the
    superuser, or a visitor; or whom the view itself answers 401 (a sign-in provider's callback
    outside its flow reads the query string first)."""
    outcomes = MATRIX[name]["GET"]
    return (
        next((r for r in ASKERS if outcomes[r] == 200), None)
        or next((r for r in ASKERS if not refused(outcomes[r]) and outcomes[r] != 405), None)
        or next((r for r in ASKERS if outcomes[r] == 401), None)
    )


def poster(name):
    """Someone whose POST the matrix lets through to the view (its answer, not a refusal; a 400
    or 401 is the view's own)."""
    for role in ASKERS:
        outcome = MATRIX[name]["POST"][role]
        if not refused(outcome) or outcome in (400, 401):
            return role
    return None


PAGES = sorted(name for name in MATRIX if seer(name))
FORM_TARGETS = sorted(name for name in MATRIX if poster(name))


def path_of(world, name):
    kwargs = {key: world.argument(value) for key, value in MATRIX[name].get("kwargs", {}).items()}
    return reverse(name, kwargs=kwargs)


LEFT_OUT = ("django_session", "axes_")


def writes(before, after):
    return [t for t in changes(before, after) if not any(x in t for x in LEFT_OUT)]


def ask(world, role, method, path, **request):
    """One request by `role` (rolled back), and the rows it changed."""
    client = Client()
    if world.sessions[role]:
        client.cookies["sessionid"] = world.sessions[role]
    with transaction.atomic():
        before = fingerprint()
        response = client.generic(method, path, **request)
        changed = writes(before, fingerprint())
        transaction.set_rollback(True)
    return response, changed


ACCEPTS_WITH_A_PAGE = {reverse("notices:unsubscribe", args=["x"]).split("x/")[0]}
"""Where an accepted POST is answered with a page, not a redirect: the unsubscribe link acts on
its signed token whatever the body holds."""


def assert_held(response, changed, method, path, role):
    where = f"{method} {path} as {role}"
    assert response.status_code < 500, f"{where} answered {response.status_code}"
    accepted = method == "POST" and (
        response.status_code in (301, 302, 303)
        or (response.status_code == 200 and path.startswith(tuple(ACCEPTS_WITH_A_PAGE)))
    )
    reading = method == "GET" and response.status_code < 400
    assert accepted or reading or not changed, (
        f"{where} answered {response.status_code} but changed {changed}"
    )


# The forms on the site's own pages


class _Forms(HTMLParser):
    """Every POST form's action and the names of its controls."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.forms.append((attrs.get("action") or "", set()))
        elif tag in ("input", "select", "textarea", "button") and self.forms and attrs.get("name"):
            self.forms[-1][1].add(attrs["name"])


@pytest.fixture(scope="module")
def fields_by_path(world, django_db_blocker):
    """{path a form posts to: the names of its fields}, read from every page its seer sees."""
    found = {}
    with django_db_blocker.unblock():
        for name in PAGES:
            path = path_of(world, name)
            response, _changed = ask(world, seer(name), "GET", path)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            parser = _Forms()
            parser.feed(response.content.decode())
            for action, names in parser.forms:
                target = urlsplit(action).path or path
                found.setdefault(target, set()).update(names - {"csrfmiddlewaretoken"})
    return {path: sorted(names) for path, names in found.items()}


@pytest.mark.django_db
def test_the_site_has_forms_to_attack(fields_by_path, world):
    """The discovery finds the forms this file is for (else it would attack nothing)."""
    assert "username" in fields_by_path[reverse("account_signup")]
    assert any(
        name.startswith("question-") for name in fields_by_path[reverse("assessments:quick_audit")]
    )
    assert "name" in fields_by_path[path_of(world, "cohorts:cohort_edit")]


# The tests


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["aim_track", "assessments:skill_progress"])
@pytest.mark.parametrize("next_value", ["²", "dashboard", "assessments:dashboard"])
def test_a_next_that_is_not_a_url_falls_back_to_the_page_itself(world, name, next_value):
    """Found here: `redirect()` took a `next` without a slash for a view's name (a 500)."""
    path = path_of(world, name)
    body = {"next": next_value, "status": "learning"}
    response, _changed = ask(
        world,
        "learner",
        "POST",
        path,
        data=encode_multipart(BOUNDARY, body),
        content_type=MULTIPART_CONTENT,
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/"), response["Location"]


def test_every_url_in_the_matrix_is_attacked_here():
    # Unnamed addresses are django-allauth's redirects to named ones (the matrix's UNNAMED);
    # the API's operations are fuzzed against its schema (tests/test_api_schema.py).
    names = {
        name
        for name, _route, namespace in url_patterns()
        if namespace not in ("admin", API_NAMESPACE) and name
    }
    unseen = names - set(PAGES) - set(FORM_TARGETS)
    assert not unseen, f"nobody in the matrix may GET or POST {unseen}: this file cannot reach them"


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("name", FORM_TARGETS)
def test_every_form_takes_hostile_values_without_a_500_or_a_write(world, fields_by_path, name):
    path = path_of(world, name)
    role = poster(name)
    fields = fields_by_path.get(path, [])

    @EXAMPLES
    @given(body=form_bodies(fields))
    def attack(body):
        response, changed = ask(
            world,
            role,
            "POST",
            path,
            data=encode_multipart(BOUNDARY, body),
            content_type=MULTIPART_CONTENT,
        )
        assert_held(response, changed, "POST", path, role)

    attack()


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_every_page_takes_a_hostile_query_string_without_a_500(world, name):
    path = path_of(world, name)
    role = seer(name)

    @EXAMPLES
    @given(query=query_strings(), headers=htmx_headers)
    def attack(query, headers):
        response, changed = ask(world, role, "GET", path, QUERY_STRING=query, **headers)
        assert_held(response, changed, "GET", path, role)

    attack()


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_a_visitor_with_malformed_htmx_headers_gets_no_500(world, name):
    path = path_of(world, name)

    @EXAMPLES
    @given(headers=htmx_headers)
    def attack(headers):
        response, changed = ask(world, "anonymous", "GET", path, **headers)
        assert_held(response, changed, "GET", path, "anonymous")

    attack()


def _route_with(route, value):
    return "/" + re.sub(r"<(?:\w+:)?\w+>", quote(value, safe=""), route)


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize(
    "route",
    sorted({route for _n, route, ns in url_patterns() if ns != "admin" and "<" in route}),
)
def test_every_path_argument_takes_hostile_values_without_a_500(world, route):
    @EXAMPLES
    @given(value=hostile_text, role=st.sampled_from(ROLES), method=st.sampled_from(["GET", "POST"]))
    def attack(value, role, method):
        path = _route_with(route, value)
        response, changed = ask(world, role, method, path)
        assert response.status_code < 500, (
            f"{method} {path[:200]} as {role}: {response.status_code}"
        )
        assert response.status_code < 400 or not changed, f"{method} {path[:200]} changed {changed}"

    attack()


CONTENT_TYPES = st.sampled_from(
    [
        ("application/json", "json"),
        ("multipart/form-data", "garbage"),
        ("multipart/form-data; boundary=xyz", "garbage"),
        ("multipart/form-data; boundary=xyz", "truncated"),
        ("application/x-www-form-urlencoded", "bad-utf8"),
        ("text/plain", "json"),
        ("application/octet-stream", "garbage"),
        ("", "garbage"),
    ]
)


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.parametrize("name", FORM_TARGETS)
def test_every_form_given_the_wrong_content_type_gets_no_500_and_writes_nothing(
    world, fields_by_path, name
):
    path = path_of(world, name)
    role = poster(name)
    fields = fields_by_path.get(path, []) or ["value"]

    @EXAMPLES
    @given(kind=CONTENT_TYPES, values=st.lists(hostile_text, min_size=1, max_size=3))
    def attack(kind, values):
        content_type, shape = kind
        if shape == "json":
            body = json.dumps(dict(zip(fields, values, strict=False))).encode()
        elif shape == "truncated":
            body = b'--xyz\r\nContent-Disposition: form-data; name="' + values[0].encode()[:50]
        elif shape == "bad-utf8":
            body = b"&".join(f.encode() + b"=%ff%fe\xff\xfe" for f in fields)
        else:
            body = "".join(values).encode()[:10000] + b"\x00\xff--"
        response, changed = ask(world, role, "POST", path, data=body, content_type=content_type)
        assert_held(response, changed, "POST", path, role)

    attack()
