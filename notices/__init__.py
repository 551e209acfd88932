"""Email that brings people back: the re-audit reminder, a lead's review verdict, a lead's digest.

The top layer: it reads assessments and cohorts, and nothing imports it. A Notice is the record
of one email that is due or was sent; `manage.py send_reminders` queues what is due and sends it.
A review verdict is queued when the lead records it (cohorts.review.review_recorded).
"""
