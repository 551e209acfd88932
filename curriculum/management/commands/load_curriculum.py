from django.apps import apps
from django.core.management.base import BaseCommand

from curriculum.seed import load_curriculum


class Command(BaseCommand):
    help = "Create any seed curriculum rows that are missing. Never overwrites curated edits."

    def handle(self, *args, **options):
        load_curriculum(lambda name: apps.get_model("curriculum", name))
        Skill = apps.get_model("curriculum", "Skill")
        self.stdout.write(f"Curriculum loaded: {Skill.objects.count()} skills.")
