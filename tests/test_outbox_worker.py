"""The mail worker killed (SIGKILL) while the mail server holds a message, on PostgreSQL, the way
production runs it: `manage.py mail_worker` processes, a real SMTP server (aiosmtpd), and a
database of the test's own.

What this proves is at-least-once delivery, seen here as exactly once: the killed worker's
transaction ends with its connection, the Mail row is neither deleted nor locked any more, and
the next worker queues it again when it starts and sends it. The server had not accepted the
message when the worker died (it was holding it), so it arrives once. Had the worker died after
the server's "250" and before its transaction committed, the mail would arrive twice: a second
copy of a reset link or a reminder is harmless; a lost one is not.
"""

import asyncio
import os
import signal
import sys
import threading
import time

import pytest
from aiosmtpd.controller import Controller

from tests.processes import environment, free_port, manage, postgres_database, server

pytestmark = pytest.mark.slow


class HoldingInbox:
    """An SMTP server that holds the first message it is given until released (and then turns
    it away: that client is gone), and accepts every later one."""

    def __init__(self):
        self.holding = threading.Event()
        self.release = threading.Event()
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        if not self.holding.is_set():
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 The client went away"
        self.received.append(envelope)
        return "250 Message accepted for delivery"


QUEUE_ONE = (
    "from django.core.mail import EmailMessage; from outbox.queue import send; "
    "send(EmailMessage('Reset your password', 'The link', None, ['ada@example.org']))"
)
COUNT_WAITING = "from outbox.models import Mail; print(Mail.objects.count())"


def wait_for(condition, timeout, what, worker=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} within {timeout}s" + (f":\n{worker.output()}" if worker else ""))


def test_a_mail_whose_worker_was_killed_mid_send_arrives_once_after_a_restart(tmp_path):
    inbox = HoldingInbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        with postgres_database("mailq") as url:
            env = environment(
                DATABASE_URL=url,
                DJANGO_EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                DJANGO_EMAIL_HOST="127.0.0.1",
                DJANGO_EMAIL_PORT=smtp.port,
                DJANGO_EMAIL_USE_TLS="0",
                DJANGO_EMAIL_TIMEOUT="30",
            )
            manage("migrate", "--no-input", "-v", "0", env=env, timeout=300)
            manage("shell", "-c", QUEUE_ONE, env=env)
            worker_args = [sys.executable, "manage.py", "mail_worker", "--interval", "0.2"]

            with server(worker_args, env, tmp_path / "first.log") as first:
                wait_for(inbox.holding.is_set, 60, "the worker did not reach the server", first)
                os.killpg(first.process.pid, signal.SIGKILL)
                first.process.wait(timeout=10)
            assert first.process.returncode == -signal.SIGKILL
            inbox.release.set()
            assert inbox.received == []

            with server(worker_args, env, tmp_path / "second.log") as second:
                wait_for(lambda: inbox.received, 60, "the mail did not arrive", second)
                time.sleep(2)  # time for a second copy, were one coming
                assert "Queued 1 stalled mail again." in second.output()

            [envelope] = inbox.received
            assert envelope.rcpt_tos == ["ada@example.org"]
            assert b"Subject: Reset your password" in envelope.original_content
            assert manage("shell", "-v", "0", "-c", COUNT_WAITING, env=env).stdout.strip() == "0"
    finally:
        smtp.stop()
