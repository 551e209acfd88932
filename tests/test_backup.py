"""bin/backup and bin/restore against the local PostgreSQL, on databases of their own."""

import shutil

import psycopg
import pytest

from tests.processes import ROOT, environment, manage, postgres_database, run

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (shutil.which("pg_dump") and shutil.which("pg_restore")),
        reason="pg_dump and pg_restore are not installed (apt-get install postgresql-client)",
    ),
]

MAKE_A_LEARNER = """
from django.utils import timezone
from accounts.models import User
from assessments.models import Audit, Rating
from curriculum.models import Skill
ada = User.objects.create_user("ada", password="unused-password-1")
audit = Audit.objects.create(user=ada, kind="full", saved_at=timezone.now())
Rating.objects.bulk_create(Rating(audit=audit, skill=s, value=3) for s in Skill.objects.all()[:5])
"""


def counts(database_url):
    with psycopg.connect(database_url) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("curriculum_skill", "accounts_user", "assessments_rating")
        }


def test_a_backup_restores_into_an_empty_database_and_over_a_damaged_one(tmp_path):
    backup = tmp_path / "skilltree.dump"
    with postgres_database("backup") as source, postgres_database("restore") as target:
        env = environment(DATABASE_URL=source)
        manage("migrate", "--no-input", "--verbosity", "0", env=env)
        manage("shell", "-c", MAKE_A_LEARNER, env=env)
        before = counts(source)

        result = run([str(ROOT / "bin" / "backup"), str(backup)], env=env)
        assert f"backed up to {backup}" in result.stdout
        assert backup.stat().st_size > 0

        run([str(ROOT / "bin" / "restore"), str(backup)], env=environment(DATABASE_URL=target))
        assert (
            counts(target)
            == before
            == {
                "curriculum_skill": 37,
                "accounts_user": 1,
                "assessments_rating": 5,
            }
        )

        with psycopg.connect(source) as connection:
            connection.execute("DELETE FROM assessments_rating")
        assert counts(source)["assessments_rating"] == 0
        run([str(ROOT / "bin" / "restore"), str(backup)], env=env)
        assert counts(source) == before

        check = manage("migrate", "--check", env=environment(DATABASE_URL=target), check=False)
        assert check.returncode == 0, "the restored database needs no migration"


def test_restore_refuses_a_missing_file_and_changes_nothing(tmp_path):
    with postgres_database("restore") as target:
        result = run(
            [str(ROOT / "bin" / "restore"), str(tmp_path / "nope.dump")],
            env=environment(DATABASE_URL=target),
            check=False,
        )

    assert result.returncode == 2
    assert "cannot read the backup" in result.stderr


def test_backup_needs_to_be_told_which_database():
    result = run([str(ROOT / "bin" / "backup")], env=environment(), check=False)

    assert result.returncode != 0
    assert "set DATABASE_URL" in result.stderr
