"""The learner's shareable profile: the public page, and the settings on their profile page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from assessments import sharing

ACTIONS = {
    "share": ("Your public profile is on. Copy its link below.", sharing.share),
    "stop": ("Your public profile is off; its link no longer works.", sharing.stop_sharing),
    "index": (
        "Search engines may now index your public profile.",
        lambda user: sharing.allow_indexing(user, True),
    ),
    "noindex": (
        "Search engines are asked not to index your public profile.",
        lambda user: sharing.allow_indexing(user, False),
    ),
}


def public_profile(request, slug):
    """Anyone may read a shared profile; 404 for a slug nobody shares."""
    page = sharing.public_page(slug)
    response = render(request, "assessments/public_profile.html", {"page": page})
    if not page.profile.indexable:
        response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_POST
def share_settings(request):
    action = ACTIONS.get(request.POST.get("action"))
    if action is None:
        messages.error(request, "Nothing changed: choose what to do with your public profile.")
    else:
        message, apply = action
        apply(request.user)
        messages.success(request, message)
    return redirect(reverse("profile") + "#sharing")
