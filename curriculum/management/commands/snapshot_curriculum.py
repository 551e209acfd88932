from pathlib import Path

from django.core.management.base import BaseCommand

from curriculum.framework import dumps
from curriculum.seed import seed_framework


class Command(BaseCommand):
    help = (
        "Write the seed curriculum, as the seed files parse today, as a framework file (with "
        "seed keys) for a new data migration to load with a frozen loader of its own. Done once "
        "per snapshot: a written snapshot is never edited."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="e.g. curriculum/migrations/seed_0002.json")

    def handle(self, *args, path, **options):
        path.write_text(dumps(seed_framework()), encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")
