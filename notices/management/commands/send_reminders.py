from django.core.management.base import BaseCommand, CommandError

from notices.send import send_reminders


class Command(BaseCommand):
    help = (
        "Queues the emails that are due (re-audit reminders, review verdicts and leads' digests) "
        "for the mail worker (manage.py mail_worker), which sends them and tries a refused one "
        "again later. Safe to run as often as you like: what was queued is recorded and never "
        "queued again; an email that cannot be written stays due for the next run (this one "
        "then exits 1)."
    )

    def handle(self, *args, **options):
        run = send_reminders()
        for failure in run.failures:
            self.stderr.write(failure)
        self.stdout.write(run.summary)
        if run.failures:
            raise CommandError(
                f"{len(run.failures)} email(s) could not be written; they stay due for the next run."
            )
