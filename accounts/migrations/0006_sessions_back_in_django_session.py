from django.db import migrations

RETIRED_BACKEND = "cohorts.roles.LeadAwareBackend"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def keep_people_signed_in(apps, schema_editor):
    """Move the sessions kept in accounts_session back to Django's own table, so no one is
    signed out by the upgrade. A session signed in through the retired LeadAwareBackend (a
    ModelBackend reading more per request) names Django's ModelBackend instead: Django signs out a
    session whose backend is no longer configured. Expired sessions are not moved."""
    from django.contrib.auth import BACKEND_SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    Old = apps.get_model("accounts", "Session")
    New = apps.get_model("sessions", "Session")
    store = SessionStore()
    moved = []
    for old in Old.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = old.session_data
        decoded = store.decode(data)
        if decoded.get(BACKEND_SESSION_KEY) == RETIRED_BACKEND:
            decoded[BACKEND_SESSION_KEY] = MODEL_BACKEND
            data = store.encode(decoded)
        moved.append(
            New(session_key=old.session_key, session_data=data, expire_date=old.expire_date)
        )
        if len(moved) == 1000:
            New.objects.bulk_create(moved, ignore_conflicts=True)
            moved = []
    New.objects.bulk_create(moved, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_session_with_its_user"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(keep_people_signed_in, migrations.RunPython.noop),
        migrations.DeleteModel(name="Session"),
    ]
