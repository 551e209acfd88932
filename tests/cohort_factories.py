"""Small builders for cohort tests: leads, cohorts, learners with saved audits and evidence."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from assessments.models import Audit, Progress, Rating
from cohorts.models import Cohort, Membership
from curriculum.models import Skill

User = get_user_model()


def make_user(username, password=None, **fields):
    """A learner; no password unless given (hashing is slow and tests log in with force_login)."""
    return User.objects.create_user(username=username, password=password, **fields)


def make_lead(username="lead", **fields):
    lead = make_user(username, **fields)
    lead.groups.add(Group.objects.get(name="Cohort leads"))
    return lead


def make_cohort(lead, name="Spring cohort", members=()):
    cohort = Cohort.objects.create(name=name, description="Twenty weeks, one trunk at a time.")
    cohort.leads.add(lead)
    for member in members:
        Membership.objects.create(cohort=cohort, user=member)
    return cohort


def save_full_audit(user, ratings, *, days_ago=1):
    """A saved full audit with {skill: value} ratings, dated `days_ago`."""
    audit = Audit.objects.create(
        user=user, kind=Audit.Kind.FULL, saved_at=timezone.now() - timedelta(days=days_ago)
    )
    Rating.objects.bulk_create(
        Rating(audit=audit, skill=skill, value=value) for skill, value in ratings.items()
    )
    return audit


def claim_test(user, skill, *, evidence="https://github.com/example/proof", **fields):
    fields.setdefault("passed_at", timezone.now() - timedelta(days=2))
    return Progress.objects.create(
        user=user, skill=skill, status=Progress.Status.TEST_PASSED, evidence_url=evidence, **fields
    )


def bulk_cohort(lead, size, *, name="Big cohort"):
    """A cohort of `size` learners, each with an old saved full audit rating three skills and
    a recent one rating every skill, one skill learning and one test passed with evidence."""
    cohort = make_cohort(lead, name=name)
    skills = list(Skill.objects.all())
    prefix = f"{cohort.pk}-"
    users = User.objects.bulk_create(
        User(username=f"learner{prefix}{i:04d}", password="!", display_name=f"Learner {i}")
        for i in range(size)
    )
    users = list(User.objects.filter(username__startswith=f"learner{prefix}"))
    Membership.objects.bulk_create(Membership(cohort=cohort, user=user) for user in users)
    now = timezone.now()
    Audit.objects.bulk_create(
        Audit(user=user, kind=Audit.Kind.FULL, saved_at=now - timedelta(days=days))
        for user in users
        for days in (60, 3 + user.pk % 70)
    )
    audits = Audit.objects.filter(user__in=users).order_by("saved_at")
    Rating.objects.bulk_create(
        (
            Rating(audit=audit, skill=skill, value=1 + (audit.pk + skill.pk) % 5)
            for audit in audits
            for skill in (skills if audit.saved_at > now - timedelta(days=59) else skills[:3])
        ),
        batch_size=2000,
    )
    Progress.objects.bulk_create(
        [Progress(user=user, skill=skills[0], status=Progress.Status.LEARNING) for user in users]
        + [
            Progress(
                user=user,
                skill=skills[1],
                status=Progress.Status.TEST_PASSED,
                evidence_url=f"https://example.org/{user.username}",
                passed_at=now,
            )
            for user in users
        ]
    )
    return cohort
