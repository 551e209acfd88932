"""Every account's email becomes a django-allauth EmailAddress: its primary one, not verified
(nobody has proved they own it yet). No mail goes to it until its owner follows the link the
dashboard offers to send. Reads and writes rows only, through the historical models."""

from django.db import migrations


def addresses_for_existing_emails(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    has_one = set(EmailAddress.objects.values_list("user_id", flat=True))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user_id=pk, email=email.lower(), verified=False, primary=True)
            for pk, email in User.objects.exclude(email="").values_list("pk", "email")
            if pk not in has_one
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_allauth_addresses"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [
        migrations.RunPython(addresses_for_existing_emails, migrations.RunPython.noop),
    ]
