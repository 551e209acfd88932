"""`send_reminders` against a real SMTP server (aiosmtpd) the test starts on a free local port:
the message crosses the wire with its plain-text and HTML parts and the unsubscribe headers."""

import email
import socket
from email import policy
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command

from notices.models import Notice
from tests import factories

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
