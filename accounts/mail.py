"""The mail accounts send beside Django's password reset: the note to an address's owner when
someone signs up with it. Like all mail it goes through the outbox (outbox.queue.send): no
answer waits for the mail server."""

from django.core.mail import EmailMessage
from django.template import loader
from django.urls import reverse

from outbox.queue import send


def tell_the_owner_about_a_sign_up(request, owner):
    """Someone signed up with ``owner``'s email: tell them by mail, never on the page.

    The new account is made without that email (one account per email), so whoever signed up
    learns nothing about whether the address is registered.
    """
    context = {
        "owner": owner,
        "protocol": "https" if request.is_secure() else "http",
        "domain": request.get_host(),
        "login_path": reverse("login"),
        "reset_path": reverse("password_reset"),
    }
    subject = "".join(
        loader.render_to_string("registration/email_in_use_subject.txt", context).splitlines()
    )
    body = loader.render_to_string("registration/email_in_use_email.txt", context)
    send(EmailMessage(subject, body, None, [owner.email]))
