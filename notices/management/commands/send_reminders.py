from django.core.management.base import BaseCommand, CommandError

from notices.send import send_reminders


class Command(BaseCommand):
    help = (
        "Sends the emails that are due: re-audit reminders, review verdicts and leads' digests. "
        "Safe to run as often as you like: what was sent is recorded and never sent again, and "
        "what fails stays due for the next run (which then exits 1)."
    )

    def handle(self, *args, **options):
        run = send_reminders()
        for failure in run.failures:
            self.stderr.write(failure)
        self.stdout.write(run.summary)
        if run.failures:
            raise CommandError(
                f"{len(run.failures)} email(s) could not be sent; they stay due for the next run."
            )
