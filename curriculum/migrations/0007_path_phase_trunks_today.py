"""Today's mapping of the path's phases to the trunks they teach, an editorial default curators
change on each phase in the admin: phases one to four teach trunks one to four, phases five and
six go deep in the trunk the learner's target track is deep in. Frozen here (it imports no app
code); a phase a curator already mapped is left as it is."""

from django.db import migrations

PHASE_TRUNKS = {1: (1,), 2: (2,), 3: (3,), 4: (4,)}
PHASES_IN_DEPTH_TRUNK = (5, 6)


def set_phase_trunks(apps, schema_editor):
    PathPhase = apps.get_model("curriculum", "PathPhase")
    Trunk = apps.get_model("curriculum", "Trunk")
    trunks = {trunk.number: trunk for trunk in Trunk.objects.all()}
    for phase in PathPhase.objects.filter(seed_key__isnull=False):
        if phase.in_depth_trunk or phase.trunks.exists():
            continue
        if phase.order in PHASES_IN_DEPTH_TRUNK:
            phase.in_depth_trunk = True
            phase.save(update_fields=["in_depth_trunk"])
        else:
            numbers = PHASE_TRUNKS.get(phase.order, ())
            phase.trunks.set([trunks[number] for number in numbers if number in trunks])


class Migration(migrations.Migration):
    dependencies = [("curriculum", "0006_path_phase_trunks")]

    operations = [migrations.RunPython(set_phase_trunks, migrations.RunPython.noop)]
