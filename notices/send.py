"""Delivering due Notices: each sent at most once, kept due when sending fails."""

from collections import Counter
from contextlib import suppress
from dataclasses import dataclass

from django.core.mail import get_connection
from django.db import transaction
from django.utils import timezone

from notices.due import queue_due, wants
from notices.mail import compose, message
from notices.models import Notice


@dataclass(frozen=True)
class Run:
    """What one run did: emails sent by kind, Notices dropped unsent, failures, what stays due."""

    sent: Counter
    dropped: int
    failures: tuple
    still_due: int

    @property
    def summary(self):
        kinds = ", ".join(
            f"{count} {Notice.Kind(kind).label.lower()}"
            for kind, count in sorted(self.sent.items())
        )
        total = sum(self.sent.values())
        return (
            f"Sent {total} email{'s' if total != 1 else ''}{f' ({kinds})' if kinds else ''}; "
            f"{self.dropped} no longer due; {len(self.failures)} failed; {self.still_due} still due."
        )


def _lock(pk):
    """The Notice, still due and locked for this transaction; None when another run holds it
    or has sent it."""
    return (
        Notice.objects.due()
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("user", "progress__skill", "progress__reviewed_by")
        .filter(pk=pk)
        .first()
    )


def _close(connection):
    with suppress(Exception):
        connection.close()


def send_due(now, connection=None):
    """Sends every due Notice, oldest first, and marks each sent once the mail server took it.

    Each Notice is locked while it is sent, so two runs at once never send it twice. A Notice
    with nothing left to say (`mail.compose` gives None), or whose person has since turned that
    email off, is deleted unsent. When one email fails the Notice stays due for the next run and
    this run goes on with the others; when the mail server cannot be reached at all the run stops
    there, and everything left stays due. Queries: two, and two to four a Notice.
    """
    connection = connection or get_connection()
    sent, dropped, failures = Counter(), 0, []
    for pk in list(Notice.objects.due().values_list("pk", flat=True)):
        with transaction.atomic():
            notice = _lock(pk)
            if notice is None:
                continue
            what = f"{notice.get_kind_display()} to {notice.user.username} (notice {notice.pk})"
            try:
                email = compose(notice, now) if wants(notice.user, notice.kind) else None
            except Exception as error:
                failures.append(f"{what}: could not write it: {error!r}")
                continue
            if email is None:
                notice.delete()
                dropped += 1
                continue
            try:
                connection.open()
            except Exception as error:
                failures.append(f"Could not reach the mail server: {error!r}")
                break
            try:
                if not connection.send_messages([message(notice, email)]):
                    raise RuntimeError("the mail backend sent nothing")
            except Exception as error:
                failures.append(f"{what}: {error!r}")
                _close(connection)
                continue
            notice.sent_at = timezone.now()
            notice.save(update_fields=["sent_at"])
            sent[notice.kind] += 1
    _close(connection)
    return Run(
        sent=sent,
        dropped=dropped,
        failures=tuple(failures),
        still_due=Notice.objects.due().count(),
    )


def send_reminders(now=None, connection=None):
    """Queues every email the rules call for (`due.queue_due`), then sends what is due."""
    now = now or timezone.now()
    queue_due(now)
    return send_due(now, connection)
