"""The learner's dashboard: where they stand against their target track, and what to do next."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

import pages
from accounts.emails import has_chosen
from accounts.forms import EmailChoicesForm
from assessments.standing import standing_for
from curriculum.models import Track


def dashboard_links():
    """Where the learner acts on what the dashboard shows. A lead's view of a learner renders
    the same partials without these links (each partial skips a link that is not given)."""
    return {
        "profile": reverse("profile"),
        "tracks": reverse("curriculum:tracks") + "#aim-for-a-track",
        "quick_audit": reverse("assessments:quick_audit"),
        "full_audit": reverse("assessments:audit"),
        "audit_history": reverse("assessments:audit_history"),
        "ladder": reverse("assessments:my_ladder"),
        "path": reverse("assessments:my_path"),
        "skill_progress": True,
        "aim": True,
    }


@login_required
def dashboard(request):
    """`?track=<slug>` shows the gap to another track; with htmx only that part is returned.
    The page's body is kept per learner and track (pages.for_learner), computed on a miss."""
    preview = None
    if request.GET.get("track"):
        preview = get_object_or_404(Track, slug=request.GET["track"])
    user = request.user
    kept = pages.for_learner(user.pk)
    context = {
        "kept": kept,
        "standing": pages.lazily(lambda: standing_for(user, track=preview)),
        "email_form": EmailChoicesForm() if user.email and not has_chosen(user) else None,
        "address_to_confirm": pages.kept_beside(
            kept, "address-to-confirm", user.address_to_confirm
        ),
        "previewing": preview is not None and preview.pk != request.user.target_track_id,
        "links": dashboard_links(),
    }
    template = "assessments/dashboard.html"
    if request.htmx and preview is not None:
        template += "#track-view"
    return render(request, template, context)
