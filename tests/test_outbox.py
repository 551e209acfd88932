"""Issue 23, item 5: every email waits in the outbox (a table, with a django-tasks task) until a
worker has handed it to the mail server; a failure is tried again later, and mail a worker was
killed sending is queued again. The worker killed by a signal, on PostgreSQL, is in
test_outbox_worker.py."""

import logging
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from outbox import queue
from outbox.models import Mail
from tests import factories
from tests.outbox import deliver_queued, run_worker, sent_mail

pytestmark = pytest.mark.django_db

# The worker itself, run in this process over committed rows (tests/outbox.py says why).
with_the_worker = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parent.parent


class FailingBackend(LocmemBackend):
    """A mail server that refuses the next `failures` messages, then takes them."""

    failures = 0
    tries = 0

    def send_messages(self, messages):
        type(self).tries += 1
        if type(self).failures:
            type(self).failures -= 1
            raise ConnectionRefusedError(111, "Connection refused")
        return super().send_messages(messages)


class CrashingBackend(LocmemBackend):
    """The worker's process ends in the middle of talking to the mail server."""

    def send_messages(self, messages):
        raise SystemExit("killed mid-send")


@pytest.fixture
def failing_server(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    FailingBackend.tries = 0
    return FailingBackend


@pytest.fixture
def no_waiting(monkeypatch):
    """Every retry is due at once, as if its wait had passed."""
    monkeypatch.setattr(queue, "RETRY_AFTER", (timedelta(0),) * len(queue.RETRY_AFTER))


def a_message(**fields):
    message = EmailMultiAlternatives(
        subject="Hello", body="Plain words", to=["ada@example.org"], **fields
    )
    message.attach_alternative("<p>Plain words</p>", "text/html")
    return message


def test_a_password_reset_queues_its_mail_and_the_worker_sends_it(client, learner):
    response = client.post(reverse("account_reset_password"), {"email": "ada@example.org"})

    assert response.status_code == 302
    assert mail.outbox == [], "nothing is sent inside the request"
    assert Mail.objects.get().to == ["ada@example.org"]

    [message] = sent_mail()
    assert message.to == ["ada@example.org"]
    assert "/accounts/password/reset/key/" in message.body
    assert not Mail.objects.exists(), "sent mail is not kept"


def test_the_message_arrives_as_written_with_its_html_and_headers():
    queue.send(a_message(headers={"List-Unsubscribe": "<https://x.example/u>"}, reply_to=["r@x"]))

    [message] = sent_mail()
    assert message.subject == "Hello" and message.body == "Plain words"
    assert message.alternatives == [("<p>Plain words</p>", "text/html")]
    assert message.extra_headers == {"List-Unsubscribe": "<https://x.example/u>"}
    assert message.reply_to == ["r@x"]
    assert message.from_email == "Skill Tree <noreply@localhost>"


@pytest.mark.parametrize(
    "fields", [{"cc": ["c@example.org"]}, {"bcc": ["b@example.org"]}], ids=["cc", "bcc"]
)
def test_mail_the_outbox_cannot_carry_is_refused_not_queued(fields):
    with pytest.raises(ValueError):
        queue.send(a_message(**fields))
    with_file = EmailMessage("Hi", "Words", to=["ada@example.org"])
    with_file.attach("notes.txt", "words", "text/plain")
    with pytest.raises(ValueError):
        queue.send(with_file)
    assert not Mail.objects.exists()


def test_queueing_a_mail_takes_two_inserts(django_assert_num_queries):
    with django_assert_num_queries(4):  # the savepoint, its release, the task, the Mail
        queue.send(a_message())


def test_a_refused_mail_is_tried_again_later_and_then_sent(failing_server, no_waiting, caplog):
    failing_server.failures = 2
    queue.send(a_message())

    deliver_queued()

    assert failing_server.tries == 3
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]
    assert not Mail.objects.exists()
    assert caplog.text.count("could not send the mail “Hello”") == 2


def test_the_next_try_waits_a_minute_and_nothing_is_sent_before(failing_server, caplog):
    failing_server.failures = 1
    queue.send(a_message())

    before = timezone.now()
    deliver_queued()

    waiting = Mail.objects.get()
    assert waiting.attempts == 1 and "Connection refused" in waiting.last_error
    retry = queue.deliver.get_result(waiting.task_id)
    assert retry.status == "READY"
    assert (
        before + timedelta(minutes=1)
        <= retry.task.run_after
        <= timezone.now() + timedelta(minutes=1)
    )
    assert failing_server.tries == 1 and mail.outbox == []
    assert "trying again at" in caplog.text


def test_after_every_try_fails_the_mail_is_given_up_logged_and_kept(
    failing_server, no_waiting, caplog
):
    failing_server.failures = 100
    queue.send(a_message())

    with caplog.at_level(logging.WARNING):
        deliver_queued()
        deliver_queued()

    given_up = Mail.objects.get()
    assert failing_server.tries == len(queue.RETRY_AFTER) + 1
    assert given_up.given_up_at is not None
    assert "after 6 tries; given up" in caplog.text
    assert queue.requeue_stalled() == 0, "given-up mail is never tried again"
    assert mail.outbox == []


@with_the_worker
def test_a_second_task_for_a_sent_mail_sends_nothing():
    sent = queue.send(a_message())
    queue.deliver.enqueue(str(sent.pk))

    run_worker()

    assert len(mail.outbox) == 1


@with_the_worker
def test_mail_a_worker_died_sending_is_queued_again_and_sent_once(settings):
    settings.EMAIL_BACKEND = f"{__name__}.CrashingBackend"
    sent = queue.send(a_message())
    run_worker()  # the process ends in the middle of the send: the Mail is untouched
    crashed = Mail.objects.get()
    assert crashed.attempts == 0
    assert queue.deliver.get_result(sent.task_id).status == "FAILED"

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert queue.requeue_stalled() == 1
    assert queue.requeue_stalled() == 0, "its new task is waiting"
    [message] = sent_mail()
    assert message.subject == "Hello"


def test_waiting_mail_is_not_queued_twice_by_the_recovery():
    queue.send(a_message())

    assert queue.requeue_stalled() == 0
    assert len(sent_mail()) == 1


@with_the_worker
def test_the_worker_recovers_such_mail_when_it_starts(settings):
    settings.EMAIL_BACKEND = f"{__name__}.CrashingBackend"
    queue.send(a_message())
    run_worker()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert "Queued 1 stalled mail again." in run_worker(verbosity=1)
    assert len(mail.outbox) == 1


@with_the_worker
def test_the_hourly_command_recovers_such_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.CrashingBackend"
    queue.send(a_message())
    run_worker()

    out = StringIO()
    call_command("requeue_stalled_mail", stdout=out)

    assert out.getvalue() == "Queued 1 stalled mail again.\n"


def test_no_mail_thread_remains_and_only_the_outbox_talks_to_the_mail_server():
    for app in (
        "accounts",
        "api",
        "assessments",
        "cohorts",
        "curriculum",
        "notices",
        "outbox",
        "pages",
        "skilltree",
    ):
        for source in (ROOT / app).rglob("*.py"):
            text = source.read_text()
            assert "threading" not in text, source
            if app != "outbox":
                for sender in (
                    "mail import get_connection",
                    "mail_admins",
                    "send_mass_mail",
                    "import send_mail",
                ):
                    assert sender not in text, (source, sender)


def test_compose_runs_the_mail_worker_once_web_has_migrated_and_recovers_hourly():
    import yaml

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    worker = services["worker"]
    assert worker["command"] == ["python", "manage.py", "mail_worker"]
    assert worker["image"] == services["web"]["image"]
    assert worker["environment"] == services["web"]["environment"]
    assert worker["depends_on"] == {"web": {"condition": "service_healthy"}}
    assert worker["restart"] == "unless-stopped"
    hourly = " ".join(services["scheduler"]["command"])
    assert (
        "manage.py requeue_stalled_mail" in hourly and "manage.py prune_db_task_results" in hourly
    )


def test_staff_see_waiting_and_given_up_mail_in_the_admin_without_its_text(client, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    FailingBackend.failures = 1
    waiting = queue.send(a_message())
    deliver_queued()
    client.force_login(factories.superuser())

    listing = client.get(reverse("admin:outbox_mail_changelist") + "?state=waiting")
    page = client.get(reverse("admin:outbox_mail_change", args=[waiting.pk]))

    assert listing.status_code == 200 and "Hello" in listing.content.decode()
    assert page.status_code == 200
    assert "Connection refused" in page.content.decode()
    assert "Plain words" not in page.content.decode()
    assert client.get(reverse("admin:outbox_mail_add")).status_code == 403
