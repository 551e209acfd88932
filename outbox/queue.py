"""Sending mail through the outbox: `send` queues, `deliver` sends, `requeue_stalled` recovers.

See the package docstring for the whole path. Every function here runs in the worker except
`send`, which runs wherever mail is written (a request, a command) and costs two INSERTs.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from outbox.models import Mail

logger = logging.getLogger(__name__)

RETRY_AFTER = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
"""How long after each failed try the next one comes; after the last, the mail is given up
(six tries over about nine hours, well within a password reset link's three days)."""


def send(message):
    """Queue a Django EmailMessage (or EmailMultiAlternatives with one text/html alternative) to
    be sent by the worker; returns its Mail. Attachments, cc and bcc are not supported.

    Within a transaction, the mail is queued only if that transaction commits. Queries: two
    INSERTs (the Mail row and its task), in a savepoint of their own.
    """
    if message.attachments or message.cc or message.bcc:
        raise ValueError("the outbox does not carry attachments, cc or bcc")
    alternatives = getattr(message, "alternatives", [])
    html = [content for content, mimetype in alternatives if mimetype == "text/html"]
    if len(html) != len(alternatives) or len(html) > 1:
        raise ValueError("the outbox carries one alternative at most, and only text/html")
    mail = Mail(
        to=list(message.to),
        from_email=message.from_email,
        subject=message.subject,
        body=message.body,
        html=html[0] if html else "",
        headers=message.extra_headers,
        reply_to=message.reply_to,
    )
    with transaction.atomic():
        mail.task_id = deliver.enqueue(str(mail.pk)).id
        mail.save(force_insert=True)
    return mail


@task()
def deliver(mail_id):
    """Hand one Mail to the mail server; return what happened ("sent", "retry", "given up", or
    "nothing to send" when it was sent or given up before).

    The row stays locked while the mail server is talked to, so two tasks for one Mail never
    both send it (the second waits, then finds it gone), and a worker killed mid-send leaves it
    unlocked and unsent for `requeue_stalled`. Sent mail is deleted. A failure counts a try and
    queues the next one `RETRY_AFTER` later; after the last, the Mail is given up and logged.
    """
    with transaction.atomic():
        mail = Mail.objects.select_for_update().filter(pk=mail_id, given_up_at__isnull=True).first()
        if mail is None:
            return "nothing to send"
        try:
            if not mail.message().send():
                raise RuntimeError("the mail backend sent nothing")
        except Exception as error:
            return _failed(mail, error)
        mail.delete()
        return "sent"


def _failed(mail, error):
    mail.attempts += 1
    mail.last_error = repr(error)
    if mail.attempts > len(RETRY_AFTER):
        mail.given_up_at = timezone.now()
        mail.save(update_fields=["attempts", "last_error", "given_up_at"])
        logger.error(
            "could not send the mail “%s” after %d tries; given up: %r",
            mail.subject,
            mail.attempts,
            error,
        )
        return "given up"
    run_after = timezone.now() + RETRY_AFTER[mail.attempts - 1]
    mail.task_id = deliver.using(run_after=run_after).enqueue(str(mail.pk)).id
    mail.save(update_fields=["attempts", "last_error", "task_id"])
    logger.warning(
        "could not send the mail “%s” (try %d); trying again at %s: %r",
        mail.subject,
        mail.attempts,
        run_after.isoformat(timespec="seconds"),
        error,
    )
    return "retry"


def _waiting(task_id):
    """True when the task is queued and not yet picked up by a worker."""
    try:
        return deliver.get_result(task_id).status == TaskResultStatus.READY
    except TaskResultDoesNotExist:
        return False


def requeue_stalled():
    """Queue again every Mail not given up, not being sent right now (its row unlocked) and whose
    task is no longer waiting: the task of a worker killed mid-send stays "running" for ever.
    Returns how many were queued again. A Mail whose worker is alive but has not locked it yet
    may get a second task, which finds it sent and does nothing.

    On SQLite, which has no row locks, run it only where no worker is sending (the worker runs
    it before it starts). Queries: one, and two to four per Mail waiting.
    """
    requeued = 0
    for pk in Mail.objects.filter(given_up_at__isnull=True).values_list("pk", flat=True):
        with transaction.atomic():
            mail = (
                Mail.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, given_up_at__isnull=True)
                .first()
            )
            if mail is None or _waiting(mail.task_id):
                continue
            mail.task_id = deliver.enqueue(str(mail.pk)).id
            mail.save(update_fields=["task_id"])
            requeued += 1
    if requeued:
        logger.warning("queued %d stalled mail again", requeued)
    return requeued
