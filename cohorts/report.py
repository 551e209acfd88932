"""One learner as their lead sees them: audits by trunk over time, progress, evidence, reviews."""

from itertools import groupby

from django.db.models import Avg, Count

from assessments.gaps import round_level
from assessments.models import Audit, Progress, Rating
from cohorts.heatmap import Cell
from curriculum.models import Skill

HISTORY_LENGTH = 12


def learner_report(learner):
    """The learner's latest full audit by trunk, how trunk means moved over their last audits,
    and their progress with evidence and reviews, in a fixed number of queries. The gap, then
    and now, ladder and path come from the dashboard's `standing_for`."""
    audits = list(Audit.objects.latest_full().filter(user=learner)[:HISTORY_LENGTH])
    last_audit = Audit.objects.latest_first().filter(user=learner).first()
    skills = list(Skill.objects.select_related("trunk"))
    trunks = []
    for trunk, trunk_skills in groupby(skills, key=lambda skill: skill.trunk):
        trunk.skill_list = list(trunk_skills)
        trunks.append(trunk)
    latest = audits[0] if audits else None
    latest_values = (
        dict(Rating.objects.filter(audit=latest).values_list("skill_id", "value")) if latest else {}
    )
    means = {
        (row["audit_id"], row["skill__trunk_id"]): (row["mean"], row["rated"])
        for row in Rating.objects.filter(audit__in=[audit.pk for audit in audits])
        .values("audit_id", "skill__trunk_id")
        .annotate(mean=Avg("value"), rated=Count("pk"))
        .order_by()
    }
    for trunk in trunks:
        for skill in trunk.skill_list:
            skill.latest_rating = latest_values.get(skill.pk)
        trunk.history = []
        for audit in reversed(audits):
            mean, rated = means.get((audit.pk, trunk.pk), (None, 0))
            trunk.history.append(Cell(round_level(mean), rated, len(trunk.skill_list)))
    progress = list(
        Progress.objects.filter(user=learner)
        .exclude(status=Progress.Status.NOT_STARTED)
        .select_related("skill", "skill__trunk", "reviewed_by")
        .order_by("skill__trunk__number", "skill__order", "skill__pk")
    )
    for item in progress:
        item.self_rating = latest_values.get(item.skill_id)
    return {
        "latest_audit": latest,
        "last_audit": last_audit,
        "audits_oldest_first": list(reversed(audits)),
        "trunks": trunks,
        "progress": progress,
    }
