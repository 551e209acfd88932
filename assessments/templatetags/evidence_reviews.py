"""The learner's reviewed evidence on their dashboard: what their cohort leads said."""

from django import template

from assessments.models import Progress

register = template.Library()


@register.inclusion_tag("assessments/_your_reviews.html", takes_context=True)
def your_evidence_reviews(context, limit=5):
    """The latest reviews of the signed-in learner's test evidence, in one query."""
    user = context["request"].user
    reviews = list(
        Progress.objects.reviewed()
        .filter(user=user)
        .select_related("skill", "reviewed_by")
        .order_by("-reviewed_at", "-pk")[:limit]
    )
    return {"reviews": reviews}
