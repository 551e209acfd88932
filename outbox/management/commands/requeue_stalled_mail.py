from django.core.management.base import BaseCommand

from outbox.queue import requeue_stalled


class Command(BaseCommand):
    help = (
        "Queues again the mail whose worker was killed while sending it (mail_worker does this "
        "when it starts; the scheduler hourly, for a worker that died beside a living one)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Queued {requeue_stalled()} stalled mail again.")
