"""Sending due Notices: each handed to the outbox (outbox.queue.send) at most once.

The outbox's worker talks to the mail server, and tries a refused email again later; here a
Notice is "sent" once its email is queued there, in the same transaction.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from notices.due import queue_due, wants
from notices.mail import compose, message
from notices.models import Notice
from outbox.queue import send


@dataclass(frozen=True)
class Run:
    """What one run did: emails queued by kind, Notices dropped unsent, failures, what stays due."""

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
            f"Queued {total} email{'s' if total != 1 else ''}{f' ({kinds})' if kinds else ''} "
            f"for the mail worker; {self.dropped} no longer due; {len(self.failures)} failed; "
            f"{self.still_due} still due."
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


def send_due(now):
    """Queues the email of every due Notice in the outbox, oldest first, and marks it sent.

    Each Notice is locked while its email is written and queued, so two runs at once never queue
    it twice; the Notice is marked sent in the transaction that queues its email, so it is
    either both or neither. A Notice with nothing left to say (`mail.compose` gives None), or
    whose person has since turned that email off, is deleted unsent. An email that cannot be
    written stays due for the next run, and this run goes on with the others. Queries: two, and
    two to four a Notice plus the outbox's four (a savepoint, two INSERTs, its release).
    """
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
            send(message(notice, email))
            notice.sent_at = timezone.now()
            notice.save(update_fields=["sent_at"])
            sent[notice.kind] += 1
    return Run(
        sent=sent,
        dropped=dropped,
        failures=tuple(failures),
        still_due=Notice.objects.due().count(),
    )


def send_reminders(now=None):
    """Queues every email the rules call for (`due.queue_due`), then hands what is due to the
    outbox."""
    now = now or timezone.now()
    queue_due(now)
    return send_due(now)
