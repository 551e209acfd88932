"""The skills a learner should work on next toward their target track.

The order, most important first:
1. the track's strongest needs: skills in the buckets with the highest required level;
2. the track's depth trunk, then its literacy trunks, then the rest of the tree;
3. skills the learner rated before skills they did not: a rated gap is known, an unrated skill only
   takes its bucket's gap as an estimate (and has no gap at all when the bucket has no level);
4. the biggest gap between the rating (or the estimate) and the bucket's target;
5. the curriculum's own order, so the same data always gives the same answer.
Skills whose test is passed, skills at or above the target, and skills in buckets the track does
not require are left out.
"""

from dataclasses import dataclass, replace
from decimal import Decimal

from assessments.status import SkillStatus
from curriculum.models import Resource

DEPTH, LITERACY, ELSEWHERE = 0, 1, 2
TIER_LABELS = {
    DEPTH: "depth trunk",
    LITERACY: "literacy trunk",
    ELSEWHERE: "elsewhere in the tree",
}


@dataclass(frozen=True)
class NextSkill:
    skill: object
    requirement: object
    rating: int | None
    gap: Decimal | None
    tier: int
    status: str = SkillStatus.NOT_STARTED
    bucket_level: Decimal | None = None
    resource: object = None

    @property
    def target(self):
        return self.requirement.level.target

    @property
    def is_estimated(self):
        """The skill is unrated: its gap is its bucket's."""
        return self.rating is None

    @property
    def tier_label(self):
        return TIER_LABELS[self.tier]


def _tier(track, skill):
    if skill.trunk_id == track.depth_trunk_id:
        return DEPTH
    if any(trunk.pk == skill.trunk_id for trunk in track.literacy_trunks.all()):
        return LITERACY
    return ELSEWHERE


def next_skills(track, skills, reading, statuses=None, count=3):
    """The `count` NextSkills for `track` (None: no track, no advice).

    `skills` are Skill rows (trunk loaded); `reading` is a gaps.Reading; `statuses` maps skill id to
    a SkillStatus (`assessments.status`): a passed test is skipped, one that needs work is not.
    `track` needs its requirements (with level) and literacy trunks prefetched
    (gaps.tracks_for_fit).
    """
    if track is None:
        return []
    statuses = statuses or {}
    requirements = {r.bucket_id: r for r in track.requirements.all()}
    candidates = []
    for skill in skills:
        status = statuses.get(skill.pk, SkillStatus.NOT_STARTED)
        requirement = requirements.get(skill.bucket_id)
        if SkillStatus(status).is_passed or requirement is None:
            continue
        target = requirement.level.target
        rating = reading.ratings.get(skill.pk)
        if rating is not None:
            gap = target - rating
        else:
            level = reading.levels.get(skill.bucket_id)
            gap = None if level is None else target - level
        if gap is not None and gap <= 0:
            continue
        candidates.append(
            NextSkill(
                skill=skill,
                requirement=requirement,
                rating=rating,
                gap=gap,
                tier=_tier(track, skill),
                status=status,
                bucket_level=reading.levels.get(skill.bucket_id),
            )
        )
    candidates.sort(
        key=lambda c: (
            -c.target,
            c.tier,
            c.is_estimated,
            c.gap is None,
            -(c.gap or 0),
            c.skill.trunk.number,
            c.skill.order,
            c.skill.pk,
        )
    )
    return candidates[:count]


def with_free_resources(items):
    """The same NextSkills, each with its first current (not retired) free resource; one query."""
    if not items:
        return []
    first = {}
    resources = Resource.objects.current().filter(
        is_free=True, skill__in=[item.skill for item in items]
    )
    for resource in resources.order_by("skill_id", "order", "pk"):
        first.setdefault(resource.skill_id, resource)
    return [replace(item, resource=first.get(item.skill.pk)) for item in items]
