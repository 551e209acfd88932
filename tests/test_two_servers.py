"""Two app servers (separate gunicorn processes) on one PostgreSQL and one Redis behave as one site:
a curator's edit through A is on B's next page, a session made on A works on B, a lock-out on A
holds on B, a rating saved through A shows on B's dashboard."""

import csv
import io
import re
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from tests.factories import STAFF_TOTP_SECRET
from tests.processes import (
    free_port,
    manage,
    postgres_database,
    production_environment,
    server,
)
from tests.second_factor import code_now

pytestmark = pytest.mark.slow

REDIS_URL = "redis://127.0.0.1:6379/13"
PASSWORD = "two-servers-password-42"
HTTPS = {"X-Forwarded-Proto": "https"}


class Browser:
    """Cookies and CSRF by hand: the site's cookies are Secure, and the servers speak plain HTTP
    behind what they take for a TLS proxy (X-Forwarded-Proto)."""

    def __init__(self):
        self.cookies = {}

    def request(self, url, data=None, headers=None):
        sent = {**HTTPS, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            origin = re.match(r"https?://[^/]+", url).group(0).replace("http://", "https://")
            sent.update({"Origin": origin, "Referer": url.replace("http://", "https://")})
        request = urllib.request.Request(url, data=body, headers=sent)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=20) as response:
                status, got, text = response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            status, got, text = error.code, error.headers, error.read().decode()
        for header in got.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return status, got, text

    def get(self, url):
        return self.request(url)

    def post(self, url, data, headers=None):
        return self.request(url, {**data, "csrfmiddlewaretoken": self.token(url)}, headers)

    def token(self, url):
        if "csrftoken" not in self.cookies:
            self.get(url)
        return self.cookies["csrftoken"]

    def log_in(self, base, username, password=PASSWORD):
        self.get(f"{base}/accounts/login/")
        return self.post(f"{base}/accounts/login/", {"login": username, "password": password})


class FormFields(HTMLParser):
    """Every field a browser would send from the page's main form, as it stands."""

    def __init__(self):
        super().__init__()
        self.fields, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button", "file"):
            choice = attrs.get("type") in ("checkbox", "radio")
            if choice and "checked" not in attrs:
                return
            self.fields.append([name, attrs.get("value", "on" if choice else "")])
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append([self._select, attrs.get("value", "")])
        elif tag == "textarea" and name:
            self._textarea = [name, ""]
            self.fields.append(self._textarea)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data


def form_fields(html):
    parser = FormFields()
    parser.feed(html)
    return parser.fields


def migrated_site(database_url, workdir, **overrides):
    """(the servers' settings, the environment for manage.py) of a site on `database_url`,
    migrated and with its static files collected."""
    settings = {
        "DATABASE_URL": database_url,
        "DJANGO_BEHIND_PROXY": 1,
        "DJANGO_STATIC_ROOT": workdir / "static",
        "DJANGO_MIGRATE_ON_START": 0,
        "GUNICORN_HOST": "127.0.0.1",
        **overrides,
    }
    env = production_environment(**settings)
    manage("migrate", "--no-input", "--verbosity", "0", env=env)
    manage("collectstatic", "--no-input", "--verbosity", "0", env=env)
    return settings, env


@pytest.fixture(scope="module")
def two_servers(tmp_path_factory):
    redis = pytest.importorskip("redis")
    try:
        connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        connection.flushdb()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis does not answer at {REDIS_URL}: {error}")
    workdir = tmp_path_factory.mktemp("two-servers")
    with postgres_database("twoservers") as database_url:
        shared, env = migrated_site(
            database_url, workdir, REDIS_URL=REDIS_URL, GUNICORN_WORKERS=1, GUNICORN_THREADS=2
        )
        manage(
            "shell",
            "-c",
            "from accounts.models import User\n"
            f"curator = User.objects.create_superuser('curator', 'c@example.org', '{PASSWORD}')\n"
            # staff need a second factor for the admin: an authenticator app holding this key
            "from allauth.mfa.models import Authenticator\n"
            "from allauth.mfa.utils import encrypt\n"
            "Authenticator.objects.create(user=curator, type='totp', "
            f"data={{'secret': encrypt('{STAFF_TOTP_SECRET}')}})\n"
            f"User.objects.create_user('ada', 'ada@example.org', '{PASSWORD}')\n"
            f"User.objects.create_user('bob', 'bob@example.org', '{PASSWORD}')\n"
            f"lena = User.objects.create_user('lena', 'lena@example.org', '{PASSWORD}')\n"
            "from django.contrib.auth.models import Group\n"
            "lena.groups.add(Group.objects.get(name='Cohort leads'))\n"
            "from cohorts.models import Cohort, Membership\n"
            "cohort = Cohort.objects.create(name='Spring cohort')\n"
            "cohort.leads.add(lena)\n"
            "Membership.objects.create(cohort=cohort, user=User.objects.get(username='ada'))\n",
            env=env,
        )
        ports = free_port(), free_port()
        # B also runs as behind PgBouncer in transaction mode: no server-side cursors.
        envs = (
            production_environment(**shared, PORT=ports[0]),
            production_environment(**shared, PORT=ports[1], DJANGO_DISABLE_SERVER_SIDE_CURSORS=1),
        )
        with (
            server(["bin/start"], envs[0], workdir / "a.log") as a,
            server(["bin/start"], envs[1], workdir / "b.log") as b,
        ):
            bases = [f"http://127.0.0.1:{port}" for port in ports]
            a.wait_until_answers(f"{bases[0]}/healthz")
            b.wait_until_answers(f"{bases[1]}/healthz")
            yield bases
    connection.flushdb()


def test_a_curators_edit_through_a_shows_on_bs_next_page(two_servers):
    a, b = two_servers
    visitor = Browser()
    status, _, before = visitor.get(f"{b}/skills/linear-algebra/")
    assert status == 200 and "linear algebra" in before.lower()
    assert redis_keys("*:curriculum"), "the curriculum version is in the shared Redis"

    curator = Browser()
    assert curator.log_in(a, "curator")[0] == 302
    code = {"code": code_now(STAFF_TOTP_SECRET)}
    assert curator.post(f"{a}/accounts/2fa/authenticate/", code)[0] == 302
    status, _, changelist = curator.get(f"{a}/admin/curriculum/skill/?q=linear")
    assert status == 200
    (change_url,) = set(re.findall(r'href="(/admin/curriculum/skill/\d+/change/)', changelist))
    status, _, form = curator.get(f"{a}{change_url}")
    fields = [field for field in form_fields(form) if field[0] != "csrfmiddlewaretoken"]
    for field in fields:
        if field[0] == "mastery":
            field[1] = "Edited through server A: eigenvectors in your sleep."
    status, headers, _ = curator.post(f"{a}{change_url}", dict(_multi(fields)))
    assert status == 302, "the admin saved the skill"

    after = Browser().get(f"{b}/skills/linear-algebra/")[2]
    assert "Edited through server A: eigenvectors in your sleep." in after


def redis_keys(pattern):
    import redis

    return redis.Redis.from_url(REDIS_URL).keys(pattern)


def _multi(fields):
    grouped = {}
    for name, value in fields:
        grouped.setdefault(name, []).append(value)
    return grouped


def test_a_session_made_on_a_works_on_b(two_servers):
    a, b = two_servers
    ada = Browser()
    assert ada.log_in(a, "ada")[0] == 302

    status, _, page = ada.get(f"{b}/dashboard/")
    assert status == 200, "B knows the session: no redirect to the login page"
    assert "Log out" in page and "Log in" not in page
    assert Browser().get(f"{b}/dashboard/")[0] == 302, "without the session, B sends to login"


def test_a_login_lockout_on_a_holds_on_b(two_servers):
    a, b = two_servers
    guesser = Browser()
    for _ in range(5):
        guesser.log_in(a, "bob", password="not-the-password")

    status, _, page = Browser().log_in(b, "bob")
    assert status == 429
    assert "Log-in paused after too many failed attempts" in page
    assert Browser().log_in(b, "ada")[0] == 302, "another username is not locked out"


def test_a_rating_saved_through_a_shows_on_bs_dashboard(two_servers):
    a, b = two_servers
    ada = Browser()
    ada.log_in(a, "ada")
    assert "You have not saved an audit yet" in ada.get(f"{b}/dashboard/")[2]

    status, _, audit_page = ada.get(f"{a}/audit/")
    rate_url = re.search(r'action="(/audits/\d+/rate/)"', audit_page).group(1)
    skill_id = re.search(r'name="rating-(\d+)"', audit_page).group(1)
    status, _, fragment = ada.post(
        f"{a}{rate_url}",
        {f"rating-{skill_id}": "4"},
        headers={"HX-Request": "true", "X-CSRFToken": ada.cookies["csrftoken"]},
    )
    assert status == 200 and "Rated 4 of 5" in fragment
    save_url = rate_url.replace("/rate/", "/save/")
    assert ada.post(f"{a}{save_url}", {})[0] == 302

    status, _, dashboard = ada.get(f"{b}/dashboard/")
    assert status == 200
    assert "You have not saved an audit yet" not in dashboard
    assert "(1 rated)" in dashboard


def test_the_cohort_export_streams_without_server_side_cursors_as_behind_pgbouncer(two_servers):
    """B runs with DJANGO_DISABLE_SERVER_SIDE_CURSORS=1: the export's .iterator() streams still
    work, and give what A (server-side cursors on) gives."""
    a, b = two_servers
    lead = Browser()
    lead.log_in(a, "lena")
    status, _, cohort_list = lead.get(f"{a}/cohorts/")
    export = re.search(r'"(/cohorts/\d+/)', cohort_list).group(1) + "export.csv"

    from_a = lead.get(f"{a}{export}")
    from_b = lead.get(f"{b}{export}")
    assert from_a[0] == from_b[0] == 200
    assert from_b[1]["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(from_b[2])))
    assert len(rows) == 37, "one row per skill for the one learner"
    assert {row["username"] for row in rows} == {"ada"}
    assert from_a[2] == from_b[2]


# One server, two worker processes, no Redis: the version tokens live in files both workers read
# (settings.CACHES "shared"), so neither worker serves a page from before a change made through
# the other. Each page is asked for several times at once, so that both workers (one thread
# each) serve it, and have it cached, before the change.

ASKS = 8


def ask_at_once(get, url):
    with ThreadPoolExecutor(ASKS) as pool:
        return [text for _status, _headers, text in pool.map(get, [url] * ASKS)]


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("two-workers")
    with postgres_database("twoworkers") as database_url:
        settings, env = migrated_site(
            database_url,
            workdir,
            DJANGO_CACHE_DIR=workdir / "versions",
            GUNICORN_WORKERS=2,
            GUNICORN_THREADS=1,
        )
        manage(
            "shell",
            "-c",
            "from accounts.models import User\n"
            f"User.objects.create_superuser('curator', 'c@example.org', '{PASSWORD}')\n"
            f"User.objects.create_user('ada', 'ada@example.org', '{PASSWORD}')\n",
            env=env,
        )
        port = free_port()
        with server(
            ["bin/start"], production_environment(**settings, PORT=port), workdir / "log"
        ) as one:
            base = f"http://127.0.0.1:{port}"
            one.wait_until_answers(f"{base}/healthz")
            yield base, env


def test_a_rating_shows_on_the_next_dashboard_whichever_worker_serves_it(two_workers):
    base, _env = two_workers
    ada = Browser()
    ada.log_in(base, "ada")
    ada.get(f"{base}/dashboard/")  # shows any message the log-in left
    for dashboard in ask_at_once(ada.get, f"{base}/dashboard/"):
        assert "You have not saved an audit yet" in dashboard

    audit_page = ada.get(f"{base}/audit/")[2]
    rate_url = re.search(r'action="(/audits/\d+/rate/)"', audit_page).group(1)
    skill_id = re.search(r'name="rating-(\d+)"', audit_page).group(1)
    ada.post(
        f"{base}{rate_url}",
        {f"rating-{skill_id}": "4"},
        headers={"HX-Request": "true", "X-CSRFToken": ada.cookies["csrftoken"]},
    )
    status, headers, _ = ada.post(f"{base}{rate_url.replace('/rate/', '/save/')}", {})
    assert status == 302
    ada.get(f"{base}{headers['Location']}")  # shows "Audit saved", so no message is pending

    for dashboard in ask_at_once(ada.get, f"{base}/dashboard/"):
        assert "You have not saved an audit yet" not in dashboard
        assert "(1 rated)" in dashboard


def test_a_curriculum_change_from_a_command_shows_on_every_workers_next_page(two_workers):
    """A manage.py command (another process again) that writes the curriculum bumps the version
    the workers read, as load_curriculum, import_framework and check_links do."""
    base, env = two_workers
    for page in ask_at_once(Browser().get, f"{base}/skills/linear-algebra/"):
        assert "Changed by a command" not in page

    manage(
        "shell",
        "-c",
        "from curriculum.models import Skill\n"
        "skill = Skill.objects.get(slug='linear-algebra')\n"
        "skill.mastery = 'Changed by a command: eigenvectors in your sleep.'\n"
        "skill.save()\n"
        "import pages\n"
        "pages.bump_curriculum()\n",
        env=env,
    )
    for page in ask_at_once(Browser().get, f"{base}/skills/linear-algebra/"):
        assert "Changed by a command" in page


def test_signing_out_through_one_worker_signs_out_of_both(two_workers):
    """Without Redis the sessions' copies are files both workers read (settings.CACHES
    "sessions", Django's cached_db): a session deleted through one is gone for the other."""
    base, env = two_workers
    ada = Browser()
    ada.log_in(base, "ada")
    for status, _headers, _text in [ada.get(f"{base}/dashboard/") for _ in range(ASKS)]:
        assert status == 200
    key = ada.cookies["sessionid"]
    sessions_dir = Path(env["DJANGO_CACHE_DIR"]) / "sessions"
    assert any(sessions_dir.iterdir()), "the session was read from the database and kept"

    status, _headers, _text = ada.post(f"{base}/accounts/logout/", {})
    assert status == 302
    ada.cookies["sessionid"] = key  # as a copied cookie would
    with ThreadPoolExecutor(ASKS) as pool:
        answers = list(pool.map(ada.get, [f"{base}/dashboard/"] * ASKS))
    assert {status for status, _headers, _text in answers} == {302}
