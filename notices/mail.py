"""Each Notice as an email: its words (templates/email/), absolute links, unsubscribe headers.

An email is composed when it is sent, from the data as it is then: a reminder whose lapse ended
(a new audit was saved), a verdict the lead has since changed, or a digest with nothing left
waiting composes to None and is not sent.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from assessments.models import Audit, Progress
from assessments.standing import standing_for
from assessments.warnings import audit_is_due
from cohorts.review import evidence_claims
from notices.due import PREFERENCE, reminder_key, review_key
from notices.models import Notice

UNSUBSCRIBE_SALT = "notices.unsubscribe"
UNSUBSCRIBE_LINK_AGE = timedelta(days=365)
DIGEST_CLAIMS_SHOWN = 20

REASON = {
    Notice.Kind.AUDIT_REMINDER: "you ticked “Remind me to audit again”",
    Notice.Kind.REVIEW_VERDICT: "you ticked “Tell me when a lead reviews my evidence”",
    Notice.Kind.REVIEW_DIGEST: "you lead a cohort and ticked “Send me a daily digest of "
    "evidence waiting for my review”",
}
"""Why this person gets this email, in the footer of each one: the box they ticked (sending
skips anyone who never chose, `notices.due.wants`), with the day they last chose."""


def absolute(path):
    """The address of one of the site's pages, from the SITE_URL setting."""
    return settings.SITE_URL.rstrip("/") + path


def unsubscribe_token(user, kind):
    """A signed token naming the person and the kind of email; no login needed to use it."""
    return signing.dumps([user.pk, kind], salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token):
    """(user pk, kind) from a token, or BadSignature when it was altered, is older than
    UNSUBSCRIBE_LINK_AGE (SignatureExpired) or names no kind of email."""
    try:
        user_pk, kind = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_LINK_AGE)
    except (TypeError, ValueError) as error:
        raise signing.BadSignature("Not an unsubscribe token.") from error
    if kind not in PREFERENCE or not isinstance(user_pk, int):
        raise signing.BadSignature("Not an unsubscribe token.")
    return user_pk, kind


def unsubscribe_url(user, kind):
    return absolute(reverse("notices:unsubscribe", args=[unsubscribe_token(user, kind)]))


@dataclass(frozen=True)
class Email:
    """What one Notice says: a subject, a template pair (`<template>.txt` and `.html`) and
    what they show."""

    subject: str
    template: str
    context: dict = field(default_factory=dict)


def audit_reminder(notice, now):
    """Due while the audit that started the lapse is still the latest and `audit_is_due`.

    The reminder is the learner's own, read as their dashboard reads it
    (`assessments.standing.standing_for`): their target track and its biggest gap (the bucket
    furthest below its target), the three skills to work on next with their free resources,
    the tests waiting for a lead's verdict, the verifications due for a re-check, and the
    failure modes the dashboard warns of."""
    audit = Audit.objects.latest_first().filter(user=notice.user).first()
    if audit is None or reminder_key(audit.pk) != notice.key or not audit_is_due(audit, now):
        return None
    weeks = (now - audit.saved_at).days // 7
    standing = standing_for(notice.user, now=now)
    short = [gap for gap in standing.gaps if gap.gap]
    return Email(
        subject=f"Time to audit again: {weeks} weeks since your last audit",
        template="email/audit_reminder",
        context={
            "audit": audit,
            "weeks": weeks,
            "track": standing.track,
            "biggest_gap": max(short, key=lambda gap: gap.gap) if short else None,
            "next_skills": standing.next_skills,
            "waiting": [p for p in standing.progress if p.awaiting_review],
            "rechecks": standing.rechecks,
            "warnings": standing.warnings,
            "site_root": absolute(""),
            "audit_url": absolute(reverse("assessments:audit")),
            "dashboard_url": absolute(reverse("assessments:dashboard")),
        },
    )


def review_verdict(notice, now):
    """Due while the review it names is still the claim's latest."""
    progress = notice.progress
    if progress is None or not progress.review or review_key(progress) != notice.key:
        return None
    verdict = progress.get_review_display().lower()
    return Email(
        subject=f"Your test for {progress.skill.name}: {verdict}",
        template="email/review_verdict",
        context={
            "progress": progress,
            "skill": progress.skill,
            "verdict": verdict,
            "verified": progress.review == Progress.Review.VERIFIED,
            "lead": progress.reviewed_by,
            "skill_url": absolute(f"{progress.skill.get_absolute_url()}#progress"),
        },
    )


def review_digest(notice, now):
    """Due while at least one claim in the lead's cohorts waits for review."""
    waiting = evidence_claims(notice.user).awaiting_review()
    count = waiting.count()
    if not count:
        return None
    claims = list(waiting.order_by("passed_at", "pk")[:DIGEST_CLAIMS_SHOWN])
    for claim in claims:
        claim.review_url = absolute(reverse("cohorts:cohort_review", args=[claim.pk]))
    tests = "test waits" if count == 1 else "tests wait"
    return Email(
        subject=f"Evidence to review: {count} {tests} for you",
        template="email/review_digest",
        context={
            "count": count,
            "claims": claims,
            "more": count - len(claims),
            "queue_url": absolute(reverse("cohorts:cohort_reviews")),
        },
    )


COMPOSE = {
    Notice.Kind.AUDIT_REMINDER: audit_reminder,
    Notice.Kind.REVIEW_VERDICT: review_verdict,
    Notice.Kind.REVIEW_DIGEST: review_digest,
}


def compose(notice, now):
    """The Email for a due Notice, or None when there is nothing to say any more."""
    return COMPOSE[notice.kind](notice, now)


def message(notice, email):
    """The email, plain text with an HTML alternative, with RFC 8058 one-click unsubscribe."""
    user = notice.user
    unsubscribe = unsubscribe_url(user, notice.kind)
    context = {
        **email.context,
        "user": user,
        "subject": email.subject,
        "kind": notice.get_kind_display(),
        "reason": REASON[notice.kind],
        "unsubscribe_url": unsubscribe,
        "profile_url": absolute(reverse("profile")),
        "site_url": absolute("/"),
    }
    mail = EmailMultiAlternatives(
        subject=email.subject,
        body=render_to_string(f"{email.template}.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    mail.attach_alternative(render_to_string(f"{email.template}.html", context), "text/html")
    return mail
