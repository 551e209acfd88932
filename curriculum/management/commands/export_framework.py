from pathlib import Path

from django.core.management.base import BaseCommand

from curriculum.framework import dumps, export_framework


class Command(BaseCommand):
    help = "Write the whole curriculum as one JSON document (docs/framework-format.md)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="Write to this file instead of stdout.")

    def handle(self, *args, output=None, **options):
        text = dumps(export_framework())
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote the framework to {output}.")
        else:
            self.stdout.write(text, ending="")
