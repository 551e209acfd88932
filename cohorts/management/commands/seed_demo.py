"""A demo cohort to look around in: a lead, thirty learners, their audits, progress and evidence."""

import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

import pages
from assessments.models import Audit, Progress, Rating, SignalTick
from assessments.warnings import FOUNDATION_TRUNKS, HYPE_TRUNKS
from cohorts.models import Cohort, Membership
from curriculum.models import LadderSignal, RecheckPolicy, Skill, Track

LEAD_USERNAME = "demo-lead"
LEAD_PASSWORD = "demo-lead-password"
LEARNER_PASSWORD = "demo-learner-password"
COHORT_NAME = "Demo cohort: spring 2026"
NAMES = [
    "Ada", "Bilal", "Chen", "Dara", "Elif", "Femi", "Greta", "Hiro", "Ines", "Jonas",
    "Kemi", "Lior", "Maya", "Nikhil", "Olga", "Pablo", "Quinn", "Rosa", "Sami", "Tariq",
    "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zoe", "Arjun", "Bea", "Cosmo", "Dilnoza",
]  # fmt: skip
LEARNER_USERNAME = f"demo-{NAMES[0].lower()}"
HYPE_LEARNER = f"demo-{NAMES[1].lower()}"  # shows hype substitution
RECHECK_LEARNER = f"demo-{NAMES[2].lower()}"  # a verification due for a re-check
RECHECK_MONTHS = 12
LOGINS = (
    f"  Log in as the lead: {LEAD_USERNAME} / {LEAD_PASSWORD}\n"
    f"  or as a learner:    {LEARNER_USERNAME} / {LEARNER_PASSWORD}"
)


class Command(BaseCommand):
    help = (
        "Create a demo cohort lead and a cohort of thirty learners with audits, progress and "
        "evidence. Skips if the demo lead exists. Refuses to run with DEBUG off unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on real data)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")

    def handle(self, *args, force=False, seed=2026, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off, so this looks like production: seed_demo refuses to add demo "
                "users and their known passwords. Pass --force if you really mean it."
            )
        User = get_user_model()
        if User.objects.filter(username=LEAD_USERNAME).exists():
            self.stdout.write(f"Demo data already exists: nothing changed.\n{LOGINS}")
            return
        with transaction.atomic():
            cohort, learners = self._build(random.Random(seed))
        self.stdout.write(
            self.style.SUCCESS(f"Made “{cohort.name}” with {len(learners)} learners.\n{LOGINS}")
        )

    def _build(self, rng):
        User = get_user_model()
        now = timezone.now()
        skills = list(Skill.objects.select_related("trunk"))
        tracks = list(Track.objects.all())
        signals = list(LadderSignal.objects.order_by("level__number", "order", "pk"))

        lead = User.objects.create_user(
            LEAD_USERNAME,
            email=f"{LEAD_USERNAME}@example.org",  # so the leads' review digest can be shown
            password=LEAD_PASSWORD,
            display_name="Dana Demo (lead)",
            email_review_digest=True,
            emails_chosen_at=now,
        )
        lead.groups.add(Group.objects.get(name="Cohort leads"))
        cohort = Cohort.objects.create(
            name=COHORT_NAME,
            description="A demo cohort made by manage.py seed_demo: thirty learners, twenty weeks.",
            starts_on=(now - timedelta(weeks=14)).date(),
            ends_on=(now + timedelta(weeks=6)).date(),
        )
        cohort.leads.add(lead)

        password = make_password(LEARNER_PASSWORD)  # hashed once: hashing thirty times is slow
        User.objects.bulk_create(
            User(
                username=f"demo-{name.lower()}",
                display_name=name,
                email=f"demo-{name.lower()}@example.org",
                password=password,
                target_track=rng.choice(tracks) if rng.random() < 0.85 else None,
                path_started_on=(now - timedelta(weeks=rng.randint(1, 14))).date(),
            )
            for name in NAMES
        )
        learners = list(User.objects.filter(username__in=[f"demo-{n.lower()}" for n in NAMES]))
        learners.sort(key=lambda user: user.username)
        Membership.objects.bulk_create(Membership(cohort=cohort, user=user) for user in learners)

        ratings, progress, ticks = [], [], []
        for index, learner in enumerate(learners):
            # A few never audit, a few stopped over six weeks ago; the rest audit every few weeks.
            audits_count = 0 if index % 10 == 9 else rng.randint(2, 4)
            last_weeks_ago = rng.choice([1, 2, 3, 4, 5, 9, 12]) if index % 10 != 4 else 8
            base = {
                skill.pk: rng.choices([1, 2, 3, 4], weights=[4, 4, 2, 1])[0] for skill in skills
            }
            for step in range(audits_count):
                weeks_ago = last_weeks_ago + 4 * (audits_count - 1 - step)
                saved_at = now - timedelta(weeks=weeks_ago, hours=rng.randint(0, 48))
                audit = Audit.objects.create(user=learner, kind=Audit.Kind.FULL, saved_at=saved_at)
                Audit.objects.filter(pk=audit.pk).update(started_at=saved_at - timedelta(hours=1))
                for skill in skills:
                    if rng.random() < 0.12:
                        continue  # left unrated
                    value = min(5, base[skill.pk] + (step if rng.random() < 0.5 else 0))
                    ratings.append(Rating(audit=audit, skill=skill, value=value))
            if audits_count == 0:
                continue
            for skill in rng.sample(skills, rng.randint(2, 6)):
                status = rng.choice(["learning", "learning", "test_passed"])
                item = Progress(
                    user=learner,
                    skill=skill,
                    status=status,
                    learning_since=now - timedelta(weeks=rng.randint(1, 10)),
                )
                if status == "test_passed":
                    item.passed_at = now - timedelta(days=rng.randint(1, 30))
                    item.evidence_url = f"https://github.com/{learner.username}/{skill.slug}"
                    item.note = f"My attempt at the {skill.name.lower()} test."
                    outcome = rng.choice(["", "", "verified", "needs_work"])
                    if outcome:
                        item.review = outcome
                        item.reviewed_by = lead
                        item.reviewed_at = item.passed_at + timedelta(days=1)
                        item.review_comment = (
                            "Clear and reproducible."
                            if outcome == "verified"
                            else "The evaluation leaks the test set; split before you tune."
                        )
                progress.append(item)
            ticks += [
                SignalTick(user=learner, signal=signal)
                for signal in signals[: rng.randint(0, len(signals) // 2)]
            ]
        Rating.objects.bulk_create(ratings, batch_size=1000)
        Progress.objects.bulk_create(progress)
        SignalTick.objects.bulk_create(ticks)
        self._chasing_hype(next(u for u in learners if u.username == HYPE_LEARNER), skills, now)
        self._calibrating(next(u for u in learners if u.username == LEARNER_USERNAME), lead, now)
        self._due_for_recheck(next(u for u in learners if u.username == RECHECK_LEARNER), lead, now)
        return cohort, learners

    def _due_for_recheck(self, learner, lead, now):
        """The whole curriculum's verifications fall due after a year (unless a curator set
        otherwise), and this learner's test verified fourteen months ago is due for a re-check."""
        RecheckPolicy.objects.filter(months__isnull=True).update(months=RECHECK_MONTHS)
        pages.bump_curriculum()
        skill = Skill.objects.get(slug="python-and-scientific-stack")
        Progress.objects.update_or_create(
            user=learner,
            skill=skill,
            defaults={
                "status": "test_passed",
                "learning_since": now - timedelta(weeks=70),
                "passed_at": now - timedelta(weeks=62),
                "evidence_url": f"https://github.com/{learner.username}/{skill.slug}",
                "review": "verified",
                "reviewed_by": lead,
                "reviewed_at": now - timedelta(weeks=61),
                "review_comment": "Clear and reproducible.",
            },
        )

    def _calibrating(self, learner, lead, now):
        """The demo learner's tests came back: two "needs work" on skills their early audits
        rated 4 and 5, one verified that they rated 2, and their latest audit rates them nearer
        the verdicts (how their ratings held up, on "Your audits")."""
        audits = list(Audit.objects.filter(user=learner).order_by("saved_at"))
        judged = [s for s in Skill.objects.select_related("trunk") if s.trunk.number == 4][-3:]
        verdicts = ["needs_work", "needs_work", "verified"]
        early, latest = [5, 4, 2], [3, 3, 3]
        Progress.objects.filter(user=learner, skill__in=judged).delete()
        for skill, verdict in zip(judged, verdicts, strict=True):
            Progress.objects.create(
                user=learner,
                skill=skill,
                status="test_passed",
                learning_since=now - timedelta(weeks=8),
                passed_at=now - timedelta(weeks=5),
                evidence_url=f"https://github.com/{learner.username}/{skill.slug}",
                review=verdict,
                reviewed_by=lead,
                reviewed_at=now - timedelta(weeks=4),
                review_comment=(
                    "Clear and reproducible."
                    if verdict == "verified"
                    else "The evaluation leaks the test set; split before you tune."
                ),
            )
        for audit in audits:
            values = latest if audit is audits[-1] else early
            for skill, value in zip(judged, values, strict=True):
                Rating.objects.update_or_create(audit=audit, skill=skill, defaults={"value": value})

    def _chasing_hype(self, learner, skills, now):
        """A Research Scientist learner whose last weeks went into practical AI engineering
        while foundations and ML fundamentals sit at 1, untouched: hype substitution."""
        learner.target_track = Track.objects.get(name="Research Scientist")
        learner.save(update_fields=["target_track"])
        Rating.objects.filter(
            audit__user=learner, skill__trunk__number__in=FOUNDATION_TRUNKS
        ).update(value=1)
        Progress.objects.filter(user=learner).delete()
        Progress.objects.bulk_create(
            Progress(
                user=learner,
                skill=skill,
                status="learning",
                learning_since=now - timedelta(days=4 + n),
            )
            for n, skill in enumerate([s for s in skills if s.trunk.number in HYPE_TRUNKS][:4])
        )
