from django.core.management import call_command
from django.core.management.base import BaseCommand

from outbox.queue import requeue_stalled


class Command(BaseCommand):
    help = (
        "Sends the site's mail as it is queued: first queues again any mail a killed worker left "
        "unsent, then runs django-tasks-db's db_worker on the default queue until stopped "
        "(SIGTERM lets the mail being sent finish). Run one (or more, on PostgreSQL) wherever "
        "the web runs; while none runs, mail waits in the database and nothing is lost."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Send what is due now, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between looks at the queue when it is empty (default 1).",
        )

    def handle(self, *args, batch, interval, verbosity, **options):
        requeued = requeue_stalled()
        if requeued:
            self.stdout.write(f"Queued {requeued} stalled mail again.")
        call_command(
            "db_worker",
            batch=batch,
            interval=interval,
            reload=False,
            startup_delay=False,
            verbosity=verbosity,
            stdout=self.stdout,
            stderr=self.stderr,
        )
