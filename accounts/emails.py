"""Which emails a person gets: none until they choose, then only the kinds they ticked.

Sign-up asks (nothing ticked); the profile and a one-time prompt on the dashboard ask again.
Choosing records the moment (`User.emails_chosen_at`): an account that never chose (every
account made before the question was asked) gets no email of any kind, whatever its boxes say.
The lead's digest is asked of leads only; someone never asked about it does not get it.
"""

from django.utils import timezone

from pages import bump_learner

LEARNER_KINDS = ("email_audit_reminders", "email_review_verdicts")
LEAD_KIND = "email_review_digest"


def has_chosen(user):
    return user.emails_chosen_at is not None


def apply_email_choices(user, ticked, *, asked_digest=False, now=None):
    """Set `user`'s email kinds in memory to `ticked` (the field names they ticked) and record
    that they chose. The digest changes only when they were asked (`asked_digest`); someone who
    never chose before and was not asked has it off."""
    for name in LEARNER_KINDS:
        setattr(user, name, name in ticked)
    if asked_digest:
        user.email_review_digest = LEAD_KIND in ticked
    elif not has_chosen(user):
        user.email_review_digest = False
    user.emails_chosen_at = now or timezone.now()
    return user


def record_email_choices(user, ticked, *, asked_digest=False, now=None):
    """`apply_email_choices`, saved: one query, and the learner's pages move on."""
    apply_email_choices(user, ticked, asked_digest=asked_digest, now=now)
    user.save(update_fields=[*LEARNER_KINDS, LEAD_KIND, "emails_chosen_at"])
    bump_learner(user.pk)
    return user
