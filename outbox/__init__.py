"""The outbox: every email the site sends waits here until the mail server has taken it.

`outbox.queue.send(message)` is the one way to send mail: it stores the Django EmailMessage (to,
subject, text, HTML alternative, headers) as a `Mail` row and queues a `deliver` task for it
(django-tasks with the database backend: the queue is a table in our own database, so no other
service is needed). Callers never wait for the mail server.

A worker (`manage.py mail_worker`, which runs django-tasks-db's `db_worker`) runs the tasks:
`deliver` locks the Mail row, hands it to the mail server, and deletes it once the server took it.
A failure is tried again later (`queue.RETRY_AFTER`), then given up and kept for staff to see.
A worker killed while sending leaves its task "running" forever and its Mail row unlocked:
`queue.requeue_stalled` (at every worker start, and hourly by the scheduler) queues such mail
again. Delivery is at least once: a worker killed after the server accepted the message and
before the row is deleted sends it again; anything shorter is sent exactly once.
"""
