import requests
from allauth.account import views as allauth_views
from allauth.socialaccount.providers.openid_connect import views as openid_connect_views
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.emails import record_email_choices
from accounts.forms import EmailChoicesForm, ProfileForm
from accounts.redirects import safe_next
from accounts.targets import aim_for
from curriculum.models import Track
from curriculum.personal import context_for


@login_required
def profile(request):
    """The digest choice is offered to leads only: whether the person leads comes from the
    cohorts app's profile provider (`leads`)."""
    personal = context_for(request, "profile")
    leads = bool(personal.get("leads"))
    if request.method == "POST":
        form = ProfileForm(request.POST, instance=request.user, leads=leads)
        if form.is_valid():
            form.save()
            messages.success(request, "Your profile is saved.")
            return redirect("profile")
    else:
        form = ProfileForm(instance=request.user, leads=leads)
    # Where the environment configures single sign-on, the providers a person connected are
    # theirs to see and remove.
    sign_in_providers = bool(settings.SOCIALACCOUNT_PROVIDERS)
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "personal": personal, "sign_in_providers": sign_in_providers},
    )


@login_required
@require_POST
def email_choices(request):
    """The dashboard's one-time question: "Save my choice" records the boxes ticked,
    "No emails" records that none is wanted. Either way the question is not asked again."""
    form = EmailChoicesForm(request.POST)
    form.is_valid()
    ticked = [] if request.POST.get("answer") == "none" else form.ticked()
    record_email_choices(request.user, ticked)
    if request.htmx:
        return render(request, "accounts/email_choices.html#answered", {"ticked": ticked})
    if ticked:
        messages.success(request, "Saved: you get only the emails you ticked.")
    else:
        messages.success(request, "Saved: no emails. Change it any time on your profile.")
    return redirect(safe_next(request, reverse("profile")))


@login_required
@require_POST
def aim_track(request, slug):
    """One click sets the target track. htmx aimed at the button gets the button's new state;
    any other request goes back to `next` (htmx follows and swaps the page it asked for)."""
    track = get_object_or_404(Track.objects.current(), slug=slug)
    aim_for(request.user, track)
    if request.htmx and request.htmx.target == f"aim-{track.slug}":
        return render(
            request, "accounts/aim_track.html#aim-body", {"track": track, "just_aimed": True}
        )
    messages.success(
        request, f"You are aiming for {track.name} now: your gap is measured against it."
    )
    return redirect(safe_next(request, track.get_absolute_url()))


def confirm_email(request, key):
    """allauth's page for the link mailed to an address. Two accounts confirming one address at
    once: the database lets one have it verified (allauth's unique_verified_email), and the other
    is shown the page again, which now says the address belongs to another account."""
    try:
        with transaction.atomic():
            return allauth_views.confirm_email(request, key=key)
    except IntegrityError:
        return redirect("account_confirm_email", key=key)


def continue_with_issuer(request, provider_id):
    """django-allauth's "Continue with" an OpenID Connect issuer, which first reads the issuer's
    configuration: an issuer that does not answer is a page saying the log-in did not work
    (502), not a server error."""
    try:
        return openid_connect_views.login(request, provider_id)
    except requests.RequestException:
        return render(request, "socialaccount/authentication_error.html", status=502)
