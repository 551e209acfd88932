"""`send_reminders` and the mail worker against a real SMTP server (aiosmtpd) the test starts on a
free local port: the message crosses the wire with its plain-text and HTML parts and the unsubscribe headers.
And two runs at once, on PostgreSQL's row locks."""

import email
import socket
import threading
from email import policy
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from notices.due import queue_due
from notices.models import Notice
from notices.send import send_due
from outbox.models import Mail
from tests import factories
from tests.outbox import deliver_queued, sent_mail

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.SITE_URL = "https://skills.example.org"
    yield inbox
    controller.stop()


def test_a_reminder_arrives_over_smtp_with_both_parts_and_the_unsubscribe_headers(smtp_server):
    learner = factories.learner()
    factories.AuditFactory(user=learner, days_ago=50)

    call_command("send_reminders", stdout=StringIO())
    deliver_queued()

    (envelope,) = smtp_server.envelopes
    assert envelope.rcpt_tos == ["ada@example.org"]
    message = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert message["Subject"] == "Time to audit again: 7 weeks since your last audit"
    # A long header is folded after the colon (RFC 5322); unfolded, it is the bracketed URL.
    unsubscribe = message["List-Unsubscribe"].strip()
    assert unsubscribe.startswith("<https://skills.example.org/email/unsubscribe/")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "https://skills.example.org/audit/" in text
    assert 'href="https://skills.example.org/audit/"' in html
    assert Notice.objects.get(user=learner).sent_at is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_notice_another_run_is_sending_is_skipped_not_sent_twice(settings, mailoutbox):
    """Two runs at once (an overlapping cron): the one that finds a notice locked leaves it to
    the other, and queues nothing for it. Row locks are PostgreSQL's; SQLite runs one writer at a time anyway."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE SKIP LOCKED) need PostgreSQL")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    learner = factories.learner()
    factories.AuditFactory(user=learner, days_ago=50)
    queue_due(timezone.now())
    notice = Notice.objects.get(user=learner)
    locked, release = threading.Event(), threading.Event()

    def other_run():
        with transaction.atomic():
            Notice.objects.select_for_update().get(pk=notice.pk)
            locked.set()
            release.wait(10)
        connection.close()

    thread = threading.Thread(target=other_run)
    thread.start()
    try:
        assert locked.wait(10)
        run = send_due(timezone.now())
    finally:
        release.set()
        thread.join()

    assert not Mail.objects.exists() and run.still_due == 1
    assert send_due(timezone.now()).sent[Notice.Kind.AUDIT_REMINDER] == 1
    assert len(sent_mail()) == 1
