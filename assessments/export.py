"""Everything the product holds about one learner, for their download and their delete page.

Cohort memberships are read through the user's reverse relation (`user.memberships`), so this
module needs nothing from the cohorts app above it.
"""

from django.db.models import Prefetch
from django.utils import timezone

from assessments.models import Audit, BaselineAnswer, Progress, Rating, SignalTick, SkillNote

EXPORT_FORMAT = "skill-tree-export/1"
RATINGS_CSV_HEADER = ["audit_id", "kind", "saved_at", "trunk", "skill", "rating"]


def _iso(moment):
    return moment.isoformat() if moment else None


def _audits_of(user):
    return (
        Audit.objects.filter(user=user)
        .order_by("started_at", "pk")
        .prefetch_related(
            Prefetch(
                "ratings",
                queryset=Rating.objects.select_related("skill__trunk").order_by(
                    "skill__trunk__number", "skill__order", "skill__pk"
                ),
            ),
            Prefetch(
                "answers",
                queryset=BaselineAnswer.objects.select_related("question").order_by(
                    "question__order", "question__pk"
                ),
            ),
        )
    )


def _skill_ref(skill):
    return {"trunk": skill.trunk.name, "skill": skill.name, "skill_slug": skill.slug}


def learner_export(user):
    """Everything the product holds about one learner, as plain JSON-ready data."""
    track = user.target_track
    profile = {
        "username": user.username,
        "email": user.email,
        "display_name": user.display_name,
        "target_track": {"name": track.name, "slug": track.slug} if track else None,
        "path_started_on": user.path_started_on,
        "emails": {
            "audit_reminders": user.email_audit_reminders,
            "review_verdicts": user.email_review_verdicts,
            "review_digest": user.email_review_digest,
        },
        "email_addresses": [
            {"email": address.email, "primary": address.primary, "verified": address.verified}
            for address in user.emailaddress_set.order_by("-primary", "email")
        ],
        # django-allauth's rows: the providers connected, with what each sent at sign-in, and
        # the second factors (what they are, never their keys or codes).
        "sign_in_providers": [
            {
                "provider": account.provider,
                "uid": account.uid,
                "connected_at": _iso(account.date_joined),
                "last_login": _iso(account.last_login),
                "details_from_provider": account.extra_data,
            }
            for account in user.socialaccount_set.order_by("date_joined", "pk")
        ],
        "second_factors": [
            {
                "type": authenticator.type,
                "name": str(authenticator),
                "added_at": _iso(authenticator.created_at),
                "last_used_at": _iso(authenticator.last_used_at),
            }
            for authenticator in user.authenticator_set.order_by("created_at", "pk")
        ],
        "date_joined": _iso(user.date_joined),
        "last_login": _iso(user.last_login),
    }
    audits = [
        {
            "id": audit.pk,
            "kind": audit.kind,
            "started_at": _iso(audit.started_at),
            "saved_at": _iso(audit.saved_at),
            "ratings": [
                {**_skill_ref(rating.skill), "rating": rating.value}
                for rating in audit.ratings.all()
            ],
            "baseline_answers": [
                {
                    "question": answer.question.text,
                    "topic": answer.question.topic,
                    "answer": answer.value,
                }
                for answer in audit.answers.all()
            ],
        }
        for audit in _audits_of(user)
    ]
    progress = [
        {
            **_skill_ref(entry.skill),
            "status": entry.status,
            "evidence_url": entry.evidence_url,
            "note": entry.note,
            "learning_since": _iso(entry.learning_since),
            "passed_at": _iso(entry.passed_at),
            "updated_at": _iso(entry.updated_at),
            "review": entry.review,
            "review_comment": entry.review_comment,
            "reviewed_by": entry.reviewed_by.shown_name if entry.reviewed_by else None,
            "reviewed_at": _iso(entry.reviewed_at),
        }
        for entry in Progress.objects.filter(user=user)
        .select_related("skill__trunk", "reviewed_by")
        .order_by("skill__trunk__number", "skill__order", "skill__pk")
    ]
    skill_notes = [
        {**_skill_ref(note.skill), "text": note.text, "updated_at": _iso(note.updated_at)}
        for note in SkillNote.objects.filter(user=user)
        .select_related("skill__trunk")
        .order_by("skill__trunk__number", "skill__order", "skill__pk")
    ]
    ladder_ticks = [
        {
            "level": tick.signal.level.number,
            "level_name": tick.signal.level.name,
            "signal": tick.signal.text,
            "ticked_at": _iso(tick.ticked_at),
        }
        for tick in SignalTick.objects.filter(user=user)
        .select_related("signal__level")
        .order_by("signal__level__number", "signal__order", "signal__pk")
    ]
    cohorts = [
        {
            "cohort": membership.cohort.name,
            "joined_at": _iso(membership.joined_at),
            "leads": [lead.shown_name for lead in membership.cohort.leads.all()],
        }
        for membership in user.memberships.select_related("cohort")
        .prefetch_related("cohort__leads")
        .order_by("joined_at", "pk")
    ]
    return {
        "format": EXPORT_FORMAT,
        "exported_at": _iso(timezone.now()),
        "profile": profile,
        "audits": audits,
        "progress": progress,
        "skill_notes": skill_notes,
        "ladder_ticks": ladder_ticks,
        "cohort_memberships": cohorts,
    }


def ratings_rows(user):
    """One row per audit per rated skill. Unrated skills have no row, as in the audit itself."""
    ratings = (
        Rating.objects.filter(audit__user=user)
        .select_related("audit", "skill__trunk")
        .order_by("audit__started_at", "audit__pk", "skill__trunk__number", "skill__order", "pk")
    )
    yield RATINGS_CSV_HEADER
    for rating in ratings:
        yield [
            rating.audit.pk,
            rating.audit.kind,
            _iso(rating.audit.saved_at) or "",
            rating.skill.trunk.name,
            rating.skill.name,
            rating.value,
        ]


def holdings(user):
    """How many rows of each kind deleting the account removes, as the delete page lists them."""
    return {
        "audits": Audit.objects.filter(user=user).count(),
        "ratings": Rating.objects.filter(audit__user=user).count(),
        "progress": Progress.objects.filter(user=user).count(),
        "notes": SkillNote.objects.filter(user=user).count(),
        "ticks": SignalTick.objects.filter(user=user).count(),
        "cohorts": user.memberships.count(),
    }
