"""The curriculum as a file: export, import into an empty curriculum, the same file again."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.urls import reverse

from curriculum import framework
from curriculum.framework import FrameworkError, dumps, export_framework, import_framework, parse
from curriculum.models import RequirementLevel, Resource, SeedLoad, Skill, Track, Trunk
from tests.factories import AuditFactory, give_authenticator_app

pytestmark = pytest.mark.django_db


def _export_text():
    return dumps(export_framework())


def _line_of(text, marker, occurrence=0):
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(marker, index + 1)
    return text.count("\n", 0, index) + 1


def test_every_curriculum_model_is_in_the_format():
    """Every content model travels in the file; SeedLoad is the loader's own bookkeeping."""
    models = set(apps.get_app_config("curriculum").get_models()) - {SeedLoad}
    assert {part.model for part in framework.every_part()} == models


def test_export_import_export_gives_the_same_bytes():
    level = RequirementLevel.objects.get(name="High")
    level.target = Decimal("3.5")
    level.save()
    skill = Skill.objects.get(slug="linear-algebra")
    skill.mastery = "Two lines —\nand “quotes”, 日本語."
    skill.save()
    Resource.objects.filter(skill=skill).update(link_status="dead", link_status_code=404)
    first = _export_text()

    framework.delete_curriculum()
    assert framework.curriculum_is_empty()
    created = import_framework(parse(first))

    assert _export_text() == first
    assert created["skills"] == Skill.objects.count() == len(json.loads(first)["skills"])
    skill = Skill.objects.get(slug="linear-algebra")
    assert skill.mastery == "Two lines —\nand “quotes”, 日本語."
    assert skill.resources.count() == 1
    assert skill.resources.get().link_status == ""
    assert RequirementLevel.objects.get(name="High").target == Decimal("3.5")
    track = Track.objects.get(slug="research-scientist")
    assert sorted(t.slug for t in track.literacy_trunks.all()) == ["foundations", "ml-fundamentals"]
    assert track.requirements.count() == 4


def test_the_document_names_objects_by_keys_and_carries_every_field():
    document = export_framework()
    assert (document["format"], document["version"]) == ("skilltree-framework", 1)
    skill = next(s for s in document["skills"] if s["slug"] == "calculus-and-gradients")
    assert skill["trunk"] == "foundations"
    editable = {f.name for f in Skill._meta.concrete_fields if not f.primary_key}
    assert set(skill) == editable | {"resources"}
    resource = skill["resources"][1]
    assert resource["url"] == "https://youtube.com/@AndrejKarpathy"
    assert "skill" not in resource and "link_status" not in resource and "id" not in resource


def test_export_takes_the_same_queries_however_big_the_curriculum(django_assert_num_queries):
    # one more since path phases carry their trunks, one for the re-check policy
    with django_assert_num_queries(20):
        export_framework()
    trunk, bucket = Trunk.objects.first(), Skill.objects.first().bucket
    for i in range(20):
        skill = Skill.objects.create(
            trunk=trunk, bucket=bucket, name=f"Extra {i}", slug=f"extra-{i}", mastery="m", test="t"
        )
        Resource.objects.create(skill=skill, title="r", url=f"https://example.org/{i}")
    with django_assert_num_queries(20):
        export_framework()


def test_the_export_command_writes_to_stdout_or_a_file(tmp_path):
    out = io.StringIO()
    call_command("export_framework", stdout=out)
    assert out.getvalue() == _export_text()
    call_command("export_framework", output=str(tmp_path / "f.json"), stderr=io.StringIO())
    assert (tmp_path / "f.json").read_text(encoding="utf-8") == _export_text()


def test_the_import_command_loads_a_file_into_an_empty_curriculum(tmp_path):
    path = tmp_path / "framework.json"
    path.write_text(_export_text(), encoding="utf-8")
    framework.delete_curriculum()
    out = io.StringIO()
    call_command("import_framework", str(path), stdout=out)
    assert "37 skills" in out.getvalue()
    assert _export_text() == path.read_text(encoding="utf-8")


def test_import_refuses_a_curriculum_that_is_not_empty(tmp_path):
    path = tmp_path / "framework.json"
    text = _export_text()
    path.write_text(text.replace("Foundations", "Basics"), encoding="utf-8")
    with pytest.raises(CommandError, match="the curriculum is not empty"):
        call_command("import_framework", str(path))
    assert Trunk.objects.filter(name="Foundations").exists()


def test_replace_swaps_a_curriculum_nobody_has_used(tmp_path):
    path = tmp_path / "framework.json"
    path.write_text(_export_text().replace('"Foundations"', '"Basics"'), encoding="utf-8")
    call_command("import_framework", str(path), replace=True, stdout=io.StringIO())
    assert Trunk.objects.filter(name="Basics").exists()
    assert not Trunk.objects.filter(name="Foundations").exists()


def test_replace_is_refused_once_learners_have_used_the_curriculum(tmp_path, learner):
    AuditFactory(user=learner, ratings={"linear-algebra": 3})
    path = tmp_path / "framework.json"
    path.write_text(_export_text().replace('"Foundations"', '"Basics"'), encoding="utf-8")
    with pytest.raises(CommandError, match=r"learners have used this curriculum \(1 assessments"):
        call_command("import_framework", str(path), replace=True)
    assert Trunk.objects.filter(name="Foundations").exists()
    assert Skill.objects.filter(slug="linear-algebra").exists()


def _break(text, old, new):
    assert old in text
    return text.replace(old, new, 1)


BAD_FILES = [
    # (name, how to break the file, where the error is: the line of a marker or a path, message)
    (
        "syntax error",
        lambda t: _break(t, '"slug": "ml-fundamentals",', '"slug": "ml-fundamentals"'),
        "line of:" + '"heading": "Trunk two',
        "not valid JSON: Expecting ',' delimiter",
    ),
    (
        "misspelt field",
        lambda t: _break(t, '"mastery": ', '"not_mastery": '),
        "skills[0].not_mastery",
        "unknown field",
    ),
    (
        "wrong type",
        lambda t: _break(t, '"number": 2,', '"number": "two",'),
        "trunks[1].number",
        "expected a whole number, got text",
    ),
    (
        "true as a whole number",
        lambda t: _break(t, '"number": 2,', '"number": true,'),
        "trunks[1].number",
        "expected a whole number, got true/false",
    ),
    (
        "unknown reference",
        lambda t: _break(t, '"depth_trunk": "deep-learning"', '"depth_trunk": "deep-learnin"'),
        "tracks[0].depth_trunk",
        'no trunk with slug "deep-learnin"',
    ),
    (
        "duplicate key",
        lambda t: _break(t, '"slug": "ml-fundamentals"', '"slug": "foundations"'),
        "trunks[1].slug",
        "duplicate: trunks[0] has the same slug",
    ),
    (
        "member named twice",
        lambda t: _break(t, '"number": 1,', '"number": 1, "number": 7,'),
        "trunks[0].number",
        "“number” appears twice in one object",
    ),
    (
        "invalid value",
        lambda t: _break(t, '"kind": "video"', '"kind": "podcast"'),
        "skills[0].resources[0].kind",
        "Value 'podcast' is not a valid choice.",
    ),
]


@pytest.mark.parametrize(
    ("breaking", "where", "message"),
    [case[1:] for case in BAD_FILES],
    ids=[case[0] for case in BAD_FILES],
)
def test_a_bad_file_names_line_or_field_and_changes_nothing(tmp_path, breaking, where, message):
    text = breaking(_export_text())
    if where.startswith("line of:"):
        where = f"line {_line_of(text, where.removeprefix('line of:'))}"
    else:
        where = f"at {where}"
    file = tmp_path / "framework.json"
    file.write_text(text, encoding="utf-8")
    before = _export_text()

    with pytest.raises(CommandError) as raised:
        call_command("import_framework", str(file), replace=True)

    assert f"{file}: {where}: {message}" in str(raised.value)
    assert str(raised.value).endswith("Nothing was changed.")
    assert _export_text() == before


def test_a_missing_required_field_names_the_object():
    text = _export_text()
    text = _break(text, '      "test": ', '      "_": ')
    document = json.loads(text)
    document["skills"][0].pop("_")
    text = dumps(document)
    framework.delete_curriculum()
    with pytest.raises(FrameworkError) as raised:
        import_framework(parse(text))
    error = raised.value
    assert (error.path, error.message) == ("skills[0].test", "missing (required)")
    assert str(error) == "at skills[0].test: missing (required)"
    assert framework.curriculum_is_empty()


@pytest.mark.parametrize(
    ("header", "path", "message"),
    [
        ('{"format": "something-else", "version": 1}', "format", "expected “skilltree-framework”"),
        ('{"format": "skilltree-framework", "version": 2}', "version", "reads versions 1 to 1"),
        ('{"format": "skilltree-framework", "version": 1, "skils": []}', "skils", "unknown list"),
        ("[]", "", "expected an object, got a list"),
    ],
)
def test_the_header_is_checked(header, path, message):
    with pytest.raises(FrameworkError) as raised:
        import_framework(parse(header), replace=True)
    assert raised.value.path == path
    assert message in raised.value.message
    assert Trunk.objects.exists()


def test_a_member_named_twice_deep_in_the_file_is_named_by_its_path():
    text = '{"a": [1, {"b": {"c": 1, "c": 2}}], "d": {"e": 1, "e": 1}}'
    with pytest.raises(FrameworkError) as raised:
        parse(text)
    assert raised.value.path == "a[1].b.c"
    assert str(raised.value) == "at a[1].b.c: “c” appears twice in one object"


def test_a_syntax_error_names_its_line_and_column():
    with pytest.raises(FrameworkError) as raised:
        parse('{\n  "format": "skilltree-framework",\n  "version": 1,,\n}\n')
    assert raised.value.line == 3
    assert str(raised.value).startswith("line 3: not valid JSON: Expecting property name")


def test_the_export_carries_seed_keys_and_a_file_without_them_imports():
    document = export_framework()
    skill = next(s for s in document["skills"] if s["slug"] == "linear-algebra")
    assert skill["seed_key"] == "linear-algebra"
    assert skill["resources"][0]["seed_key"] == "linear-algebra-1"

    for part in framework.every_part():
        for item in document.get(part.name, []):
            item.pop("seed_key")
            for child in part.children:
                for nested in item[child.name]:
                    nested.pop("seed_key")
    import_framework(parse(dumps(document)), replace=True)
    assert Skill.objects.count() == 37
    assert not Skill.objects.exclude(seed_key=None).exists()


def test_after_replacing_the_curriculum_load_curriculum_adds_nothing_back(tmp_path):
    """The built-in rows were loaded once (the migration recorded them), so adding only what is
    missing leaves a replacement alone, whether its file carries seed keys or not."""
    path = tmp_path / "framework.json"
    path.write_text(_export_text().replace('"Foundations"', '"Basics"'), encoding="utf-8")
    call_command("import_framework", str(path), replace=True, stdout=io.StringIO())
    Skill.objects.get(seed_key="linear-algebra").delete()
    out = io.StringIO()
    call_command("load_curriculum", stdout=out)
    assert out.getvalue() == "Curriculum loaded; seed rows created: 0.\n"
    assert not Skill.objects.filter(seed_key="linear-algebra").exists()
    assert Trunk.objects.get(seed_key="foundations").name == "Basics"


def test_an_imported_seed_row_counts_as_loaded_even_in_a_database_that_never_loaded_it():
    text = _export_text()
    framework.delete_curriculum()
    SeedLoad.objects.all().delete()
    import_framework(parse(text))
    assert SeedLoad.objects.filter(model="Skill", seed_key="linear-algebra").exists()
    Skill.objects.get(seed_key="linear-algebra").delete()
    assert framework.import_missing(parse(text)).created == ()


def test_adding_only_what_is_missing_needs_seed_keys():
    document = export_framework()
    document["trunks"][0].pop("seed_key")
    with pytest.raises(FrameworkError) as raised:
        framework.import_missing(document)
    assert raised.value.path == "trunks[0].seed_key"


def test_staff_download_the_framework_from_the_admin(client, staff_user):
    client.force_login(staff_user)
    index = client.get(reverse("admin:app_list", args=["curriculum"])).content.decode()
    assert "Download framework (JSON)" in index
    assert reverse("curriculum-framework") in index

    response = client.get(reverse("curriculum-framework"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="skilltree-framework-')
    assert response.content.decode() == _export_text()


def test_staff_without_view_permission_on_the_curriculum_are_refused(client, django_user_model):
    staff = django_user_model.objects.create_user(
        "helper", password="x-helps-out-42", is_staff=True
    )
    give_authenticator_app(staff)
    client.force_login(staff)
    assert client.get(reverse("curriculum-framework")).status_code == 403


def test_learners_are_sent_to_log_in(client, learner):
    client.force_login(learner)
    response = client.get(reverse("curriculum-framework"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_the_example_in_the_format_document_imports():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "framework-format.md").read_text()
    example = doc.split("## Example", 1)[1].split("```json\n", 1)[1].split("```", 1)[0]
    created = import_framework(parse(example), replace=True)
    assert created == {
        "trunks": 1,
        "buckets": 1,
        "requirement_levels": 1,
        "skills": 1,
        "resources": 1,
        "tracks": 1,
        "requirements": 1,
    }
    assert Skill.objects.get().resources.get().kind == "docs"
    assert Track.objects.get().requirements.get().level.target == Decimal("4.0")


def test_the_download_takes_the_same_queries_at_two_sizes(client, staff_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff_user)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("curriculum-framework")).status_code == 200
        return len(queries)

    before = count()
    skill = Skill.objects.get(slug="linear-algebra")
    Resource.objects.bulk_create(
        Resource(skill=skill, title=f"r{i}", url=f"https://x.org/{i}") for i in range(30)
    )
    assert count() == before
