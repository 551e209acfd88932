"""Issue 12: hostile input answers 4xx and writes nothing, double submits give one row, no leaks.

The concurrency tests need PostgreSQL (SQLite serialises every write, so it cannot race): they run
when DATABASE_URL points at PostgreSQL and are marked `slow`.
"""

import contextlib
import re
import socket
import sys
import threading
import time
from datetime import date, timedelta

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import Audit, BaselineAnswer, Rating
from curriculum.models import BaselineQuestion, Skill
from tests import factories
from tests.outbox import sent_mail
from tests.processes import production_environment, run

User = get_user_model()

STRONG_PASSWORD = "orchard-lantern-41-quietly"

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)"
)


def _sign_up_data(**overrides):
    return {
        "username": "grace",
        "email": "grace@example.org",
        "password1": STRONG_PASSWORD,
        "password2": STRONG_PASSWORD,
        **overrides,
    }


def _row_counts():
    return (
        User.objects.count(),
        Audit.objects.count(),
        Rating.objects.count(),
        BaselineAnswer.objects.count(),
    )


def _in_parallel(count, work):
    """Run ``work(i)`` in ``count`` threads that start together, each on its own connection."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as error:  # noqa: BLE001 - the test asserts no thread failed
            results[i] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


# 1. A malformed HX-Current-URL


@pytest.mark.django_db
@pytest.mark.parametrize(
    "current_url", ["http://[::1", "http://[", "::::", "http://testserver:99999/"]
)
def test_htmx_request_with_a_malformed_current_url_is_sent_to_log_in(client, current_url):
    response = client.get(
        reverse("assessments:dashboard"), HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL=current_url
    )

    assert response.status_code == 204
    assert response["HX-Redirect"] == f"{reverse('account_login')}?next=/"


# 2. An overlong username at log-in


@pytest.mark.django_db
def test_log_in_with_an_overlong_username_is_refused_with_the_limit_and_stores_no_long_name(
    client,
):
    User.objects.create_user(username="ada", password=STRONG_PASSWORD)

    response = client.post(reverse("account_login"), {"login": "a" * 5000, "password": "wrong"})

    assert response.status_code == 200
    assert "at most 254 characters" in response.content.decode()
    assert all(
        len(name or "") <= 254 for name in AccessAttempt.objects.values_list("username", flat=True)
    )
    assert not response.wsgi_request.user.is_authenticated


# 3. NUL bytes anywhere in a request


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url", "data"),
    [
        ("get", "/join/%00/", None),
        ("post", "/join/%00/", {}),
        ("get", "/dashboard/?track=%00", None),
        ("get", "/dashboard/?%00=1", None),
        ("post", "/accounts/signup/", _sign_up_data(username="gr\x00ace")),
        ("post", "/accounts/login/", {"login": "ada\x00", "password": "x"}),
        ("post", "/progress/path/", {"started_on": "2026-01-05\x00"}),
        (
            "get",
            "/admin/autocomplete/?term=%00&app_label=curriculum&model_name=resource&field_name=skill",
            None,
        ),
    ],
)
def test_a_nul_byte_in_path_query_or_form_answers_400_and_writes_nothing(
    client, staff_user, method, url, data
):
    client.force_login(staff_user)
    before = _row_counts()
    attempts = AccessAttempt.objects.count()

    response = (
        getattr(client, method)(url, data) if data is not None else getattr(client, method)(url)
    )

    assert response.status_code == 400
    assert _row_counts() == before
    assert AccessAttempt.objects.count() == attempts


@pytest.mark.django_db
def test_a_nul_byte_in_the_session_cookie_answers_400(client):
    client.cookies["sessionid"] = "\x00" * 32

    assert client.get(reverse("assessments:dashboard")).status_code == 400


@pytest.mark.django_db
def test_public_pages_still_answer_without_nul_bytes(client):
    assert client.get("/join/not-a-token/").status_code == 404
    assert client.get("/").status_code == 200


@pytest.mark.django_db
@pytest.mark.django_db
def test_text_fields_refuse_nul_bytes_themselves():
    from allauth.account.forms import SignupForm

    from accounts.forms import ProfileForm

    form = SignupForm(_sign_up_data(username="gr\x00ace"))
    assert "username" in form.errors
    profile = ProfileForm({"display_name": "Gr\x00ace"}, instance=User(username="grace"))
    assert "display_name" in profile.errors


# 4. Ratings that look like digits to str.isdigit()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make_field",
    [
        lambda skill: (f"rating-{skill.pk}", "²"),
        lambda skill: (f"rating-{skill.pk}", "³"),
        lambda skill: (f"rating-{skill.pk}", "٣"),
        lambda skill: (f"rating-{skill.pk}", "9" * 5000),
        lambda skill: (f"rating-{skill.pk}", "3\x00"),
        lambda skill: ("rating-²", "3"),
        lambda skill: ("rating-" + "9" * 5000, "3"),
        lambda skill: ("rating-" + "9" * 30, "3"),
    ],
)
@pytest.mark.parametrize("url_name", ["assessments:rate", "assessments:save_audit"])
def test_a_rating_that_is_not_1_to_5_in_ascii_answers_400_and_writes_nothing(
    learner_client, learner, make_field, url_name
):
    draft = Audit.objects.create(user=learner, kind=Audit.Kind.FULL)
    name, value = make_field(Skill.objects.first())

    response = learner_client.post(reverse(url_name, args=[draft.pk]), {name: value})

    assert response.status_code == 400
    assert not Rating.objects.exists()
    draft.refresh_from_db()
    assert draft.saved_at is None


def test_parse_ratings_reads_plain_digits():
    from assessments.audits import parse_ratings

    assert parse_ratings({"rating-12": "3", "rating-7": "", "other": "x"}) == {12: 3, 7: None}


# 5 and 6. Sign-ups: one account per username and per email, even at once


@pytest.mark.django_db
def test_the_database_lets_one_account_verify_an_address_in_any_case():
    """Two accounts may hold one address unverified (sign-up says nothing about who has it);
    only one may have it verified."""
    ada = factories.make_user("ada", email="ada@example.org")
    grace = factories.make_user("grace", email="ADA@Example.org", email_verified=False)
    factories.make_user("blank-1", email="")
    factories.make_user("blank-2", email="")

    with pytest.raises(IntegrityError), transaction.atomic():
        EmailAddress.objects.filter(user=grace).update(verified=True)
    assert EmailAddress.objects.get(user=ada).verified


@pytest.mark.django_db
def test_sign_up_that_loses_the_username_race_shows_the_form_error(client, monkeypatch):
    """The form checked before another request inserted the same username."""
    from accounts.adapter import AccountAdapter

    check = AccountAdapter.clean_username

    def check_then_lose_the_race(self, username, shallow=False):
        username = check(self, username, shallow=shallow)
        if not User.objects.exists():
            User.objects.create_user(username="Grace", email="other@example.org")
        return username

    monkeypatch.setattr(AccountAdapter, "clean_username", check_then_lose_the_race)

    response = client.post(reverse("account_signup"), _sign_up_data())

    assert response.status_code == 200
    assert "A user with that username already exists." in response.content.decode()
    assert User.objects.count() == 1
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.slow
@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_sign_ups_at_once_with_one_username_make_one_account():
    def sign_up(i):
        username = "grace" if i % 2 else "Grace"
        return Client().post(
            reverse("account_signup"), _sign_up_data(username=username, email=f"g{i}@example.org")
        )

    responses = _in_parallel(20, sign_up)

    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert sorted(r.status_code for r in responses) == [200] * 19 + [302]
    assert User.objects.filter(username__iexact="grace").count() == 1


@pytest.mark.slow
@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_sign_ups_at_once_with_one_email_answer_alike_and_one_account_verifies_it():
    def sign_up(i):
        return Client().post(
            reverse("account_signup"),
            _sign_up_data(username=f"grace{i}", email="Grace@Example.org"),
        )

    responses = _in_parallel(20, sign_up)

    assert not [r for r in responses if isinstance(r, Exception)], responses
    assert [r.status_code for r in responses] == [302] * 20, [
        r.context["form"].errors for r in responses if r.status_code != 302
    ]
    assert User.objects.filter(email__iexact="grace@example.org").count() == 20
    # One link, not twenty: at most one every three minutes goes to an address.
    assert len([m for m in sent_mail() if m.to == ["grace@example.org"]]) == 1

    keys = [EmailConfirmationHMAC(a).key for a in EmailAddress.objects.order_by("pk")]

    def confirm(i):
        return Client().post(reverse("account_confirm_email", args=[keys[i]]))

    answers = _in_parallel(20, confirm)

    assert not [r for r in answers if isinstance(r, Exception) or r.status_code >= 500], answers
    assert EmailAddress.objects.filter(email="grace@example.org", verified=True).count() == 1


# 7. A double-clicked quick audit


def _quick_answers():
    return {f"question-{q.pk}": "3" for q in BaselineQuestion.objects.all()}


@pytest.mark.django_db
def test_a_quick_audit_submitted_twice_makes_one_snapshot_and_both_see_it(learner_client):
    first = learner_client.post(reverse("assessments:quick_audit"), _quick_answers())
    second = learner_client.post(reverse("assessments:quick_audit"), _quick_answers())

    [audit] = Audit.objects.all()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("assessments:audit_detail", args=[audit.pk])
    assert "already saved" in learner_client.get(second.url).content.decode()


@pytest.mark.django_db
def test_a_different_quick_audit_soon_after_is_a_new_snapshot(learner_client):
    learner_client.post(reverse("assessments:quick_audit"), _quick_answers())
    changed = {**_quick_answers(), f"question-{BaselineQuestion.objects.first().pk}": "5"}

    learner_client.post(reverse("assessments:quick_audit"), changed)

    assert Audit.objects.count() == 2


@pytest.mark.django_db
def test_the_same_quick_audit_later_is_a_new_snapshot(learner_client, learner):
    from django.utils import timezone

    learner_client.post(reverse("assessments:quick_audit"), _quick_answers())
    Audit.objects.update(saved_at=timezone.now() - timedelta(minutes=5))

    learner_client.post(reverse("assessments:quick_audit"), _quick_answers())

    assert Audit.objects.count() == 2


@pytest.mark.slow
@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_quick_audit_submitted_five_times_at_once_makes_one_snapshot():
    learner = User.objects.create_user(username="ada", password=STRONG_PASSWORD)
    answers = _quick_answers()

    def submit(_i):
        client = Client()
        client.force_login(learner)
        return client.post(reverse("assessments:quick_audit"), answers)

    responses = _in_parallel(5, submit)

    assert not [r for r in responses if isinstance(r, Exception)], responses
    [audit] = Audit.objects.all()
    assert {r.url for r in responses} == {reverse("assessments:audit_detail", args=[audit.pk])}
    assert BaselineAnswer.objects.count() == len(answers)


@pytest.mark.slow
@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ratings_clicked_while_the_audit_is_saved_are_either_in_it_or_refused():
    """The rating click reads the audit and locks its row in one query, and saving waits for
    that lock: a click answered 200 is in the audit, one that came after the save is a 409."""
    learner = User.objects.create_user(username="ada", password=STRONG_PASSWORD)
    draft = Audit.objects.create(user=learner, kind=Audit.Kind.FULL)
    skills = list(Skill.objects.current().order_by("pk")[:11])

    def click_or_save(i):
        client = Client()
        client.force_login(learner)
        if i == 5:
            return client.post(reverse("assessments:save_audit", args=[draft.pk]))
        return client.post(
            reverse("assessments:rate", args=[draft.pk]),
            {f"rating-{skills[i].pk}": "3"},
            headers={"HX-Request": "true"},
        )

    responses = _in_parallel(11, click_or_save)

    assert not [r for r in responses if isinstance(r, Exception)], responses
    draft.refresh_from_db()
    assert {r.status_code for i, r in enumerate(responses) if i != 5} <= {200, 409}
    answered = sum(r.status_code == 200 for i, r in enumerate(responses) if i != 5)
    assert draft.ratings.count() == answered


# 10. Email enumeration: sign-up and the timing of a password reset


@pytest.mark.django_db
def test_sign_up_with_an_email_in_use_looks_like_any_sign_up_and_its_link_confirms_nothing(client):
    """The page and the mail are those of any sign-up; the address stays its owner's."""
    ada = factories.make_user("ada", email="ada@example.org", password=STRONG_PASSWORD)
    fresh_client = Client()
    fresh = fresh_client.post(
        reverse("account_signup"), _sign_up_data(username="linus", email="l@example.org")
    )
    [fresh_mail] = sent_mail()
    mail.outbox.clear()

    response = client.post(reverse("account_signup"), _sign_up_data(email="ADA@example.org"))

    assert response.status_code == fresh.status_code == 302
    assert response.url == fresh.url

    def shown(page, name, email):
        html = page.content.decode().replace(email, "EMAIL").replace(name, "NAME")
        return re.sub(r'("x-csrftoken": "|name="csrfmiddlewaretoken" value=")\w+', "", html)

    page = shown(client.get(response.url), "grace", "ada@example.org")
    assert "already" not in page
    assert page == shown(fresh_client.get(fresh.url), "linus", "l@example.org")
    [link_mail] = sent_mail()
    assert link_mail.to == ["ada@example.org"]
    assert link_mail.subject == fresh_mail.subject
    assert "already" not in link_mail.body

    key = re.search(r"/accounts/confirm-email/(\S+)/", link_mail.body)[1]
    answer = client.post(reverse("account_confirm_email", args=[key]), follow=True)
    assert "already confirmed by another account" in answer.content.decode()
    grace = User.objects.get(username="grace")
    assert not EmailAddress.objects.get(user=grace).verified
    assert EmailAddress.objects.get(user=ada).verified


class SlowEmailBackend(BaseEmailBackend):
    """An SMTP server that takes its time: holds every message until the test lets it go."""

    release = threading.Event()
    sent = []

    def send_messages(self, messages):
        self.release.wait(timeout=10)
        self.sent.extend(messages)
        return len(messages)


class BrokenEmailBackend(BaseEmailBackend):
    def send_messages(self, messages):
        time.sleep(1)
        raise ConnectionRefusedError("the SMTP server is down")


@pytest.mark.django_db
def test_a_password_reset_answers_at_once_while_the_mail_server_is_slow(client, settings):
    settings.EMAIL_BACKEND = "tests.test_hardening.SlowEmailBackend"
    User.objects.create_user(username="ada", email="ada@example.org", password=STRONG_PASSWORD)
    SlowEmailBackend.release.clear()
    SlowEmailBackend.sent.clear()

    started = time.monotonic()
    response = client.post(reverse("account_reset_password"), {"email": "ada@example.org"})
    took = time.monotonic() - started

    SlowEmailBackend.release.set()
    sent_mail()
    assert response.status_code == 302
    assert took < 2
    [message] = SlowEmailBackend.sent
    assert message.to == ["ada@example.org"]


@pytest.mark.django_db
def test_a_password_reset_answers_when_the_mail_server_is_down_and_logs_it(
    client, settings, caplog
):
    settings.EMAIL_BACKEND = "tests.test_hardening.BrokenEmailBackend"
    User.objects.create_user(username="ada", email="ada@example.org", password=STRONG_PASSWORD)

    started = time.monotonic()
    response = client.post(reverse("account_reset_password"), {"email": "ada@example.org"})
    took = time.monotonic() - started
    sent_mail()

    assert response.status_code == 302
    assert took < 1
    assert "could not send" in caplog.text


# 11. Cache-Control on signed-in pages and exports


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "assessments:dashboard",
        "profile",
        "assessments:export_json",
        "assessments:export_ratings_csv",
        "curriculum:home",
    ],
)
def test_signed_in_pages_and_exports_are_private_and_not_stored(learner_client, url_name):
    response = learner_client.get(reverse(url_name))

    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


@pytest.mark.django_db
def test_public_pages_for_visitors_keep_their_caching(client):
    response = client.get(reverse("curriculum:home"))

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "private" not in response.get("Cache-Control", "")


# 14. The day the path started: one rule on the profile and the path page


@pytest.mark.django_db
@pytest.mark.parametrize("day", [date(1, 1, 1), date(9999, 12, 31), "tomorrow"])
def test_profile_refuses_a_path_start_the_path_page_refuses(learner_client, learner, day):
    if (
        day == "tomorrow"
    ):  # when the test runs, not when it was collected (a run may cross midnight)
        day = timezone.localdate() + timedelta(days=1)
    path_page = learner_client.post(reverse("assessments:my_path"), {"started_on": day.isoformat()})
    profile = learner_client.post(
        reverse("profile"), {"display_name": "", "path_started_on": day.isoformat()}
    )

    assert path_page.status_code == 400
    assert profile.status_code == 200
    assert "path_started_on" in profile.context["form"].errors
    learner.refresh_from_db()
    assert learner.path_started_on is None


@pytest.mark.django_db
def test_profile_takes_a_path_start_within_the_bounds(learner_client, learner):
    day = date.today() - timedelta(days=30)

    response = learner_client.post(
        reverse("profile"), {"display_name": "", "path_started_on": day.isoformat()}
    )

    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.path_started_on == day


# 13. /healthz reports a hung database within DJANGO_DB_CONNECT_TIMEOUT, pooled or not

HEALTH_PROBE = """
import time, django
django.setup()
from django.test import Client
started = time.monotonic()
response = Client().get("/healthz")
print(f"HEALTHZ {response.status_code} {time.monotonic() - started}", flush=True)
"""


@contextlib.contextmanager
def _hung_database():
    """A port that accepts connections and never answers, like a PostgreSQL that hangs."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield sock.getsockname()[1]


@pytest.mark.slow
@pytest.mark.parametrize("pool_size", [0, 2])
def test_healthz_reports_a_hung_database_within_the_connect_timeout(pool_size):
    with _hung_database() as port:
        env = production_environment(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/skilltree",
            DJANGO_DB_CONNECT_TIMEOUT=2,
            DJANGO_DB_POOL_MAX_SIZE=pool_size,
            DJANGO_CONN_MAX_AGE=0 if pool_size else 60,
            DJANGO_SETTINGS_MODULE="skilltree.settings",
        )
        result = run([sys.executable, "-c", HEALTH_PROBE], env=env, timeout=60)

    # The JSON log lines share stdout, and the pool's thread may write into the middle of the
    # probe's line: find the probe's own words wherever they are.
    status, took = re.search(r"HEALTHZ (\d{3}) ([0-9.]+)", result.stdout).groups()
    assert status == "503"
    assert float(took) < 2 + 1.5, result.stdout


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/cohorts/99999999999999999999/leave/",
        "/cohorts/99999999999999999999/",
        "/cohorts/1/learners/99999999999999999999/",
        "/audits/99999999999999999999/",
        "/audits/99999999999999999999/rate/",
    ],
)
def test_an_id_too_large_for_the_database_is_a_404(client, path):
    """Found by the hostile-input tests: SQLite overflowed on a 20-digit cohort id (a 500)."""
    client.force_login(factories.learner())
    assert client.get(path).status_code == 404
    assert client.post(path).status_code == 404
