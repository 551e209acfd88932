"""The curriculum a fresh install holds, compared with the seed documents word for word."""

import ast
import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from curriculum import seed
from curriculum.framework import (
    PARTS,
    dumps,
    export_framework,
    import_framework,
    import_missing,
)
from curriculum.models import (
    BaselineQuestion,
    Bucket,
    FailureMode,
    LadderLevel,
    LadderSignal,
    Passage,
    PathPhase,
    RecheckPolicy,
    RequirementLevel,
    Resource,
    SeedLoad,
    Skill,
    Source,
    Track,
    TrackRequirement,
    Trunk,
)

PROJECT = Path(__file__).resolve().parents[1]
MIGRATIONS = PROJECT / "curriculum" / "migrations"
SHARED_SEEDS = PROJECT.parent / "shared" / "seeds"
SEED_COPIES = {
    "000_7dc2f753502fecd6.txt": seed.TREE_FILE,
    "001_88d4a0b11f151f10.txt": seed.SKILLS_MAP_FILE,
    "002_8ea7b581d0c84935.txt": seed.LADDER_FILE,
}

pytestmark = pytest.mark.django_db


def _load_again(document=None):
    return import_missing(seed.seed_framework() if document is None else document)


def _seed_rows():
    """How many rows the seed documents make: every object of the framework they become."""
    document = seed.seed_framework()
    return sum(
        1 + sum(len(item.get(child.name, [])) for child in part.children)
        for part in PARTS
        for item in document[part.name]
    )


def _counts():
    models = [
        Trunk,
        Skill,
        Resource,
        Source,
        Bucket,
        Track,
        TrackRequirement,
        RequirementLevel,
        BaselineQuestion,
        LadderLevel,
        LadderSignal,
        PathPhase,
        FailureMode,
        Passage,
        RecheckPolicy,
    ]
    return {model.__name__: model.objects.count() for model in models}


def test_migrate_alone_yields_the_whole_curriculum():
    counts = _counts()
    assert counts["Trunk"] == 6
    assert counts["Skill"] == 37
    assert counts["Track"] == 7
    assert counts["TrackRequirement"] == 28
    assert counts["Bucket"] == 4
    assert counts["Source"] == 25
    assert counts["LadderLevel"] == 4
    assert counts["LadderSignal"] == 12
    assert counts["PathPhase"] == 6
    assert counts["FailureMode"] == 3
    assert counts["BaselineQuestion"] == 5
    assert counts["RequirementLevel"] == 5


def test_migrate_on_an_empty_database_loads_the_whole_curriculum(tmp_path):
    """`migrate` alone, in a fresh process on a fresh file (the test database is topped up by
    tests/conftest.py, so it cannot show what the migration itself loads)."""
    database = tmp_path / "fresh.sqlite3"
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=PROJECT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}"},
        check=True,
        timeout=300,
    )
    tables = {
        "curriculum_trunk": 6,
        "curriculum_skill": 37,
        "curriculum_track": 7,
        "curriculum_trackrequirement": 28,
        "curriculum_bucket": 4,
        "curriculum_source": 25,
        "curriculum_ladderlevel": 4,
        "curriculum_laddersignal": 12,
        "curriculum_pathphase": 6,
        "curriculum_failuremode": 3,
        "curriculum_baselinequestion": 5,
    }
    with sqlite3.connect(database) as connection:
        counts = {
            table: connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in tables
        }
    assert counts == tables


def test_the_data_migration_imports_no_app_code():
    tree = ast.parse((MIGRATIONS / "0002_load_seed_curriculum.py").read_text(encoding="utf-8"))
    imported = {
        alias.name if isinstance(node, ast.Import) else node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported == {"json", "pathlib", "django.db"}


def test_the_frozen_snapshot_is_what_the_seed_files_say_today():
    """Fails when a seed file or an editorial default changes: freeze a new snapshot with
    `manage.py snapshot_curriculum` and load it in a new migration; never edit seed_0001.json.
    The migrated curriculum and the seed documents' framework export the same bytes."""
    migrated = dumps(export_framework())
    import_framework(seed.seed_framework(), replace=True)
    assert dumps(export_framework()) == migrated


def test_every_seed_row_has_its_key_and_was_recorded_as_loaded():
    counts = _counts()
    assert sum(counts.values()) == _seed_rows() == SeedLoad.objects.count()
    for name in counts:
        assert not apps.get_model("curriculum", name).objects.filter(seed_key=None).exists()
    assert Skill.objects.get(seed_key="linear-algebra").name == "Linear algebra"
    assert Passage.objects.get(seed_key="baseline-point").key == "baseline-point"


def test_loading_twice_creates_no_duplicates(django_assert_num_queries):
    """One query for the seed rows made before, one per curriculum model, and the transaction
    (a savepoint and its release inside the test's own)."""
    before = _counts()
    with django_assert_num_queries(18):
        report = _load_again()
    assert report.created == ()
    assert _counts() == before


def test_loading_again_keeps_a_curators_edits():
    skill = Skill.objects.get(slug="linear-algebra")
    skill.mastery = "Edited by a curator."
    skill.save()
    _load_again()
    skill.refresh_from_db()
    assert skill.mastery == "Edited by a curator."


def _rename_skill():
    skill = Skill.objects.get(seed_key="linear-algebra")
    skill.name, skill.slug = "Vectors and matrices", "vectors-and-matrices"
    skill.save()
    return skill, "name", "Vectors and matrices"


def _rename_track():
    track = Track.objects.get(seed_key="policy-and-governance")
    track.name, track.slug = "AI Policy", "ai-policy"
    track.save()
    return track, "name", "AI Policy"


def _reword_question():
    question = BaselineQuestion.objects.get(seed_key="reading-papers")
    question.text = "Can you read an ML paper and say what it claims?"
    question.save()
    return question, "text", "Can you read an ML paper and say what it claims?"


def _reword_signal():
    signal = LadderSignal.objects.get(seed_key="level-2-1")
    signal.text = "You can turn a task into a pipeline"
    signal.save()
    return signal, "text", "You can turn a task into a pipeline"


def _move_resource():
    resource = Resource.objects.get(seed_key="linear-algebra-1")
    resource.url = "https://www.3blue1brown.com/topics/linear-algebra"
    resource.save()
    return resource, "url", "https://www.3blue1brown.com/topics/linear-algebra"


def _rekey_passage():
    passage = Passage.objects.get(seed_key="big-idea")
    passage.key = "the-big-idea"
    passage.save()
    return passage, "key", "the-big-idea"


@pytest.mark.parametrize(
    "edit",
    [
        _rename_skill,
        _rename_track,
        _reword_question,
        _reword_signal,
        _move_resource,
        _rekey_passage,
    ],
    ids=lambda edit: edit.__name__.strip("_"),
)
def test_loading_after_a_rename_adds_no_duplicate_and_keeps_the_rename(edit):
    row, field, value = edit()
    before = _counts()
    report = _load_again()
    assert report.created == ()
    assert report.conflicts == ()
    assert _counts() == before
    row.refresh_from_db()
    assert getattr(row, field) == value


@pytest.mark.parametrize(
    "model, seed_key",
    [
        (Skill, "causal-thinking"),
        (Track, "interpretability"),
        (BaselineQuestion, "reading-papers"),
        (LadderSignal, "level-2-1"),
        (Resource, "linear-algebra-1"),
        (Passage, "ladder-caveat"),
        (FailureMode, "hype-substitution"),
    ],
    ids=lambda value: value if isinstance(value, str) else value.__name__,
)
def test_a_row_a_curator_deleted_stays_deleted(model, seed_key):
    model.objects.get(seed_key=seed_key).delete()
    before = _counts()
    report = _load_again()
    assert report.created == ()
    assert _counts() == before
    assert not model.objects.filter(seed_key=seed_key).exists()


def test_a_deleted_skills_resources_stay_deleted_with_it():
    Skill.objects.get(seed_key="calculus-and-gradients").delete()
    _load_again()
    assert not Resource.objects.filter(seed_key__startswith="calculus-and-gradients-").exists()


def _with_new_skills(*names, trunk="foundations"):
    """The seed curriculum with new skills, as a later seed might bring."""
    document = seed.seed_framework()
    for name in names:
        document["skills"].append(
            {
                "seed_key": seed.slugify(name),
                "trunk": trunk,
                "bucket": "technical",
                "name": name,
                "slug": seed.slugify(name),
                "order": 9,
                "mastery": "A new seed skill.",
                "test": "A new seed test.",
            }
        )
    return document


def test_a_row_new_to_the_seed_is_added_to_a_curated_database():
    Skill.objects.filter(seed_key="linear-algebra").update(name="Vectors and matrices")
    report = _load_again(_with_new_skills("Information theory"))
    assert report.created == (("Skill", "information-theory"),)
    assert Skill.objects.get(seed_key="information-theory").trunk.seed_key == "foundations"
    assert Skill.objects.get(seed_key="linear-algebra").name == "Vectors and matrices"


def test_a_new_seed_row_that_collides_with_a_curators_row_is_skipped_and_reported():
    curators = Skill.objects.create(
        name="Information theory",
        slug="information-theory",
        trunk=Trunk.objects.get(seed_key="foundations"),
        bucket=Bucket.objects.get(seed_key="technical"),
        mastery="The curator's words.",
        test="The curator's test.",
    )
    report = _load_again(_with_new_skills("Information theory", "Game theory"))
    assert report.conflicts == (("Skill", "information-theory"),)
    assert report.created == (("Skill", "game-theory"),)
    curators.refresh_from_db()
    assert (curators.seed_key, curators.mastery) == (None, "The curator's words.")
    assert Skill.objects.filter(name="Information theory").count() == 1


def test_a_new_seed_row_under_a_deleted_parent_is_not_added():
    trunk = Trunk.objects.get(seed_key="ai-product-and-strategy")
    Track.objects.filter(depth_trunk=trunk).delete()
    Skill.objects.filter(trunk=trunk).delete()
    trunk.delete()
    report = _load_again(_with_new_skills("Moats", trunk="ai-product-and-strategy"))
    assert report.created == ()
    assert not Trunk.objects.filter(seed_key="ai-product-and-strategy").exists()
    assert not Skill.objects.filter(name="Moats").exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_flushed_database_gets_the_whole_curriculum_back():
    """What tests/conftest.py relies on after a live-server test empties every table."""
    call_command("flush", interactive=False, verbosity=0)
    assert not Trunk.objects.exists() and not SeedLoad.objects.exists()
    report = _load_again()
    assert len(report.created) == _seed_rows() == sum(_counts().values())
    assert _counts()["Skill"] == 37


def test_load_curriculum_command_reports_what_it_created():
    SeedLoad.objects.filter(seed_key="ladder-caveat").delete()
    Passage.objects.filter(seed_key="ladder-caveat").delete()
    out = StringIO()
    call_command("load_curriculum", stdout=out)
    assert out.getvalue() == "Curriculum loaded; seed rows created: 1.\n"
    assert Passage.objects.filter(seed_key="ladder-caveat").exists()


@pytest.mark.skipif(
    not SHARED_SEEDS.exists(), reason="the shared seed folder is not beside the repo"
)
@pytest.mark.parametrize("shared_name", sorted(SEED_COPIES))
def test_repo_seed_copies_match_the_authors_documents(shared_name):
    assert SEED_COPIES[shared_name].read_bytes() == (SHARED_SEEDS / shared_name).read_bytes()


def test_trunks_and_summaries_word_for_word():
    text = seed.TREE_FILE.read_text(encoding="utf-8")
    names = list(Trunk.objects.values_list("name", flat=True))
    assert names == [
        "Foundations",
        "ML fundamentals",
        "Deep learning",
        "Practical AI engineering",
        "AI product and strategy",
        "AI safety and interpretability",
    ]
    for trunk in Trunk.objects.all():
        assert f"{trunk.heading}\n{trunk.summary}\n" in text


def test_every_skill_text_is_in_the_seed_word_for_word():
    text = seed.TREE_FILE.read_text(encoding="utf-8")
    for skill in Skill.objects.all():
        assert f"{skill.name}\nFree: {skill.free_resource}\n" in text
        line = f"Mastery: {skill.mastery} Resource: {skill.resource_text} Test: {skill.test}\n"
        assert line in text, skill.name


def test_a_sample_skill_reads_exactly_as_written():
    skill = Skill.objects.get(name="Probability and statistics")
    assert skill.trunk.name == "Foundations"
    assert skill.free_resource == "Seeing Theory (Brown University)"
    assert skill.test == (
        "given a test with one-percent base rate, compute the probability that a positive "
        "result is a true positive."
    )


def test_cheat_sheet_cells_as_written():
    policy = Track.objects.get(name="Policy and Governance")
    cells = {r.bucket.short_name: r.label for r in policy.requirements.select_related("bucket")}
    assert cells == {
        "Technical": "Low–Med (literacy)",
        "Research": "High (analysis)",
        "Communication": "Very high",
        "Domain": "Law / econ / IR / policy",
    }
    scientist = Track.objects.get(name="Research Scientist")
    assert scientist.requirements.get(bucket__short_name="Domain").label == "Math, heavy"


def test_requirement_levels_carry_their_targets():
    targets = dict(RequirementLevel.objects.values_list("name", "target"))
    assert {name: float(target) for name, target in targets.items()} == {
        "Low": 2.0,
        "Low–Med": 2.5,
        "Medium": 3.0,
        "High": 4.0,
        "Very high": 5.0,
    }
    policy_technical = TrackRequirement.objects.get(
        track__name="Policy and Governance", bucket__short_name="Technical"
    )
    assert policy_technical.level.name == "Low–Med"


def test_each_track_goes_deep_in_one_trunk_with_literacy_in_two():
    for track in Track.objects.all():
        literacy = set(track.literacy_trunks.all())
        assert len(literacy) == 2
        assert track.depth_trunk not in literacy
    assert Track.objects.get(name="Research Scientist").depth_trunk.name == "Deep learning"
    applied = Track.objects.get(name="Applied and Product ML")
    assert applied.depth_trunk.name == "Practical AI engineering"


def test_skills_count_toward_the_design_cards_buckets():
    bucket_of = dict(Skill.objects.values_list("name", "bucket__short_name"))
    assert bucket_of["Linear algebra"] == "Domain"
    assert bucket_of["Positioning"] == "Communication"
    assert bucket_of["Causal thinking"] == "Research"
    assert bucket_of["Agents and tool use"] == "Technical"
    assert sorted(Bucket.objects.values_list("short_name", flat=True)) == [
        "Communication",
        "Domain",
        "Research",
        "Technical",
    ]
    assert Skill.objects.filter(bucket__short_name="Technical").count() == 17


def test_baseline_questions_as_written():
    assert list(BaselineQuestion.objects.values_list("text", flat=True)) == [
        "Can you write clean Python and use PyTorch?",
        "Can you implement a transformer from scratch and explain it?",
        "Are you comfortable reading an ML paper?",
        "Can you write a clear, structured, persuasive page of prose?",
        "Linear algebra / probability — fine, rusty, or scary?",
    ]


def test_ladder_levels_and_signals():
    levels = list(LadderLevel.objects.values_list("name", flat=True))
    assert levels == [
        "Prompt Craft",
        "Automation & Orchestration",
        "Building AI Products",
        "Training & Customizing Models",
    ]
    level_two = LadderLevel.objects.get(number=2)
    assert level_two.what_it_is == (
        "Making AI work in repeatable systems instead of one-off conversations."
    )
    assert [s.text for s in level_two.signals.all()] == [
        "You can turn a task into a pipeline that runs repeatedly",
        "You understand how to orchestrate steps (and handle what breaks)",
        "You can measure reliability: speed, accuracy, and cost over time",
    ]


def test_path_phases_and_failure_modes():
    phases = list(PathPhase.objects.values_list("weeks_label", "start_week", "end_week", "name"))
    assert phases[0] == ("Weeks 1-3", 1, 3, "Foundations sprint")
    assert phases[-1] == ("Weeks 17-20", 17, 20, "Ship and publish")
    assert PathPhase.objects.get(order=4).end_state == (
        "you have shipped a working AI feature that someone besides you can use."
    )
    modes = list(FailureMode.objects.values_list("name", flat=True))
    assert modes == ["tutorial loop", "trunk sprawl", "hype substitution"]
    assert FailureMode.objects.get(name="trunk sprawl").text == (
        "Trying to learn all six trunks in parallel and ending up shallow at all of them. "
        "Pick one, then borrow from two."
    )


def test_sources_and_resources_are_https_links():
    first = Source.objects.get(number=1)
    assert first.url == "https://arxiv.org/abs/1706.03762"
    assert first.title.startswith("Vaswani et al., Attention Is All You Need")
    assert not Source.objects.exclude(url__startswith="https://").exists()
    assert not Resource.objects.exclude(url__startswith="https://").exists()
    assert not Skill.objects.filter(resources__isnull=True).exists()
