"""Mail waits in the outbox until a worker sends it (outbox/): send what is queued before reading
Django's test outbox.

Most tests run inside a transaction, where the real worker cannot run: it closes a connection
left inside one between tasks, as Django does between requests. So `deliver_queued` does the
worker's part through django-tasks' documented API: each waiting mail's task, once due, is called
(`Task.call`) until none is due. The worker itself (`manage.py mail_worker`) is run by
`run_worker`, for transactional tests (tests/test_outbox.py), and in its own process by
tests/test_outbox_worker.py.
"""

import signal
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus

from outbox.models import Mail
from outbox.queue import deliver


def _due(mail_row, now):
    result = deliver.get_result(mail_row.task_id)
    run_after = result.task.run_after
    return result.status == TaskResultStatus.READY and (run_after is None or run_after <= now)


def deliver_queued():
    """Send every mail whose task is due now, as a worker would, tries that fail included: a
    retry due at once is tried in the same call."""
    while True:
        now = timezone.now()
        due = [row for row in Mail.objects.filter(given_up_at__isnull=True) if _due(row, now)]
        if not due:
            return
        for row in due:
            deliver.call(str(row.pk))


def sent_mail():
    """Django's test outbox, once everything queued that is due has been sent."""
    deliver_queued()
    return mail.outbox


def deliver_waiting_now():
    """The next try of every mail waiting for one, as if its time had come."""
    for pk in Mail.objects.filter(given_up_at__isnull=True).values_list("pk", flat=True):
        deliver.call(str(pk))


def run_worker(verbosity=0):
    """`manage.py mail_worker --batch` in this process, for a transactional test; its output.
    The test process gets its own SIGINT/SIGTERM handlers back afterwards."""
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    out = StringIO()
    try:
        call_command("mail_worker", batch=True, interval=0, verbosity=verbosity, stdout=out)
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
    return out.getvalue()
