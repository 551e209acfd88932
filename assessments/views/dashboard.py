"""The learner's dashboard: where they stand against their target track, and what to do next."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse

from assessments.standing import standing_for
from curriculum.models import Track


def _url(*names):
    """The first of these URL names that exists: some pages land on main after the dashboard."""
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return None


def dashboard_links():
    return {
        "profile": _url("profile", "curriculum:tracks"),
        "quick_audit": _url("assessments:quick_audit"),
        "full_audit": _url("assessments:audit"),
        "audit_history": _url("assessments:audit_history"),
        "ladder": _url("assessments:my_ladder", "curriculum:ladder"),
        "path": _url("assessments:my_path", "curriculum:path"),
    }


@login_required
def dashboard(request):
    """`?track=<slug>` shows the gap to another track; with htmx only that part is returned."""
    preview = None
    if request.GET.get("track"):
        preview = get_object_or_404(Track, slug=request.GET["track"])
    standing = standing_for(request.user, track=preview)
    context = {
        "standing": standing,
        "previewing": preview is not None and preview.pk != request.user.target_track_id,
        "links": dashboard_links(),
    }
    template = "assessments/dashboard.html"
    if request.htmx and preview is not None:
        template += "#track-view"
    return render(request, template, context)
