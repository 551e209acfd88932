"""The curriculum's reads that many pages share, kept per curriculum version (pages.kept)."""

from dataclasses import dataclass

from django.db.models import Prefetch

import pages
from curriculum.models import LadderLevel, PathPhase, Skill, Trunk


def trunks_with_skills():
    """Every trunk with its current skills and their buckets."""
    return pages.kept(
        "trunks-with-skills",
        lambda: list(
            Trunk.objects.prefetch_related(
                Prefetch("skills", queryset=Skill.objects.current().select_related("bucket"))
            )
        ),
    )


@dataclass(frozen=True)
class RateableSkill:
    """What a rating needs to know of a current skill, without the whole tree."""

    name: str
    mastery_version: int
    trunk_id: int
    trunk_number: int
    trunk_skill_count: int


def rateable_skills():
    """{pk: RateableSkill} of every current skill, kept in the process: a rating click reads this
    (small, never changed) instead of unpickling every trunk with its skills."""

    def compute():
        return {
            skill.pk: RateableSkill(
                skill.name, skill.mastery_version, trunk.pk, trunk.number, len(trunk.skills.all())
            )
            for trunk in trunks_with_skills()
            for skill in trunk.skills.all()
        }

    return pages.remembered("rateable-skills", compute)


def skill_count():
    """How many current skills the tree has."""
    return pages.remembered("skill-count", lambda: Skill.objects.current().count())


def ladder_levels():
    """The ladder's levels with their current signals."""
    return pages.kept("ladder-levels", lambda: list(LadderLevel.objects.with_current_signals()))


def path_phases():
    """The path's phases in order."""
    return pages.kept("path-phases", lambda: list(PathPhase.objects.with_what_they_teach()))
