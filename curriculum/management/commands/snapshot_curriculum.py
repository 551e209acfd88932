import json
from pathlib import Path

from django.core.management.base import BaseCommand

from curriculum.seed import seed_records


class Command(BaseCommand):
    help = (
        "Write the seed curriculum, as the seed files parse today, to a JSON file that a data "
        "migration loads. Done once per snapshot: a written snapshot is never edited."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="e.g. curriculum/migrations/seed_0002.json")

    def handle(self, *args, path, **options):
        path.write_text(
            json.dumps(seed_records(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        self.stdout.write(f"Wrote {path}.")
