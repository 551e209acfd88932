"""Email that brings people back: the re-audit reminder, a lead's review verdict, a lead's digest.

The top layer: it reads assessments and cohorts, and nothing imports it. A Notice is the record
of one email that is due or was sent; `manage.py send_reminders` records what is due and hands
each email to the outbox (outbox.queue.send), whose worker sends it.
A review verdict is queued when the lead records it (cohorts.review.review_recorded).
"""
