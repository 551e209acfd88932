"""The seed curriculum as it stood when this migration was written, frozen in seed_0001.json.

It imports no app code and reads no seed file, so a fresh `migrate` loads the same rows in
five years whatever happens to curriculum/seed.py. A later change to the seed documents gets
its own snapshot (`manage.py snapshot_curriculum`) and its own migration; this one and its
JSON are never edited.
"""

import json
from pathlib import Path

from django.db import migrations

SNAPSHOT = Path(__file__).resolve().with_name("seed_0001.json")


def load(apps, schema_editor):
    """Create every row of the snapshot on the fresh tables of 0001, and record each in
    SeedLoad so that `load_curriculum` never makes it a second time."""
    database = schema_editor.connection.alias
    SeedLoad = apps.get_model("curriculum", "SeedLoad")
    rows = {}
    for record in json.loads(SNAPSHOT.read_text(encoding="utf-8")):
        model, key = record["model"], record["key"]
        parents = {
            name: rows[target, target_key] for name, (target, target_key) in record["refs"].items()
        }
        row = (
            apps.get_model("curriculum", model)
            .objects.using(database)
            .create(seed_key=key, **record["fields"], **parents)
        )
        for name, (target, keys) in record["many"].items():
            getattr(row, name).set([rows[target, target_key] for target_key in keys])
        rows[model, key] = row
    SeedLoad.objects.using(database).bulk_create(
        SeedLoad(model=model, seed_key=key) for model, key in rows
    )


class Migration(migrations.Migration):
    dependencies = [
        ("curriculum", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
