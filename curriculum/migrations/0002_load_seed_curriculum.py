from django.db import migrations


def load(apps, schema_editor):
    from curriculum.seed import load_curriculum

    load_curriculum(lambda name: apps.get_model("curriculum", name))


class Migration(migrations.Migration):
    dependencies = [
        ("curriculum", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
