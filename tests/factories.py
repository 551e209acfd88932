"""Test data: one factory per model and the people tests are about.

Factories build one row with sensible defaults; say only what the test is about:
`AuditFactory(user=ada, ratings={"python": 3})`, `AuditFactory(draft=True)`,
`AuditFactory(quick=True, answers={1: 4})`, `ProgressFactory(passed=True)`.
Personas (`learner`, `curator`, `learner_with_two_full_audits`, `lead_with_cohort`…) are plain
functions over them; cohort tests build with `make_lead`, `make_cohort`, `save_full_audit`,
`claim_test` and `bulk_cohort` (any size, in bulk).
`small_curriculum()` swaps the seeded curriculum for two trunks of three skills, two buckets and
one track, for tests whose subject is not the seed.
"""

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import encrypt
from cryptography.hazmat.primitives.asymmetric import ec
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from factory.django import DjangoModelFactory
from fido2.cose import ES256
from fido2.utils import websafe_encode
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

from assessments.models import Audit, BaselineAnswer, Progress, Rating, SignalTick
from cohorts.models import Cohort, Membership
from curriculum.models import (
    BaselineQuestion,
    Bucket,
    LadderLevel,
    LadderSignal,
    RequirementLevel,
    Resource,
    Skill,
    Track,
    TrackRequirement,
    Trunk,
)

User = get_user_model()

LEARNER_PASSWORD = "orchard-lantern-41-quietly"
CURATOR_PASSWORD = "curate-the-tree-42"
# The key of the authenticator app staff personas have set up (tests.second_factor.totp_code).
STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


# Curriculum


class TrunkFactory(DjangoModelFactory):
    class Meta:
        model = Trunk

    number = factory.Sequence(lambda n: 100 + n)
    name = factory.Sequence(lambda n: f"Test trunk {n}")
    slug = factory.Sequence(lambda n: f"test-trunk-{n}")
    heading = factory.LazyAttribute(lambda t: f"Trunk {t.number} — {t.name}")
    summary = "What this trunk covers."


class BucketFactory(DjangoModelFactory):
    class Meta:
        model = Bucket

    name = factory.Sequence(lambda n: f"Test bucket {n}")
    short_name = factory.Sequence(lambda n: f"Bucket {n}")
    slug = factory.Sequence(lambda n: f"test-bucket-{n}")
    order = factory.Sequence(lambda n: 100 + n)


class SkillFactory(DjangoModelFactory):
    class Meta:
        model = Skill

    trunk = factory.SubFactory(TrunkFactory)
    bucket = factory.SubFactory(BucketFactory)
    name = factory.Sequence(lambda n: f"Test skill {n}")
    slug = factory.Sequence(lambda n: f"test-skill-{n}")
    order = factory.Sequence(lambda n: n)
    mastery = "You can do it without looking it up."
    test = "Do it once, end to end, and show the result."


class ResourceFactory(DjangoModelFactory):
    class Meta:
        model = Resource

    skill = factory.SubFactory(SkillFactory)
    title = factory.Sequence(lambda n: f"Resource {n}")
    url = factory.Sequence(lambda n: f"https://example.org/resource/{n}")


class RequirementLevelFactory(DjangoModelFactory):
    class Meta:
        model = RequirementLevel

    name = factory.Sequence(lambda n: f"Level {n}")
    target = Decimal("3")
    order = factory.Sequence(lambda n: n)


class TrackFactory(DjangoModelFactory):
    class Meta:
        model = Track

    name = factory.Sequence(lambda n: f"Test track {n}")
    slug = factory.Sequence(lambda n: f"test-track-{n}")
    order = factory.Sequence(lambda n: 100 + n)
    description = "Someone who builds things with models."
    depth_trunk = factory.SubFactory(TrunkFactory)


class TrackRequirementFactory(DjangoModelFactory):
    class Meta:
        model = TrackRequirement

    track = factory.SubFactory(TrackFactory)
    bucket = factory.SubFactory(BucketFactory)
    level = factory.SubFactory(RequirementLevelFactory)
    label = factory.LazyAttribute(lambda r: r.level.name)


class BaselineQuestionFactory(DjangoModelFactory):
    class Meta:
        model = BaselineQuestion

    text = factory.Sequence(lambda n: f"How sure are you of test topic {n}?")
    topic = factory.Sequence(lambda n: f"Topic {n}")
    bucket = factory.SubFactory(BucketFactory)
    order = factory.Sequence(lambda n: 100 + n)


class LadderLevelFactory(DjangoModelFactory):
    class Meta:
        model = LadderLevel

    number = factory.Sequence(lambda n: 100 + n)
    name = factory.Sequence(lambda n: f"Test rung {n}")
    slug = factory.Sequence(lambda n: f"test-rung-{n}")
    what_it_is = "A rung of the ladder."


class LadderSignalFactory(DjangoModelFactory):
    class Meta:
        model = LadderSignal

    level = factory.SubFactory(LadderLevelFactory)
    text = factory.Sequence(lambda n: f"You do test thing {n} without thinking")
    order = factory.Sequence(lambda n: n)


# People


class UserFactory(DjangoModelFactory):
    """A learner. No usable password unless given: tests log in with force_login. They chose
    every email; `emails_chosen_at=None` is an account that never chose. Their email is
    verified (allauth's EmailAddress, primary); `email_verified=False` is one nobody confirmed.
    Staff have set up an authenticator app (the admin requires a second factor), with the key
    STAFF_TOTP_SECRET; `second_factor=False` is staff who have not, `second_factor=True` a
    learner who has."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    class Params:
        staff = factory.Trait(is_staff=True)
        superuser = factory.Trait(is_staff=True, is_superuser=True)

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = None
    email_audit_reminders = True
    email_review_verdicts = True
    email_review_digest = True
    emails_chosen_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return model_class.objects.create_user(*args, **kwargs)

    @factory.post_generation
    def email_verified(user, create, verified, **kwargs):
        if create:
            record_address(user, verified=verified is not False)

    @factory.post_generation
    def second_factor(user, create, wanted, **kwargs):
        if create and (wanted if wanted is not None else user.is_staff):
            give_authenticator_app(user)


# The learner's layer


class AuditFactory(DjangoModelFactory):
    """A saved full audit, dated `days_ago` (default today).

    `ratings={skill or skill slug: value}` rates skills; `quick=True, answers={question or its
    order: value}` makes a quick audit; `draft=True` leaves it unsaved.
    """

    class Meta:
        model = Audit
        skip_postgeneration_save = True

    class Params:
        days_ago = 0
        draft = factory.Trait(saved_at=None)
        quick = factory.Trait(kind=Audit.Kind.QUICK)

    user = factory.SubFactory(UserFactory)
    kind = Audit.Kind.FULL
    saved_at = factory.LazyAttribute(lambda a: timezone.now() - timedelta(days=a.days_ago))

    @factory.post_generation
    def ratings(audit, create, extracted, **kwargs):
        if not (create and extracted):
            return
        slugs = [s for s in extracted if isinstance(s, str)]
        by_slug = Skill.objects.in_bulk(slugs, field_name="slug")
        Rating.objects.bulk_create(
            Rating(audit=audit, skill=by_slug[s] if isinstance(s, str) else s, value=v)
            for s, v in extracted.items()
        )

    @factory.post_generation
    def answers(audit, create, extracted, **kwargs):
        if not (create and extracted):
            return
        orders = [q for q in extracted if isinstance(q, int)]
        by_order = {q.order: q for q in BaselineQuestion.objects.filter(order__in=orders)}
        BaselineAnswer.objects.bulk_create(
            BaselineAnswer(audit=audit, question=by_order[q] if isinstance(q, int) else q, value=v)
            for q, v in extracted.items()
        )


class RatingFactory(DjangoModelFactory):
    class Meta:
        model = Rating

    audit = factory.SubFactory(AuditFactory, draft=True)
    skill = factory.SubFactory(SkillFactory)
    value = 3


class BaselineAnswerFactory(DjangoModelFactory):
    class Meta:
        model = BaselineAnswer

    audit = factory.SubFactory(AuditFactory, quick=True, draft=True)
    question = factory.SubFactory(BaselineQuestionFactory)
    value = 3


class ProgressFactory(DjangoModelFactory):
    """Learning a skill since now; `passed=True` claims its test with evidence."""

    class Meta:
        model = Progress

    class Params:
        passed = factory.Trait(
            status=Progress.Status.TEST_PASSED,
            evidence_url="https://github.com/example/proof",
            passed_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=2)),
        )

    user = factory.SubFactory(UserFactory)
    skill = factory.SubFactory(SkillFactory)
    status = Progress.Status.LEARNING
    learning_since = factory.LazyFunction(timezone.now)


class SignalTickFactory(DjangoModelFactory):
    class Meta:
        model = SignalTick

    user = factory.SubFactory(UserFactory)
    signal = factory.SubFactory(LadderSignalFactory)


# Cohorts


class CohortFactory(DjangoModelFactory):
    """A cohort with its invite link on; `leads=[...]` and `members=[...]` fill it."""

    class Meta:
        model = Cohort
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Cohort {n}")
    description = "Twenty weeks, one trunk at a time."

    @factory.post_generation
    def leads(cohort, create, extracted, **kwargs):
        if create and extracted:
            cohort.leads.add(*extracted)

    @factory.post_generation
    def members(cohort, create, extracted, **kwargs):
        if create and extracted:
            Membership.objects.bulk_create(Membership(cohort=cohort, user=m) for m in extracted)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    cohort = factory.SubFactory(CohortFactory)
    user = factory.SubFactory(UserFactory)


# Personas


def learner(**fields):
    """Ada, a learner who signs in with a password."""
    return UserFactory(username="ada", email="ada@example.org", password=LEARNER_PASSWORD, **fields)


def other_learner(**fields):
    return UserFactory(username="grace", **fields)


def learner_aiming_at(track=None, **fields):
    """A learner whose target track is `track` (the first track when not given)."""
    return UserFactory(target_track=track or Track.objects.first(), **fields)


def learner_with_two_full_audits(
    first=None, second=None, *, first_days_ago=30, second_days_ago=0, **fields
):
    """A learner with two saved full audits, `first` ({skill or slug: value}) saved
    `first_days_ago` and `second` saved `second_days_ago`; by default the first two skills rated
    2, then 4."""
    user = UserFactory(**fields)
    skills = list(Skill.objects.all()[:2])
    AuditFactory(user=user, days_ago=first_days_ago, ratings=first or dict.fromkeys(skills, 2))
    AuditFactory(user=user, days_ago=second_days_ago, ratings=second or dict.fromkeys(skills, 4))
    return user


def learner_chasing_hype(**fields):
    """A Research Scientist learner in hype substitution: three practical AI engineering skills
    started last week, while the foundations and ML fundamentals skills sit at 1–2 in their
    full audit of five weeks ago, untouched since."""
    user = UserFactory(target_track=Track.objects.get(name="Research Scientist"), **fields)
    skills = list(Skill.objects.select_related("trunk"))
    AuditFactory(
        user=user,
        days_ago=35,
        ratings={s: 1 if s.trunk.number == 1 else 2 if s.trunk.number == 2 else 3 for s in skills},
    )
    for skill in [s for s in skills if s.trunk.number == 4][:3]:
        ProgressFactory(user=user, skill=skill, learning_since=timezone.now() - timedelta(days=6))
    return user


def curator(**fields):
    """Staff who may change the curriculum, and nothing else."""
    user = UserFactory(username="editor", staff=True, password=CURATOR_PASSWORD, **fields)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="curriculum"))
    return user


def staff_without_permissions(**fields):
    """Staff who may sign in to the admin and hold no permission at all."""
    return UserFactory(staff=True, **fields)


def cohort_lead(**fields):
    """A learner in the "Cohort leads" group: may create cohorts, leads none yet."""
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name="Cohort leads"))
    return user


def member_of(cohort, **fields):
    """A learner in `cohort`."""
    return MembershipFactory(cohort=cohort, user=UserFactory(**fields)).user


def former_member_of(cohort, **fields):
    """A learner who joined `cohort` and left it."""
    user = member_of(cohort, **fields)
    Membership.objects.filter(cohort=cohort, user=user).delete()
    return user


def superuser(**fields):
    """The site's administrator; `staff_user` in the tests."""
    return UserFactory(username="curator", superuser=True, password=CURATOR_PASSWORD, **fields)


# Cohorts: leads, cohorts, learners with saved audits and evidence


EVERY_EMAIL = {
    "email_audit_reminders": True,
    "email_review_verdicts": True,
    "email_review_digest": True,
}


def make_user(username, password=None, *, email_verified=True, **fields):
    """A learner; no password unless given (hashing is slow and tests log in with force_login).
    They chose every email and their email (if given) is verified, and staff have an
    authenticator app, as `UserFactory`'s people."""
    fields = {**EVERY_EMAIL, "emails_chosen_at": timezone.now(), **fields}
    user = User.objects.create_user(username=username, password=password, **fields)
    record_address(user, verified=email_verified)
    if user.is_staff:
        give_authenticator_app(user)
    return user


def give_authenticator_app(user, secret=STAFF_TOTP_SECRET):
    """The user has set up an authenticator app holding `secret`, and has the recovery codes
    made with it: allauth's Authenticator rows as its set-up page saves them (the key and the
    codes' seed encrypted by allauth.mfa.utils.encrypt)."""
    Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.RECOVERY_CODES,
        data={"seed": encrypt(secrets.token_hex(40)), "used_mask": 0},
    )
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)}
    )


def give_passkey(user, name="Laptop"):
    """The user has added a passkey that can log in alone: allauth's Authenticator row holding
    the registration a device would send (made here with fido2: a new P-256 key, no attestation,
    for the site at localhost). Only a browser's virtual authenticator can use it to sign in
    (tests/test_browser_second_factor.py); this row is for pages that list or ask for one."""
    key = ec.generate_private_key(ec.SECP256R1())
    credential_id = os.urandom(16)
    credential = AttestedCredentialData.create(
        Aaguid.NONE, credential_id, ES256.from_cryptography_key(key.public_key())
    )
    flags = AuthenticatorData.FLAG.UP | AuthenticatorData.FLAG.UV | AuthenticatorData.FLAG.AT
    device_data = AuthenticatorData.create(
        hashlib.sha256(b"localhost").digest(), flags, 0, credential
    )
    client_data = CollectedClientData.create(
        type="webauthn.create", challenge=os.urandom(16), origin="http://localhost"
    )
    registration = {
        "id": websafe_encode(credential_id),
        "rawId": websafe_encode(credential_id),
        "type": "public-key",
        "response": {
            "clientDataJSON": websafe_encode(client_data),
            "attestationObject": websafe_encode(AttestationObject.create("none", device_data, {})),
        },
        "clientExtensionResults": {"credProps": {"rk": True}},
    }
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.WEBAUTHN, data={"name": name, "credential": registration}
    )


def record_address(user, *, verified):
    """The user's email as allauth's primary EmailAddress, verified or not."""
    if user.email:
        EmailAddress.objects.create(
            user=user, email=user.email.lower(), primary=True, verified=verified
        )


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


def lead_with_cohort(n_learners=3, *, username="lena", name="Big cohort", **fields):
    """Lena, a cohort lead, with a cohort of `n_learners` learners built by `bulk_cohort`
    (audits, one skill learning, one claim waiting each): `lead.led_cohorts.get()`."""
    lead = make_lead(username, display_name="Lena Lead", **fields)
    bulk_cohort(lead, n_learners, name=name)
    return lead


# A curriculum small enough to count by hand


@dataclass(frozen=True)
class SmallCurriculum:
    trunks: list
    skills: list
    buckets: list
    levels: list
    track: Track


def empty_curriculum():
    """Remove the seeded trunks, skills, buckets, tracks and quick-audit questions (kept: the
    ladder, the path and the passages), so a test counts only what it builds."""
    TrackRequirement.objects.all().delete()
    User.objects.filter(target_track__isnull=False).update(target_track=None)
    Track.objects.all().delete()
    BaselineQuestion.objects.all().delete()
    Skill.objects.all().delete()
    Bucket.objects.all().delete()
    Trunk.objects.all().delete()
    RequirementLevel.objects.all().delete()


def small_curriculum():
    """Two trunks of three skills, two buckets (the first trunk's skills alternate between them,
    the second trunk's are all in the second), levels Low (2) and High (4), and one track deep in
    the first trunk needing High of the first bucket and Low of the second."""
    empty_curriculum()
    trunks = [
        TrunkFactory(number=1, name="Foundations", slug="foundations"),
        TrunkFactory(number=2, name="Building", slug="building"),
    ]
    buckets = [
        BucketFactory(name="Technical Skills", short_name="Technical", slug="technical", order=1),
        BucketFactory(name="Domain Skills", short_name="Domain", slug="domain", order=2),
    ]
    skills = [
        SkillFactory(trunk=trunks[0], bucket=buckets[0], name="Python", slug="python", order=1),
        SkillFactory(trunk=trunks[0], bucket=buckets[1], name="Statistics", slug="stats", order=2),
        SkillFactory(trunk=trunks[0], bucket=buckets[0], name="Git", slug="git", order=3),
        SkillFactory(trunk=trunks[1], bucket=buckets[1], name="Prompting", slug="prompt", order=1),
        SkillFactory(trunk=trunks[1], bucket=buckets[1], name="Evals", slug="evals", order=2),
        SkillFactory(trunk=trunks[1], bucket=buckets[1], name="Agents", slug="agents", order=3),
    ]
    levels = [
        RequirementLevelFactory(name="Low", target=Decimal("2"), order=1),
        RequirementLevelFactory(name="High", target=Decimal("4"), order=2),
    ]
    track = TrackFactory(name="Builder", slug="builder", order=1, depth_trunk=trunks[0])
    track.literacy_trunks.add(trunks[1])
    TrackRequirementFactory(track=track, bucket=buckets[0], level=levels[1], label="High")
    TrackRequirementFactory(track=track, bucket=buckets[1], level=levels[0], label="Low")
    return SmallCurriculum(
        trunks=trunks, skills=skills, buckets=buckets, levels=levels, track=track
    )


def restore_migrated_data():
    """Put back what data migrations made (the seeded curriculum, the "Cohort leads" group)
    after a transactional test emptied every table; a no-op when they are there."""
    from importlib import import_module

    from django.apps import apps

    from curriculum.framework import import_missing
    from curriculum.seed import seed_framework

    if not Trunk.objects.exists():
        import_missing(seed_framework())
    if not Group.objects.filter(name="Cohort leads").exists():
        import_module("cohorts.migrations.0002_cohort_leads_group").create_group(apps, None)


# Personal access tokens (the API's)


def access_token(user, *, scope="write", days=30, name="My script"):
    """A token of `user`'s, made as the profile page makes it: (the row, the token to send)."""
    from api.tokens import make_token

    row, token, _created = make_token(user, name=name, scope=scope, days=days)
    return row, token
