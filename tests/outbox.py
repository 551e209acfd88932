"""Mail leaves on a thread of its own (accounts/mail.py): wait for it before reading Django's
test outbox."""

import threading

from django.core import mail

from accounts.mail import THREAD_NAME


def sent_mail():
    """Django's test outbox, once every mail thread has finished."""
    for thread in threading.enumerate():
        if thread.name == THREAD_NAME:
            thread.join(timeout=15)
    return mail.outbox
