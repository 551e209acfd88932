from django.contrib.auth import get_user_model
from django.core import signing
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notices.due import PREFERENCE
from notices.mail import read_unsubscribe_token
from notices.models import Notice

EMAILS = {
    Notice.Kind.AUDIT_REMINDER: "re-audit reminders",
    Notice.Kind.REVIEW_VERDICT: "emails when a lead reviews your evidence",
    Notice.Kind.REVIEW_DIGEST: "daily digests of evidence waiting for your review",
}


@csrf_exempt  # RFC 8058: mail clients POST `List-Unsubscribe=One-Click` with no cookie or token
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """The link in every email. GET asks to confirm (link checkers open links); POST turns that
    kind of email off, however often it comes, for whoever the signed token names. No login."""
    try:
        user_pk, kind = read_unsubscribe_token(token)
    except signing.BadSignature:
        return render(request, "notices/unsubscribe_invalid.html", status=400)
    context = {"emails": EMAILS[kind]}
    if request.method == "POST":
        get_user_model().objects.filter(pk=user_pk).update(**{PREFERENCE[kind]: False})
        return render(request, "notices/unsubscribed.html", context)
    return render(request, "notices/unsubscribe.html", context)
