"""The framework import refuses each wrong type with the type it expected and the one it got,
and accepts the value next to it; a refused file changes nothing."""

import pytest

from curriculum.framework import (
    FrameworkError,
    dumps,
    export_framework,
    import_framework,
    import_missing,
    parse,
)
from curriculum.models import RequirementLevel, Resource, Skill, Track, Trunk
from tests.factories import (
    ResourceFactory,
    TrackFactory,
    TrackRequirementFactory,
    small_curriculum,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def curriculum():
    """The small curriculum, with two resources on the first skill and a second track that needs
    the same buckets: every part the import reads, at a size a mutation run can afford."""
    small = small_curriculum()
    ResourceFactory(skill=small.skills[0], is_free=True)
    ResourceFactory(skill=small.skills[0], is_free=False)
    second = TrackFactory(name="Reader", slug="reader", order=2, depth_trunk=small.trunks[1])
    second.literacy_trunks.add(small.trunks[0])
    TrackRequirementFactory(track=second, bucket=small.buckets[0], level=small.levels[0])
    TrackRequirementFactory(track=second, bucket=small.buckets[1], level=small.levels[1])
    return small


def _import(change):
    document = export_framework()
    change(document)
    return import_framework(parse(dumps(document)), replace=True)


def _set(*path_and_value):
    *path, name, value = path_and_value

    def change(document):
        target = document
        for step in path:
            target = target[step]
        target[name] = value

    return change


def _refused(change):
    return _refused_by(lambda: _import(change))


def _refused_by(load):
    """The FrameworkError `load()` raises; the trunks are as they were."""
    before = list(Trunk.objects.values_list("number", "slug"))
    with pytest.raises(FrameworkError) as raised:
        load()
    assert list(Trunk.objects.values_list("number", "slug")) == before
    return raised.value


def _header():
    """The format and version lines of a framework file this Skill Tree reads."""
    exported = export_framework()
    return {key: exported[key] for key in ("format", "version")}


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (_set("trunks", 0, "number", True), "trunks[0].number", "a whole number, got true/false"),
        (_set("trunks", 0, "number", 1.5), "trunks[0].number", "a whole number, got a number"),
        (_set("trunks", 0, "number", [1]), "trunks[0].number", "a whole number, got a list"),
        (_set("trunks", 0, "number", {}), "trunks[0].number", "a whole number, got an object"),
        (_set("trunks", 0, "number", None), "trunks[0].number", "must not be null"),
        (_set("trunks", 0, "name", 7), "trunks[0].name", "expected text, got a number"),
        (
            _set("requirement_levels", 0, "target", "high"),
            "requirement_levels[0].target",
            'expected a decimal number such as "2.5", got text',
        ),
        (
            _set("requirement_levels", 0, "target", False),
            "requirement_levels[0].target",
            "got true/false",
        ),
        (
            _set("skills", 0, "resources", 0, "is_free", "yes"),
            "skills[0].resources[0].is_free",
            "expected true or false, got text",
        ),
        (
            _set("skills", 0, "resources", 0, "is_free", 1),
            "skills[0].resources[0].is_free",
            "expected true or false, got a number",
        ),
        (_set("trunks", "no list"), "trunks", "expected a list, got text"),
        (_set("trunks", [3]), "trunks[0]", "expected an object, got a number"),
        (_set("trunks", 0, "shape", "x"), "trunks[0].shape", "unknown field; Trunk has "),
        (
            _set("tracks", 0, "literacy_trunks", "foundations"),
            "tracks[0].literacy_trunks",
            "expected a list, got text",
        ),
        (
            _set("tracks", 0, "depth_trunk", ["deep-learning"]),
            "tracks[0].depth_trunk",
            'no trunk with slug ["deep-learning"] among the trunks',
        ),
        (
            _set("tracks", 0, "depth_trunk", 1.5),
            "tracks[0].depth_trunk",
            'no trunk with slug "1.5" among the trunks',
        ),
        (
            _set("tracks", 0, "literacy_trunks", ["nowhere"]),
            "tracks[0].literacy_trunks",
            'no trunk with slug "nowhere"',
        ),
    ],
)
def test_a_wrong_type_is_refused_naming_what_was_expected(change, path, message):
    error = _refused(change)
    assert error.path == path
    assert message in error.message


@pytest.mark.parametrize(
    "change",
    [
        _set("trunks", 0, "number", 40),
        _set("requirement_levels", 0, "target", "2.5"),
        _set("requirement_levels", 0, "target", 2),
        _set("requirement_levels", 0, "target", 2.5),
        _set("skills", 0, "resources", 0, "is_free", False),
    ],
)
def test_the_value_next_to_a_wrong_one_imports(change):
    created = _import(change)
    assert created["trunks"] == Trunk.objects.count()
    assert created["resources"] == Resource.objects.count()


def test_imported_values_are_the_files():
    _import(_set("requirement_levels", 0, "target", "2.5"))
    level = RequirementLevel.objects.order_by("order", "pk").first()
    assert str(level.target) == "2.5"
    assert Skill.objects.exists()


def test_two_objects_with_one_key_are_refused_naming_the_first():
    def duplicate(document):
        document["buckets"][1]["slug"] = document["buckets"][0]["slug"]

    error = _refused(duplicate)
    assert error.path == "buckets[1].slug"
    assert error.message == "duplicate: buckets[0] has the same slug"


def test_two_requirements_for_one_bucket_of_a_track_are_refused():
    def duplicate(document):
        requirements = document["tracks"][0]["requirements"]
        requirements[1]["bucket"] = requirements[0]["bucket"]

    error = _refused(duplicate)
    assert error.path == "tracks[0].requirements[1].bucket"
    assert "duplicate: tracks[0].requirements[0]" in error.message


def test_the_same_bucket_in_two_tracks_is_not_a_duplicate():
    created = _import(lambda document: None)
    assert created["requirements"] > len(export_framework()["tracks"])


def test_a_field_left_out_takes_its_default_and_a_required_one_is_refused():
    def drop_is_free(document):
        for resource in document["skills"][0]["resources"]:
            resource.pop("is_free")

    _import(drop_is_free)
    assert all(r.is_free for r in Skill.objects.order_by("pk").first().resources.all())

    def drop_slug(document):
        document["trunks"][0].pop("slug")

    error = _refused(drop_slug)
    assert (error.path, error.message) == ("trunks[0].slug", "missing (required)")


def test_a_null_where_a_value_is_required_is_refused_in_those_words():
    error = _refused(_set("trunks", 0, "number", None))
    assert (error.path, error.message) == ("trunks[0].number", "must not be null")


def test_a_model_check_names_the_field_and_says_what_is_wrong():
    error = _refused(_set("trunks", 0, "slug", "not a slug!"))
    assert error.path == "trunks[0].slug"
    assert "slug" in error.message


@pytest.mark.parametrize("months", [0, 121])
def test_a_value_a_model_constraint_refuses_is_refused_naming_the_object(months):
    error = _refused(_set("skills", 0, "recheck_months", months))
    assert error.path == "skills[0]"
    assert "skill_recheck_months_1_to_120" in error.message


@pytest.mark.parametrize(
    ("where", "text"),
    [
        ({}, "bad value"),
        ({"line": 3}, "line 3: bad value"),
        ({"path": "skills[1].trunk"}, "at skills[1].trunk: bad value"),
        ({"line": 3, "path": "skills[1].trunk"}, "line 3, at skills[1].trunk: bad value"),
    ],
)
def test_an_error_names_its_line_and_path_only_when_it_has_them(where, text):
    assert str(FrameworkError("bad value", **where)) == text


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ('{"trunks": [{"number": 1, "number": 7}]}', "trunks[0].number"),
        (
            '{"skills": [{"resources": [{"title": "A", "title": "B"}]}]}',
            "skills[0].resources[0].title",
        ),
    ],
    ids=["in a trunk", "in a skill's resource"],
)
def test_a_member_named_twice_is_refused_with_its_path_from_the_top_of_the_file(text, path):
    name = path.rsplit(".", 1)[1]
    with pytest.raises(FrameworkError) as raised:
        parse(text)
    assert str(raised.value) == f"at {path}: “{name}” appears twice in one object"


def _new_trunk(**fields):
    """A trunk the database never held; a field given as `...` is left out."""
    trunk = {"seed_key": "data", "number": 9, "name": "Data", "slug": "data", "summary": "Data."}
    trunk.update(fields)
    return {key: value for key, value in trunk.items() if value is not ...}


def _data_trunk_and_sql(**sql_fields):
    """A framework file adding a trunk, a bucket and a skill of it, every object seed-keyed."""
    return {
        **_header(),
        "trunks": [_new_trunk()],
        "buckets": [
            {"seed_key": "craft", "name": "Craft Skills", "short_name": "Craft", "slug": "craft"}
        ],
        "skills": [
            {
                "seed_key": "sql",
                "trunk": "data",
                "bucket": "craft",
                "name": "SQL",
                "slug": "sql",
                "mastery": "You write the query.",
                "test": "Write one.",
                **sql_fields,
            }
        ],
    }


def test_adding_what_is_missing_leaves_out_a_new_skill_of_a_trunk_a_curator_deleted():
    document = _data_trunk_and_sql()
    import_missing({**document, "skills": []})
    Trunk.objects.get(seed_key="data").delete()
    assert import_missing(document).created == ()
    assert not Skill.objects.filter(slug="sql").exists()


def _missing_refused(*trunks):
    return _refused_by(lambda: import_missing({**_header(), "trunks": list(trunks)}))


@pytest.mark.parametrize(
    ("trunks", "path", "message"),
    [
        (
            [_new_trunk(seed_key="")],
            "trunks[0].seed_key",
            "missing: adding only what is missing finds objects by their seed key",
        ),
        ([_new_trunk(name=...)], "trunks[0].name", "missing (required)"),
        ([_new_trunk(slug="not a slug!")], "trunks[0].slug", None),
        (
            [_new_trunk(), _new_trunk(seed_key="more", number=10, name="More")],
            "trunks[1].slug",
            "duplicate: trunks[0] has the same slug",
        ),
    ],
    ids=["an empty seed key", "a required field left out", "a bad slug", "a slug twice"],
)
def test_adding_what_is_missing_refuses_a_bad_new_object_naming_its_path(trunks, path, message):
    error = _missing_refused(*trunks)
    assert error.path == path
    if message:
        assert error.message == message


def test_adding_what_is_missing_names_each_object_it_added():
    added = import_missing({**_header(), "trunks": [_new_trunk()]})
    assert added.created == (("Trunk", "data"),)


def test_an_unknown_field_is_refused_listing_the_fields_there_are():
    error = _refused(_set("trunks", 0, "colour", "red"))
    assert error.path == "trunks[0].colour"
    assert error.message.startswith("unknown field; Trunk has ")
    listed = error.message.removeprefix("unknown field; Trunk has ").split(", ")
    assert listed == sorted(listed)
    assert {"name", "number", "slug"} <= set(listed)


def test_adding_what_is_missing_skips_a_new_trunk_named_as_a_curators_and_reports_it():
    added = import_missing(
        {
            **_header(),
            "trunks": [
                _new_trunk(name="Foundations"),
                _new_trunk(seed_key="more", number=10, name="More", slug="more"),
            ],
        }
    )
    assert added.conflicts == (("Trunk", "data"),)
    assert added.created == (("Trunk", "more"),)
    assert Trunk.objects.filter(name="Foundations").get().seed_key is None


def test_adding_what_is_missing_skips_a_new_resource_at_an_address_a_curator_gave_the_skill():
    import_missing(_data_trunk_and_sql())
    sql = Skill.objects.get(seed_key="sql")
    ResourceFactory(skill=sql, title="The curator's", url="https://example.org/sql")
    resources = [
        {"seed_key": "sql-docs", "title": "Docs", "url": "https://example.org/sql"},
        {"seed_key": "sql-book", "title": "Book", "url": "https://example.org/book"},
    ]
    added = import_missing(_data_trunk_and_sql(resources=resources))
    assert added.conflicts == (("Resource", "sql-docs"),)
    assert added.created == (("Resource", "sql-book"),)
    assert sorted(sql.resources.values_list("title", flat=True)) == ["Book", "The curator's"]


def test_adding_what_is_missing_adds_a_track_without_a_literacy_trunk_a_curator_deleted():
    document = {
        **_header(),
        "trunks": [_new_trunk(), _new_trunk(seed_key="ops", number=10, name="Ops", slug="ops")],
    }
    import_missing(document)
    Trunk.objects.get(seed_key="ops").delete()
    track = {
        "seed_key": "analyst",
        "name": "Analyst",
        "slug": "analyst",
        "depth_trunk": "data",
        "literacy_trunks": ["ops", "data"],
    }
    added = import_missing({**document, "tracks": [track]})
    assert added.created == (("Track", "analyst"),)
    literacy = Track.objects.get(seed_key="analyst").literacy_trunks
    assert list(literacy.values_list("seed_key", flat=True)) == ["data"]
