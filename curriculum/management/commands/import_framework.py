from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from curriculum.framework import FrameworkError, import_framework, parse


class Command(BaseCommand):
    help = (
        "Load a framework file (docs/framework-format.md) into an empty curriculum, in one "
        "transaction: a bad file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the curriculum there is first (refused once learners have used it).",
        )

    def handle(self, *args, file, replace, **options):
        try:
            text = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: cannot read it ({error})") from None
        try:
            created = import_framework(parse(text), replace=replace)
        except FrameworkError as error:
            raise CommandError(f"{file}: {error}. Nothing was changed.") from None
        counts = ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in created.items())
        self.stdout.write(f"Imported {file}: {counts}.")
