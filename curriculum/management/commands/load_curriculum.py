from django.apps import apps
from django.core.management.base import BaseCommand

from curriculum.seed import load_curriculum


class Command(BaseCommand):
    help = (
        "Create the seed curriculum rows this database never had. Finds rows by their seed key, "
        "so curators' edits stay; rows a curator deleted stay deleted."
    )

    def handle(self, *args, **options):
        report = load_curriculum(lambda name: apps.get_model("curriculum", name))
        for model, key in report.conflicts:
            self.stderr.write(
                f"Skipped {model} {key}: a curator's row already holds one of its unique values."
            )
        self.stdout.write(f"Curriculum loaded; seed rows created: {len(report.created)}.")
