"""The learner's shareable profile: opting in and out, whether search engines may index it, and
what the public page shows.

The public page shows only what a learner would put on a CV: their name, ladder level, verified
skills and passed tests with their evidence links (a test a lead said needs work is not
among them: `assessments.status`; a verification due for a re-check says so:
`assessments.recheck`). Never ratings, notes (neither the one leads
see nor the private ones), review comments, reviewers' names or the email address.
"""

import secrets
from dataclasses import dataclass

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify

from assessments.ladder import ladder_standing
from assessments.models import Progress, PublicProfile
from assessments.recheck import curriculum_recheck_months, is_due_for_recheck
from assessments.status import SkillStatus
from curriculum.models import LadderLevel
from pages import bump_learner


def new_slug(user):
    """The learner's name, then a random part: readable, unguessable, new on every share."""
    return f"{slugify(user.shown_name)[:40].strip('-') or 'learner'}-{secrets.token_hex(4)}"


def share(user):
    """Opt in: the learner's profile (a new one, with a new URL, unless already shared).

    Two tabs or a double click sharing at once make one row: the profile's user is unique, and
    `get_or_create` answers the row the other request made when its insert hits that constraint.
    One query when shared already; otherwise a savepoint and the insert."""
    profile, _created = PublicProfile.objects.get_or_create(
        user=user, defaults={"slug": new_slug(user)}
    )
    bump_learner(user.pk)
    return profile


def stop_sharing(user):
    """Revoke: the page and its URL are gone; sharing again makes a new URL."""
    PublicProfile.objects.filter(user=user).delete()
    bump_learner(user.pk)


def allow_indexing(user, allowed):
    PublicProfile.objects.filter(user=user).update(indexable=allowed)
    bump_learner(user.pk)


@dataclass(frozen=True)
class PublicPage:
    """What a visitor sees on a learner's public profile."""

    profile: PublicProfile
    name: str
    standing: object
    verified: list
    passed: list
    due_for_recheck: frozenset = frozenset()


def public_page(slug):
    """The public page for `slug`, or 404 when nobody shares one under it. Six queries whatever
    the number of skills: the profile with its user, the passed tests with their skills, the
    learner's ticks, the ladder levels and their signals, the curriculum's re-check months."""
    profile = get_object_or_404(PublicProfile.objects.select_related("user"), slug=slug)
    user = profile.user
    tests = list(
        Progress.objects.claims()
        .passed()
        .filter(user=user)
        .select_related("skill__trunk")
        .order_by("skill__trunk__number", "skill__order", "skill__pk")
    )
    levels = list(LadderLevel.objects.prefetch_related("signals"))
    months, now = curriculum_recheck_months(), timezone.now()
    return PublicPage(
        profile=profile,
        name=user.shown_name,
        standing=ladder_standing(user, levels),
        verified=[p for p in tests if p.shown_status == SkillStatus.VERIFIED],
        passed=[p for p in tests if p.shown_status == SkillStatus.TEST_PASSED],
        due_for_recheck=frozenset(p.pk for p in tests if is_due_for_recheck(p, months, now)),
    )
