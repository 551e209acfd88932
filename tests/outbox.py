"""Mail waits in the outbox until a worker sends it (outbox/): run one over what is queued before
reading Django's test outbox."""

import signal
from io import StringIO
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django_tasks_db.management.commands import db_worker


def deliver_queued(verbosity=0):
    """Run the mail worker once over every task that is due now, in this process, as
    `manage.py mail_worker --batch` would; its output. Two things differ from a real worker: it
    keeps the database connection between tasks (the worker closes one that is inside a
    transaction, and every test runs inside one), and the test process gets its own
    SIGINT/SIGTERM handlers back afterwards."""
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    out = StringIO()
    try:
        with mock.patch(f"{db_worker.__name__}.close_old_connections"):
            call_command("mail_worker", batch=True, interval=0, verbosity=verbosity, stdout=out)
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
    return out.getvalue()


def sent_mail():
    """Django's test outbox, once the worker has sent everything queued that is due."""
    deliver_queued()
    return mail.outbox


def deliver_waiting_now():
    """The next try of every mail waiting for one, as if its time had come: a task for each,
    run now (the retry each already has finds it sent, later)."""
    from outbox.models import Mail
    from outbox.queue import deliver

    for pk in Mail.objects.filter(given_up_at__isnull=True).values_list("pk", flat=True):
        deliver.enqueue(str(pk))
    deliver_queued()
