"""The curriculum as one JSON document, and back: docs/framework-format.md describes the format.

`export_framework()` walks each curriculum model's fields, so a field added to a model is exported
(and imported) without touching this module. Objects name each other by stable keys (a slug, a
name, a number), never by database ids; resources, track requirements and ladder signals sit inside
the skill, track or level they belong to. `dumps` writes the document deterministically (lists
sorted by each model's ordering, then by key), so export → import → export gives the same bytes.

`parse(text)` reads a file with the standard `json` module; `import_framework(data)` loads it and
names the field of anything wrong by its path in the document (`skills[3].trunk`), and a syntax
error by its line. Loading is one transaction, in one of two modes:

- the import: into an empty curriculum (or, with `replace=True`, one no learner has used yet);
- `import_missing(data)`, what `manage.py load_curriculum` does with the seed curriculum: add only
  the objects whose `seed_key` this database never held. A row is found by its seed key alone, so
  curators' edits and renames stay; a row a curator deleted stays deleted (`SeedLoad` remembers
  every seed row made once).
"""

import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.dateparse import parse_date, parse_datetime

import pages
from curriculum.links import LINK_FIELDS
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

FORMAT = "skilltree-framework"
VERSION = 1
NOT_EXPORTED = {Resource: set(LINK_FIELDS)}


class FrameworkError(Exception):
    """A framework file that cannot be loaded: what is wrong, and where: the line of a syntax
    error, the JSON path (such as `skills[3].trunk`) of anything else."""

    def __init__(self, message, *, line=None, path=""):
        self.message, self.line, self.path = message, line, path
        where = ", ".join(
            part for part in (f"line {line}" if line else "", path and f"at {path}") if part
        )
        super().__init__(f"{where}: {message}" if where else message)


@dataclass(frozen=True)
class Part:
    """One list in the document: its member name, model, the fields naming one object (within its
    parent, for nested parts), the foreign key to the parent, and the lists nested in each object."""

    name: str
    model: type
    key: tuple
    parent: str = ""
    children: tuple = ()


PARTS = (
    Part("trunks", Trunk, ("slug",)),
    Part("buckets", Bucket, ("slug",)),
    Part("requirement_levels", RequirementLevel, ("name",)),
    Part(
        "skills",
        Skill,
        ("slug",),
        children=(Part("resources", Resource, ("url",), parent="skill"),),
    ),
    Part(
        "tracks",
        Track,
        ("slug",),
        children=(Part("requirements", TrackRequirement, ("bucket",), parent="track"),),
    ),
    Part("baseline_questions", BaselineQuestion, ("text",)),
    Part(
        "ladder_levels",
        LadderLevel,
        ("slug",),
        children=(Part("signals", LadderSignal, ("text",), parent="level"),),
    ),
    Part("path_phases", PathPhase, ("order",)),
    Part("failure_modes", FailureMode, ("slug",)),
    Part("passages", Passage, ("key",)),
    Part("recheck_policy", RecheckPolicy, ("scope",)),
    Part("sources", Source, ("number",)),
)
TOP_LEVEL = {part.model: part for part in PARTS}


def every_part():
    for part in PARTS:
        yield part
        yield from part.children


def fields_of(part):
    """The model's fields the document carries, in the model's order: every concrete and
    many-to-many field except the id, the parent link, automatic timestamps and link health."""
    skipped = NOT_EXPORTED.get(part.model, set()) | {part.parent}
    found = []
    for field in [*part.model._meta.concrete_fields, *part.model._meta.many_to_many]:
        if field.primary_key or field.name in skipped:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if field.is_relation and field.related_model not in TOP_LEVEL:
            raise FrameworkError(
                f"{part.model.__name__}.{field.name} refers to {field.related_model.__name__}, "
                "which the framework format does not cover"
            )
        found.append(field)
    return found


def _key_field(model):
    (name,) = TOP_LEVEL[model].key
    return name


def _ordering(part):
    """The model's ordering without ids or the parent, then its key: the order does not depend on
    the ids rows happened to get, so a re-imported curriculum exports in the same order."""
    order = []
    for entry in part.model._meta.ordering:
        name = entry.lstrip("-")
        if name in ("pk", "id") or name.split("__")[0] == part.parent:
            continue
        field = part.model._meta.get_field(name.split("__")[0])
        if field.is_relation and "__" not in name:
            entry = f"{entry}__{_key_field(field.related_model)}"
        order.append(entry)
    for name in part.key:
        field = part.model._meta.get_field(name)
        order.append(f"{name}__{_key_field(field.related_model)}" if field.is_relation else name)
    return order


def _plain(field, value):
    if value is None:
        return None
    if isinstance(field, models.DecimalField):
        return f"{value:.{field.decimal_places}f}"
    if isinstance(field, models.DateTimeField | models.DateField):
        return value.isoformat()
    return value


def export_framework():
    """The whole curriculum as a dict ready for `dumps`. 18 queries whatever its size: the keys of
    each model referred to (3), each list (11), each nested list (3), each many-to-many field (1)."""
    referred = {f.related_model for p in every_part() for f in fields_of(p) if f.is_relation}
    keys = {model: dict(model.objects.values_list("pk", _key_field(model))) for model in referred}
    prepared = {part: _prepare(part, keys) for part in every_part()}
    document = {"format": FORMAT, "version": VERSION}
    for part in PARTS:
        rows = part.model.objects.order_by(*_ordering(part))
        document[part.name] = _export_rows(part, rows, keys, prepared)
    return document


def _prepare(part, keys):
    """(fields, {many-to-many name: {pk: [keys]}}, {child: {parent pk: [rows]}}) for one part."""
    many = {}
    for field in fields_of(part):
        if field.many_to_many:
            pairs = field.remote_field.through.objects.values_list(
                f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            )
            many[field.name] = {}
            for pk, other in pairs:
                many[field.name].setdefault(pk, []).append(keys[field.related_model][other])
    children = {}
    for child in part.children:
        children[child] = {}
        for row in child.model.objects.order_by(*_ordering(child)):
            children[child].setdefault(getattr(row, f"{child.parent}_id"), []).append(row)
    return fields_of(part), many, children


def _export_rows(part, rows, keys, prepared):
    fields, many, children = prepared[part]
    exported = []
    for row in rows:
        item = {}
        for field in fields:
            if field.many_to_many:
                item[field.name] = sorted(many[field.name].get(row.pk, []))
            elif field.is_relation:
                pk = getattr(row, field.attname)
                item[field.name] = None if pk is None else keys[field.related_model][pk]
            else:
                item[field.name] = _plain(field, getattr(row, field.attname))
        for child, rows_by_parent in children.items():
            item[child.name] = _export_rows(child, rows_by_parent.get(row.pk, []), keys, prepared)
        exported.append(item)
    return exported


def dumps(document):
    """The document as text: two-space indents, UTF-8 as is, a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# Reading a file.


class _Repeated(dict):
    """An object of the file that names a member twice; `repeated` is that member."""

    repeated = ""


def _object(pairs):
    obj = dict(pairs)
    if len(obj) == len(pairs):
        return obj
    seen, repeated = set(), _Repeated(obj)
    for name, _value in pairs:
        if name in seen:
            repeated.repeated = name
            break
        seen.add(name)
    return repeated


def _join(path, name):
    return f"{path}.{name}" if path else name


def _find_repeated(value, path=""):
    """The path of the first member named twice in one object, or None."""
    if isinstance(value, _Repeated):
        return _join(path, value.repeated)
    if isinstance(value, dict):
        items = ((_join(path, name), item) for name, item in value.items())
    elif isinstance(value, list):
        items = ((f"{path}[{i}]", item) for i, item in enumerate(value))
    else:
        return None
    for here, item in items:
        found = _find_repeated(item, here)
        if found:
            return found
    return None


def parse(text):
    """Read a framework file with the `json` module (decimals as `Decimal`). Raises
    FrameworkError for a syntax error (with its line) or a member named twice in one object
    (with its path)."""
    try:
        document = json.loads(text, parse_float=Decimal, object_pairs_hook=_object)
    except json.JSONDecodeError as error:
        raise FrameworkError(
            f"not valid JSON: {error.msg} (column {error.colno})", line=error.lineno
        ) from None
    repeated = _find_repeated(document)
    if repeated:
        name = repeated.rsplit(".", 1)[-1]
        raise FrameworkError(f"“{name}” appears twice in one object", path=repeated)
    return document


# Loading a document.


def curriculum_is_empty():
    return not any(part.model.objects.exists() for part in every_part())


def learner_rows():
    """{"assessments.Rating": 64, …}: rows outside the curriculum that point into it (learners'
    ratings, progress, answers, a chosen track). One query per such relation."""
    found = {}
    for model in apps.get_app_config("curriculum").get_models():
        reverse = [f for f in model._meta.get_fields(include_hidden=True) if f.auto_created]
        for relation in (f for f in reverse if f.is_relation and not f.concrete):
            other = relation.related_model
            if other._meta.app_label == "curriculum":
                continue
            count = other._meta.default_manager.filter(
                **{f"{relation.field.name}__isnull": False}
            ).count()
            if count:
                label = other._meta.label
                found[label] = found.get(label, 0) + count
    return found


def delete_curriculum():
    """Delete every curriculum row, refusing (FrameworkError) while any learner data points at it."""
    used = learner_rows()
    if used:
        rows = ", ".join(f"{count} {label}" for label, count in sorted(used.items()))
        raise FrameworkError(
            f"learners have used this curriculum ({rows}); it cannot be replaced. "
            "Import into a fresh database instead."
        )
    for part in reversed(PARTS):
        for child in part.children:
            child.model.objects.all().delete()
        part.model.objects.all().delete()


@dataclass(frozen=True)
class MissingAdded:
    """What `import_missing` did: the rows it made and the ones it could not, each as
    (model name, seed key)."""

    created: tuple = ()
    conflicts: tuple = ()


def import_framework(data, *, replace=False):
    """Load a parsed document into an empty curriculum, in one transaction: any error leaves the
    database as it was. `replace=True` first deletes the curriculum there is, when no learner data
    refers to it. Objects carrying a seed key are recorded as loaded (`SeedLoad`), so a later
    `import_missing` never makes them a second time. Returns {list name: objects created}."""
    _check_header(data)
    with transaction.atomic():
        if replace:
            delete_curriculum()
        elif not curriculum_is_empty():
            raise FrameworkError(
                "the curriculum is not empty; import into an empty one, or pass --replace to "
                "delete it first (refused when learners have used it)"
            )
        loader = _Loader()
        loader.load_all(data)
        pages.bump_curriculum()
    return loader.counts


def import_missing(data):
    """Add the objects of a parsed document whose `seed_key` this database never held, in one
    transaction; every object must carry one. An object whose seed key a row has is that row
    (whatever a curator renamed), and its nested objects are added under it; one recorded in
    `SeedLoad` but gone was deleted by a curator and stays deleted, with whatever refers to it
    (a many-to-many list just leaves it out); one that would collide with a curator's own row
    on a unique field is skipped and reported in `conflicts`. Query count: one for `SeedLoad`
    and one per curriculum model, plus a savepoint, the insert (and its many-to-many) per row
    made and one for the new `SeedLoad` rows."""
    _check_header(data)
    with transaction.atomic():
        loader = _Loader(missing_only=True)
        loader.load_all(data)
        pages.bump_curriculum()
    return MissingAdded(created=tuple(loader.added), conflicts=tuple(loader.conflicts))


def _check_header(data):
    if not isinstance(data, dict):
        raise FrameworkError(f"expected an object, got {_kind(data)}")
    if data.get("format") != FORMAT:
        raise FrameworkError(f"expected “{FORMAT}”", path="format")
    version = data.get("version")
    if type(version) is not int or not 1 <= version <= VERSION:
        raise FrameworkError(f"this Skill Tree reads versions 1 to {VERSION}", path="version")
    unknown = set(data) - {"format", "version"} - {part.name for part in PARTS}
    if unknown:
        raise FrameworkError(
            f"unknown list; the lists are {', '.join(part.name for part in PARTS)}",
            path=sorted(unknown)[0],
        )


def _kind(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


class _LeftOut(Exception):
    """An object refers to one `import_missing` left out (a curator deleted it)."""


class _Loader:
    """Creates the objects of one document, list by list, remembering each top-level object by
    its key in the document so later objects can refer to it."""

    def __init__(self, *, missing_only=False):
        self.missing_only = missing_only
        self.counts = {}
        self.keys = {model: {} for model in TOP_LEVEL}
        self.left_out = {model: set() for model in TOP_LEVEL}
        self.seen = {}
        self.loads = []
        self.added, self.conflicts = [], []
        if missing_only:
            self.loaded = set(SeedLoad.objects.values_list("model", "seed_key"))
            self.seeded = {
                part.model: part.model.objects.filter(seed_key__isnull=False).in_bulk(
                    field_name="seed_key"
                )
                for part in every_part()
            }

    def load_all(self, data):
        for part in PARTS:
            self.load(part, data, part.name)
        SeedLoad.objects.bulk_create(self.loads, ignore_conflicts=True)

    def load(self, part, container, path, parent=None):
        """Create the objects of `container[part.name]` (absent means none)."""
        items = container.get(part.name, [])
        if not isinstance(items, list):
            raise FrameworkError(f"expected a list, got {_kind(items)}", path=path)
        fields = fields_of(part)
        names = {field.name for field in fields} | {child.name for child in part.children}
        for i, item in enumerate(items):
            here = f"{path}[{i}]"
            if not isinstance(item, dict):
                raise FrameworkError(f"expected an object, got {_kind(item)}", path=here)
            for name in item:
                if name not in names:
                    raise FrameworkError(
                        f"unknown field; {part.model.__name__} has {', '.join(sorted(names))}",
                        path=f"{here}.{name}",
                    )
            if self.missing_only:
                row = self._find_or_add(part, fields, item, here, parent)
            else:
                row = self._add(part, fields, item, here, parent)
            key = item.get(part.key[0])
            if part.model in TOP_LEVEL and isinstance(key, str | int):
                if row is None:
                    self.left_out[part.model].add(key)
                else:
                    self.keys[part.model][key] = row
            if row is None:
                continue
            for child in part.children:
                self.load(child, item, f"{here}.{child.name}", parent=(child.parent, row))

    def _add(self, part, fields, item, here, parent):
        instance, many = self._build(part, fields, item, here, parent)
        self._check_unique(part, instance, here)
        self._clean(instance, here)
        instance.save()
        self._made(part, instance, many)
        return instance

    def _find_or_add(self, part, fields, item, here, parent):
        """The row with the object's seed key, a new row, or None when it is left out."""
        name, seed_key = part.model.__name__, item.get("seed_key")
        if not isinstance(seed_key, str) or not seed_key:
            raise FrameworkError(
                "missing: adding only what is missing finds objects by their seed key",
                path=f"{here}.seed_key",
            )
        found = self.seeded[part.model].get(seed_key)
        if found is not None:
            if (name, seed_key) not in self.loaded:
                self.loads.append(SeedLoad(model=name, seed_key=seed_key))
            return found
        if (name, seed_key) in self.loaded:
            return None
        try:
            instance, many = self._build(part, fields, item, here, parent)
        except _LeftOut:
            return None
        self._check_unique(part, instance, here)
        self._clean(instance, here, validate_constraints=False)
        try:
            with transaction.atomic():
                instance.save()
                self._made(part, instance, many)
        except IntegrityError:
            self.conflicts.append((name, seed_key))
            return None
        self.added.append((name, seed_key))
        return instance

    def _made(self, part, instance, many):
        for field, targets in many:
            getattr(instance, field.name).set(targets)
        if instance.seed_key:
            self.loads.append(SeedLoad(model=part.model.__name__, seed_key=instance.seed_key))
        self.counts[part.name] = self.counts.get(part.name, 0) + 1

    def _build(self, part, fields, item, here, parent):
        values, many = {}, []
        if parent:
            values[parent[0]] = parent[1]
        for field in fields:
            at = f"{here}.{field.name}"
            if field.name not in item:
                if field.has_default() or field.null or field.blank:
                    continue
                raise FrameworkError("missing (required)", path=at)
            value = item[field.name]
            if field.many_to_many:
                if not isinstance(value, list):
                    raise FrameworkError(f"expected a list, got {_kind(value)}", path=at)
                targets = [self._target(field, key, at, many=True) for key in value]
                many.append((field, [target for target in targets if target is not None]))
            elif field.is_relation:
                values[field.name] = (
                    None if value is None and field.null else self._target(field, value, at)
                )
            else:
                values[field.attname] = _decode(field, value, at)
        return part.model(**values), many

    def _target(self, field, key, at, *, many=False):
        """The row `key` names, or (adding only what is missing) _LeftOut when that object was
        left out; None instead for a many-to-many, which then leaves it out too."""
        model = field.related_model
        hashable = isinstance(key, str | int)
        found = self.keys[model].get(key) if hashable else None
        if found is None and hashable and key in self.left_out[model]:
            if many:
                return None
            raise _LeftOut
        if found is None:
            part = TOP_LEVEL[model]
            raise FrameworkError(
                f"no {model._meta.verbose_name} with {part.key[0]} {json.dumps(key, default=str)}"
                f" among the {part.name} (they come earlier in the file)",
                path=at,
            )
        return found

    def _check_unique(self, part, instance, here):
        """Each unique field and unique constraint, across the file: names both places."""
        sets = [
            (f.name,) for f in part.model._meta.concrete_fields if f.unique and not f.primary_key
        ]
        sets += [
            tuple(c.fields)
            for c in part.model._meta.constraints
            if isinstance(c, models.UniqueConstraint) and c.fields and c.condition is None
        ]
        for names in sets:
            value = tuple(getattr(instance, part.model._meta.get_field(n).attname) for n in names)
            if None in value:
                continue
            shown = next((n for n in names if n != part.parent), names[-1])
            first = self.seen.setdefault((part.model, names), {}).setdefault(value, here)
            if first != here:
                raise FrameworkError(
                    f"duplicate: {first} has the same {shown}", path=f"{here}.{shown}"
                )

    def _clean(self, instance, here, *, validate_constraints=True):
        try:
            instance.full_clean(validate_unique=False, validate_constraints=validate_constraints)
        except ValidationError as error:
            name, messages = next(iter(error.message_dict.items()))
            if name == NON_FIELD_ERRORS:
                raise FrameworkError(messages[0], path=here) from None
            raise FrameworkError(messages[0], path=f"{here}.{name}") from None


def _decode(field, value, at):
    """A JSON value as the field's Python value, or FrameworkError naming the type expected.
    `true` and `false` are not whole numbers, though Python's bool is an int."""
    if value is None:
        if field.null:
            return None
        raise FrameworkError("must not be null", path=at)
    expected = None
    if isinstance(field, models.BooleanField):
        if not isinstance(value, bool):
            expected = "true or false"
    elif isinstance(field, models.IntegerField):
        if isinstance(value, bool) or not isinstance(value, int):
            expected = "a whole number"
    elif isinstance(field, models.DecimalField):
        try:
            if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
                raise InvalidOperation
            value = Decimal(value)
        except InvalidOperation:
            expected = 'a decimal number such as "2.5"'
    elif isinstance(field, models.DateTimeField | models.DateField):
        parse_value = parse_datetime if isinstance(field, models.DateTimeField) else parse_date
        parsed = parse_value(value) if isinstance(value, str) else None
        if parsed is None:
            expected = (
                "an ISO 8601 date"
                if not isinstance(field, models.DateTimeField)
                else ("an ISO 8601 date and time")
            )
        value = parsed
    elif isinstance(field, models.CharField | models.TextField) and not isinstance(value, str):
        expected = "text"
    if expected:
        raise FrameworkError(f"expected {expected}, got {_kind(value)}", path=at)
    return value
