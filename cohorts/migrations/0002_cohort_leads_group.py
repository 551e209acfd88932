"""The "Cohort leads" group: staff make someone a lead by adding them to it in the admin.

Frozen: it names the group and permission itself and imports no app code."""

from django.db import migrations

GROUP_NAME = "Cohort leads"


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # Permissions are normally made after migrations; make this one now so the group can hold it.
    content_type, _ = ContentType.objects.get_or_create(app_label="cohorts", model="cohort")
    permission, _ = Permission.objects.get_or_create(
        codename="lead_cohorts",
        content_type=content_type,
        defaults={"name": "Can create and lead cohorts"},
    )
    group, _ = Group.objects.get_or_create(name=GROUP_NAME)
    group.permissions.add(permission)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP_NAME).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cohorts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
