"""Mail leaves on a thread of its own: no answer waits for the mail server, or is timed by it.

A password reset for an existing account and one for an unknown address must answer alike, and
a slow or dead SMTP server must not hold a web worker. A message that cannot be sent is logged;
the visitor's page has already answered. (A worker killed mid-send loses that one message.)
"""

import logging
import threading

from django.core.mail import EmailMessage
from django.template import loader
from django.urls import reverse

logger = logging.getLogger(__name__)

THREAD_NAME = "send-mail"


def _send(message):
    try:
        message.send()
    except Exception:
        logger.exception("could not send the mail “%s”", message.subject)


def send_off_the_request(message):
    """Send an EmailMessage after the answer, on a background thread named THREAD_NAME (whoever
    must know the mail has gone, such as a test reading the outbox, joins it); failures are
    logged."""
    threading.Thread(target=_send, args=(message,), name=THREAD_NAME).start()


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
    send_off_the_request(EmailMessage(subject, body, None, [owner.email]))
