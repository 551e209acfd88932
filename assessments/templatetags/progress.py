"""The learner's progress on the public curriculum pages, which know nothing of users.

`{% load progress %}` then:
- `{% skill_progress skill %}` on a skill page: the learner's status, evidence, review and form
  (a sign-up prompt for visitors); one query.
- `{% progress_by_skill as statuses %}` once on a page listing skills (one query), then
  `{% progress_badge statuses skill %}` per skill and `{% progress_summary statuses %}` (no query).
- `{% ladder_summary %}` and `{% path_summary %}` for the dashboard and the public ladder and path pages.
"""

from collections import Counter

from django import template

from assessments.models import Progress
from assessments.views.progress import (
    get_progress_for_user,
    ladder_context,
    path_context,
    progress_context,
)

register = template.Library()


def _request(context):
    return context.get("request")


def _signed_in(request):
    return request is not None and request.user.is_authenticated


@register.inclusion_tag("assessments/progress.html#skill-progress", takes_context=True)
def skill_progress(context, skill):
    request = _request(context)
    if not _signed_in(request):
        return {"user": getattr(request, "user", None), "request": request, "skill": skill}
    progress = get_progress_for_user(request, skill)
    fragment = progress_context(request, skill, progress, next_url=request.get_full_path())
    fragment["csrf_token"] = context.get("csrf_token")
    return fragment


@register.simple_tag(takes_context=True)
def progress_by_skill(context):
    """The signed-in learner's progress rows keyed by skill id, in one query ({} for visitors)."""
    request = _request(context)
    if not _signed_in(request):
        return {}
    return {p.skill_id: p for p in Progress.objects.filter(user=request.user)}


@register.inclusion_tag("assessments/progress.html#status-badge")
def progress_badge(statuses, skill):
    return {"progress": statuses.get(skill.pk) if statuses else None}


@register.inclusion_tag("assessments/progress.html#tree-summary", takes_context=True)
def progress_summary(context, statuses):
    request = _request(context)
    counts = Counter(p.status for p in (statuses or {}).values())
    return {"user": getattr(request, "user", None), "request": request, "counts": counts}


@register.inclusion_tag("assessments/ladder.html#ladder-summary", takes_context=True)
def ladder_summary(context):
    request = _request(context)
    if not _signed_in(request):
        return {"user": getattr(request, "user", None), "request": request}
    return ladder_context(request)


@register.inclusion_tag("assessments/path.html#path-summary", takes_context=True)
def path_summary(context):
    request = _request(context)
    if not _signed_in(request):
        return {"user": getattr(request, "user", None), "request": request}
    return path_context(request)
