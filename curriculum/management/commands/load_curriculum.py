from django.core.management.base import BaseCommand, CommandError

from curriculum.framework import FrameworkError, import_missing
from curriculum.seed import seed_framework


class Command(BaseCommand):
    help = (
        "Create the seed curriculum rows this database never had: the framework import of the "
        "seed documents, adding only what is missing. Finds rows by their seed key, so curators' "
        "edits stay; rows a curator deleted stay deleted."
    )

    def handle(self, *args, **options):
        try:
            report = import_missing(seed_framework())
        except FrameworkError as error:
            raise CommandError(f"the seed curriculum: {error}. Nothing was changed.") from None
        for model, key in report.conflicts:
            self.stderr.write(
                f"Skipped {model} {key}: a curator's row already holds one of its unique values."
            )
        self.stdout.write(f"Curriculum loaded; seed rows created: {len(report.created)}.")
