"""Which emails are due, to whom: each rule writes due Notices, and `send.py` delivers them.

A Notice's key makes each email due once: the re-audit reminder once per lapse (the lapse is named
by the audit that started it, so a new saved audit starts a new one), a review verdict once per
review, a lead's digest once per day.
"""

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone

from accounts.emails import has_chosen
from assessments.models import Audit, Progress
from assessments.warnings import AUDIT_AGE
from cohorts.members import learners_led_by
from notices.models import Notice

PREFERENCE = {
    Notice.Kind.AUDIT_REMINDER: "email_audit_reminders",
    Notice.Kind.REVIEW_VERDICT: "email_review_verdicts",
    Notice.Kind.REVIEW_DIGEST: "email_review_digest",
}
"""The User field that turns each kind of email on or off."""


def wants(user, kind):
    """True when the person has an active account, a verified address
    (`User.objects.with_verified_email`), chose their emails (`accounts.emails`: an account that
    never chose gets none) and has this kind on. One query when the rest says yes."""
    return (
        user.is_active
        and bool(user.email)
        and has_chosen(user)
        and getattr(user, PREFERENCE[kind])
        and user.has_verified_email()
    )


def recipients(kind):
    """The people `wants` says yes to for this kind, as a query."""
    return (
        get_user_model()
        .objects.with_verified_email()
        .filter(is_active=True, emails_chosen_at__isnull=False, **{PREFERENCE[kind]: True})
    )


def reminder_key(audit_pk):
    return f"audit-{audit_pk}"


def review_key(progress):
    return f"progress-{progress.pk}@{progress.reviewed_at.isoformat()}"


def digest_key(now):
    return timezone.localdate(now).isoformat()


def lapsed_learners(now):
    """Learners who want reminders and whose latest saved audit is due again (the rule of
    `assessments.warnings.audit_is_due`: older than AUDIT_AGE), with `last_audit_id`. One query."""
    latest = Audit.objects.latest_first().filter(user=OuterRef("pk"))
    return (
        recipients(Notice.Kind.AUDIT_REMINDER)
        .annotate(
            last_audit_id=Subquery(latest.values("pk")[:1]),
            last_audit_at=Subquery(latest.values("saved_at")[:1]),
        )
        .filter(last_audit_at__lt=now - AUDIT_AGE)
    )


def leads_with_claims_waiting():
    """Leads who want the digest and have at least one claim waiting for review. One query."""
    waiting = Progress.objects.awaiting_review().filter(
        user_id__in=learners_led_by(OuterRef(OuterRef("pk")))
    )
    return recipients(Notice.Kind.REVIEW_DIGEST).filter(Exists(waiting))


def queue_reminders(now):
    Notice.objects.bulk_create(
        [
            Notice(user=user, kind=Notice.Kind.AUDIT_REMINDER, key=reminder_key(user.last_audit_id))
            for user in lapsed_learners(now)
        ],
        ignore_conflicts=True,
    )


def queue_digests(now):
    Notice.objects.bulk_create(
        [
            Notice(user=lead, kind=Notice.Kind.REVIEW_DIGEST, key=digest_key(now))
            for lead in leads_with_claims_waiting()
        ],
        ignore_conflicts=True,
    )


def queue_due(now):
    """Writes a due Notice for every reminder and digest the rules call for (two reads, and an
    insert for each that finds someone); ones already written, sent or not, stay as they are."""
    queue_reminders(now)
    queue_digests(now)


def queue_review_verdict(sender, progress, **kwargs):
    """On `cohorts.review.review_recorded`: the learner is told the verdict by the next run of
    `send_reminders`, not inside the lead's request."""
    if progress.review and wants(progress.user, Notice.Kind.REVIEW_VERDICT):
        Notice.objects.get_or_create(
            user=progress.user,
            kind=Notice.Kind.REVIEW_VERDICT,
            key=review_key(progress),
            defaults={"progress": progress},
        )
