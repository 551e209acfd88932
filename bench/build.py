"""Fill an empty, migrated database with learners, their audits, progress and evidence, and one
big cohort with its lead. Bulk inserts only: 2,000 learners take seconds, not minutes.

Models are looked up through the app registry (cohorts may live in `cohorts` or `accounts`).
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

PASSWORD = "bench-password-not-secret-42"
LEAD_USERNAME = "bench-lead"
LEARNER_USERNAME = "bench-learner"
CLAIMS_PER_MEMBER = 3
BATCH = 5000


def model(*names):
    """The first of `app_label.Model` names the registry knows."""
    for name in names:
        try:
            return apps.get_model(name)
        except LookupError:
            continue
    raise LookupError(f"none of {names} is installed")


@dataclass(frozen=True)
class Built:
    learners: int
    cohort_pk: int
    cohort_size: int
    claims: int
    waiting_claims: int
    ratings: int


def build(learners, cohort_size, *, seed=2026):
    """`learners` learners (the first is LEARNER_USERNAME), each with two saved full audits that
    rate every skill, two skills learning and one test passed; the first `cohort_size` join one
    cohort led by LEAD_USERNAME and pass CLAIMS_PER_MEMBER tests with evidence (a fifth reviewed)."""
    User = get_user_model()
    Cohort = model("cohorts.Cohort", "accounts.Cohort")
    Membership = model("cohorts.Membership", "accounts.Membership")
    Audit = model("assessments.Audit")
    Rating = model("assessments.Rating")
    Progress = model("assessments.Progress")
    SignalTick = model("assessments.SignalTick")
    Skill = model("curriculum.Skill")
    Track = model("curriculum.Track")
    LadderSignal = model("curriculum.LadderSignal")

    rng = random.Random(seed)
    now = timezone.now()
    skills = list(Skill.objects.order_by("pk"))
    tracks = list(Track.objects.order_by("pk"))
    signals = list(LadderSignal.objects.order_by("pk"))
    password = make_password(PASSWORD)  # hashed once; every bench user shares it

    with transaction.atomic():
        lead = User.objects.create(
            username=LEAD_USERNAME, password=password, display_name="Bench lead"
        )
        lead.groups.add(Group.objects.get(name="Cohort leads"))
        names = [LEARNER_USERNAME] + [f"bench-{i:05d}" for i in range(1, learners)]
        users = User.objects.bulk_create(
            (
                User(
                    username=name,
                    password=password,
                    display_name=f"Learner {i}",
                    email=f"{name}@example.org",
                    # They answered the dashboard's one-time email question (a week's use on).
                    email_audit_reminders=True,
                    emails_chosen_at=now - timedelta(weeks=1),
                    target_track=tracks[i % len(tracks)],
                    path_started_on=(now - timedelta(weeks=1 + i % 15)).date(),
                )
                for i, name in enumerate(names)
            ),
            batch_size=BATCH,
        )
        if apps.is_installed("allauth.account"):
            # Their addresses verified, as a learner's is once they followed the link.
            EmailAddress = apps.get_model("account", "EmailAddress")
            EmailAddress.objects.bulk_create(
                (
                    EmailAddress(user=user, email=user.email, verified=True, primary=True)
                    for user in users
                ),
                batch_size=BATCH,
            )
        cohort = Cohort.objects.create(
            name="Bench cohort",
            description="The bench's big cohort.",
            starts_on=(now - timedelta(weeks=14)).date(),
            ends_on=(now + timedelta(weeks=6)).date(),
        )
        cohort.leads.add(lead)
        members = users[:cohort_size]
        Membership.objects.bulk_create(
            (Membership(cohort=cohort, user=user) for user in members), batch_size=BATCH
        )

        audits = Audit.objects.bulk_create(
            (
                Audit(user=user, kind="full", saved_at=now - timedelta(days=days))
                for user in users
                for days in (40 + user.pk % 30, 1 + user.pk % 50)
            ),
            batch_size=BATCH,
        )
        rated = 0
        ratings = []
        for audit in audits:
            for skill in skills:
                ratings.append(
                    Rating(audit=audit, skill=skill, value=1 + (audit.user_id * 7 + skill.pk) % 5)
                )
            if len(ratings) >= BATCH:
                Rating.objects.bulk_create(ratings)
                rated += len(ratings)
                ratings = []
        Rating.objects.bulk_create(ratings)
        rated += len(ratings)

        member_ids = {user.pk for user in members}
        progress = []
        claims = waiting = 0
        for user in users:
            chosen = rng.sample(skills, 2 + CLAIMS_PER_MEMBER)
            for skill in chosen[:2]:
                progress.append(
                    Progress(
                        user=user,
                        skill=skill,
                        status="learning",
                        learning_since=now - timedelta(weeks=rng.randint(1, 10)),
                    )
                )
            passed = chosen[2:] if user.pk in member_ids else chosen[2:3]
            for skill in passed:
                item = Progress(
                    user=user,
                    skill=skill,
                    status="test_passed",
                    learning_since=now - timedelta(weeks=rng.randint(3, 10)),
                    passed_at=now - timedelta(days=rng.randint(1, 30)),
                    evidence_url=f"https://github.com/{user.username}/{skill.slug}",
                    note=f"My attempt at the {skill.name.lower()} test.",
                )
                if user.pk in member_ids:
                    claims += 1
                    if rng.random() < 0.2:
                        item.review = rng.choice(["verified", "needs_work"])
                        item.reviewed_by = lead
                        item.reviewed_at = item.passed_at + timedelta(days=1)
                        item.review_comment = "Clear and reproducible."
                    else:
                        waiting += 1
                progress.append(item)
        Progress.objects.bulk_create(progress, batch_size=BATCH)
        SignalTick.objects.bulk_create(
            (
                SignalTick(user=user, signal=signal)
                for user in users
                for signal in signals[: user.pk % (len(signals) // 2 + 1)]
            ),
            batch_size=BATCH,
        )
    return Built(
        learners=learners,
        cohort_pk=cohort.pk,
        cohort_size=len(members),
        claims=claims,
        waiting_claims=waiting,
        ratings=rated,
    )
