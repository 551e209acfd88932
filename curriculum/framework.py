"""The curriculum as one JSON document, and back: docs/framework-format.md describes the format.

`export_framework()` walks each curriculum model's fields, so a field added to a model is exported
(and imported) without touching this module. Objects name each other by stable keys (a slug, a
name, a number), never by database ids; resources, track requirements and ladder signals sit inside
the skill, track or level they belong to. `dumps` writes the document deterministically (lists
sorted by each model's ordering, then by key), so export → import → export gives the same bytes.

`parse(text)` reads a file and remembers the line each object and member starts on, so
`import_framework(data)` can say which line and field is wrong. The import happens in one
transaction into an empty curriculum (or, with `replace=True`, one no learner has used yet).
"""

import bisect
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from json.decoder import JSONArray, JSONObject
from json.scanner import py_make_scanner

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils.dateparse import parse_date, parse_datetime

from curriculum.links import LINK_FIELDS
from curriculum.models import (
    BaselineQuestion,
    Bucket,
    FailureMode,
    LadderLevel,
    LadderSignal,
    Passage,
    PathPhase,
    RequirementLevel,
    Resource,
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
    """A framework file that cannot be loaded: what is wrong, where (line), and in which field
    (a JSON path such as `skills[3].trunk`)."""

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


# Reading a file, remembering lines.


class _Object(dict):
    line = None
    member_lines = None


class _List(list):
    line = None
    item_lines = None


def parse(text):
    """Read a framework file. Every object it returns knows `.line` (where it starts) and
    `.member_lines` (where each member's value starts); every list `.line` and `.item_lines`.
    Raises FrameworkError for a syntax error or a member named twice in one object."""
    line_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]

    def line_of(index):
        return bisect.bisect_right(line_starts, index)

    def parse_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
        starts = []

        def scan_member(string, index):
            starts.append(index)
            return scan_once(string, index)

        def build(pairs):
            obj = _Object()
            obj.line, obj.member_lines = line_of(s_and_end[1] - 1), {}
            for (name, value), start in zip(pairs, starts, strict=True):
                if name in obj:
                    raise FrameworkError(
                        f"“{name}” appears twice in one object", line=line_of(start)
                    )
                obj[name], obj.member_lines[name] = value, line_of(start)
            return obj

        return JSONObject(s_and_end, strict, scan_member, None, build, memo)

    def parse_array(s_and_end, scan_once):
        starts = []

        def scan_item(string, index):
            starts.append(index)
            return scan_once(string, index)

        values, end = JSONArray(s_and_end, scan_item)
        result = _List(values)
        result.line = line_of(s_and_end[1] - 1)
        result.item_lines = [line_of(start) for start in starts[: len(values)]]
        return result, end

    decoder = json.JSONDecoder(parse_float=Decimal)
    decoder.parse_object, decoder.parse_array = parse_object, parse_array
    decoder.scan_once = py_make_scanner(decoder)
    try:
        return decoder.decode(text)
    except json.JSONDecodeError as error:
        raise FrameworkError(
            f"not valid JSON: {error.msg} (column {error.colno})", line=error.lineno
        ) from None


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
            count = other._default_manager.filter(
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


def import_framework(data, *, replace=False):
    """Load a parsed document into an empty curriculum, in one transaction: any error leaves the
    database as it was. `replace=True` first deletes the curriculum there is, when no learner data
    refers to it. Returns {list name: objects created}."""
    _check_header(data)
    created = {}
    with transaction.atomic():
        if replace:
            delete_curriculum()
        elif not curriculum_is_empty():
            raise FrameworkError(
                "the curriculum is not empty; import into an empty one, or pass --replace to "
                "delete it first (refused when learners have used it)"
            )
        loader = _Loader(created)
        for part in PARTS:
            loader.load(part, data, part.name)
    return created


def _check_header(data):
    if not isinstance(data, dict):
        raise FrameworkError(f"expected an object, got {_kind(data)}", line=_line(data))
    if data.get("format") != FORMAT:
        raise FrameworkError(
            f"expected “{FORMAT}”", line=_member_line(data, "format"), path="format"
        )
    version = data.get("version")
    if type(version) is not int or not 1 <= version <= VERSION:
        raise FrameworkError(
            f"this Skill Tree reads versions 1 to {VERSION}",
            line=_member_line(data, "version"),
            path="version",
        )
    unknown = set(data) - {"format", "version"} - {part.name for part in PARTS}
    if unknown:
        name = sorted(unknown)[0]
        raise FrameworkError(
            f"unknown list; the lists are {', '.join(part.name for part in PARTS)}",
            line=_member_line(data, name),
            path=name,
        )


def _line(value):
    return getattr(value, "line", None)


def _member_line(obj, name):
    return (getattr(obj, "member_lines", None) or {}).get(name, _line(obj))


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


class _Loader:
    def __init__(self, created):
        self.created = created
        self.keys = {model: {} for model in TOP_LEVEL}
        self.seen = {}

    def load(self, part, container, path, parent=None):
        """Create the objects of `container[part.name]` (absent means none)."""
        items = container.get(part.name, [])
        line = _member_line(container, part.name)
        if not isinstance(items, list):
            raise FrameworkError(f"expected a list, got {_kind(items)}", line=line, path=path)
        fields = fields_of(part)
        names = {field.name for field in fields} | {child.name for child in part.children}
        for i, item in enumerate(items):
            here = f"{path}[{i}]"
            if not isinstance(item, dict):
                item_line = items.item_lines[i] if getattr(items, "item_lines", None) else line
                raise FrameworkError(
                    f"expected an object, got {_kind(item)}", line=item_line, path=here
                )
            for name in item:
                if name not in names:
                    raise FrameworkError(
                        f"unknown field; {part.model.__name__} has {', '.join(sorted(names))}",
                        line=_member_line(item, name),
                        path=f"{here}.{name}",
                    )
            instance, many = self._build(part, fields, item, here, parent)
            self._check_unique(part, instance, item, here)
            self._clean(instance, item, here)
            instance.save()
            for field, targets in many:
                getattr(instance, field.name).set(targets)
            if part.model in TOP_LEVEL:
                self.keys[part.model][getattr(instance, part.key[0])] = instance
            self.created[part.name] = self.created.get(part.name, 0) + 1
            for child in part.children:
                self.load(child, item, f"{here}.{child.name}", parent=(child.parent, instance))

    def _build(self, part, fields, item, here, parent):
        values, many = {}, []
        if parent:
            values[parent[0]] = parent[1]
        for field in fields:
            at = f"{here}.{field.name}"
            line = _member_line(item, field.name)
            if field.name not in item:
                if field.has_default() or field.null or field.blank:
                    continue
                raise FrameworkError("missing (required)", line=_line(item), path=at)
            value = item[field.name]
            if field.many_to_many:
                if not isinstance(value, list):
                    raise FrameworkError(f"expected a list, got {_kind(value)}", line=line, path=at)
                many.append((field, [self._target(field, key, line, at) for key in value]))
            elif field.is_relation:
                values[field.name] = (
                    None if value is None and field.null else self._target(field, value, line, at)
                )
            else:
                values[field.attname] = _decode(field, value, line, at)
        return part.model(**values), many

    def _target(self, field, key, line, at):
        model = field.related_model
        found = self.keys[model].get(key) if isinstance(key, str | int) else None
        if found is None:
            part = TOP_LEVEL[model]
            raise FrameworkError(
                f"no {model._meta.verbose_name} with {part.key[0]} {json.dumps(key, default=str)}"
                f" among the {part.name} (they come earlier in the file)",
                line=line,
                path=at,
            )
        return found

    def _check_unique(self, part, instance, item, here):
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
            first = self.seen.setdefault((part.model, names), {}).setdefault(
                value, (here, _line(item))
            )
            if first != (here, _line(item)):
                raise FrameworkError(
                    f"duplicate: {first[0]} (line {first[1]}) has the same {shown}",
                    line=_member_line(item, shown),
                    path=f"{here}.{shown}",
                )

    def _clean(self, instance, item, here):
        try:
            instance.full_clean(validate_unique=False)
        except ValidationError as error:
            name, messages = next(iter(error.message_dict.items()))
            if name == NON_FIELD_ERRORS:
                raise FrameworkError(messages[0], line=_line(item), path=here) from None
            raise FrameworkError(
                messages[0], line=_member_line(item, name), path=f"{here}.{name}"
            ) from None


def _decode(field, value, line, at):
    """A JSON value as the field's Python value, or FrameworkError naming the type expected."""
    if value is None:
        if field.null:
            return None
        raise FrameworkError("must not be null", line=line, path=at)
    expected = None
    if isinstance(field, models.BooleanField):
        if not isinstance(value, bool):
            expected = "true or false"
    elif isinstance(field, models.IntegerField):
        if type(value) is not int:
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
        raise FrameworkError(f"expected {expected}, got {_kind(value)}", line=line, path=at)
    return value
