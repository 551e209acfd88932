"""Queries every signed-in request runs, compiled once per process.

Django's ORM builds and compiles a query each time it runs it: about 0.2 ms of CPU for reading
the session, about 1 ms for the user with whether they lead a cohort (two EXISTS subqueries).
That is as much as the rest of a cached learner page costs. Their SQL is the same every time but
for the values looked up, so each is compiled once (per database connection vendor and whatever
settings shape it) and run as raw SQL with the values put in their places. The session and its
user are one such query (cohorts.sessions).
"""

import datetime
import functools
from dataclasses import dataclass

from django.db import connections, router


@dataclass(frozen=True)
class Columns:
    """Where one model's fields sit in a compiled query's row, and how to attach it: `setter`
    puts a select_related row on the instance that holds it (None for the main model)."""

    model: type
    fields: tuple  # the fields' attnames, as the SELECT lists them from `start` on
    start: int
    setter: object = None

    @classmethod
    def of(cls, compiler, klass_info, setter=None):
        positions = klass_info["select_fields"]
        fields = tuple(compiler.select[i][0].target.attname for i in positions)
        return cls(klass_info["model"], fields, positions[0], setter)

    def instance(self, using, row):
        values = row[self.start : self.start + len(self.fields)]
        if values[self.fields.index(self.model._meta.pk.attname)] is None:
            return None  # a LEFT JOIN that found nothing
        return self.model.from_db(using, self.fields, values)


@dataclass(frozen=True)
class CompiledQuery:
    model: type
    sql: str
    params: tuple
    slots: dict  # lookup -> (position among params, the model field that prepares its value)
    columns: Columns
    related: tuple  # Columns of each select_related model (one level)
    annotations: tuple  # (name, position in the row)
    converters: tuple  # (position in the row, (converter, ...), expression), as the ORM's

    @classmethod
    def of(cls, queryset, *lookups):
        """Compile `queryset` filtered on each lookup (`pk`, `user`, `expire_date__gt`...) equal
        to a stand-in value, a value no real lookup uses, to find where each one lands among
        the compiled parameters; and keep what the ORM needs to make a model instance of a row,
        with the models it selects related one level down.
        The converters (SQLite's text to datetime, say) depend only on the database's vendor
        and settings, so those found at compile time serve every connection to it."""
        connection = connections[queryset.db]
        filters, prepared = {}, {}
        for number, lookup in enumerate(lookups):
            field = _field(queryset.model, lookup)
            filters[lookup] = _stand_in(field, number)
            prepared[lookup] = (field, field.get_db_prep_value(filters[lookup], connection))
        compiler = queryset.filter(**filters).query.get_compiler(queryset.db)
        sql, params = compiler.as_sql()
        params = list(params)
        slots = {
            lookup: (params.index(value), field) for lookup, (field, value) in prepared.items()
        }
        klass_info = compiler.klass_info
        related = klass_info.get("related_klass_infos", ())
        if any(info["related_klass_infos"] or info["reverse"] for info in related):
            raise ValueError("Only forward select_related one level down is compiled.")
        converters = compiler.get_converters([expression for expression, _, _ in compiler.select])
        return cls(
            model=queryset.model,
            sql=sql,
            params=tuple(params),
            slots=slots,
            columns=Columns.of(compiler, klass_info),
            related=tuple(Columns.of(compiler, info, info["local_setter"]) for info in related),
            annotations=tuple(compiler.annotation_col_map.items()),
            converters=tuple(
                (i, tuple(each), expression) for i, (each, expression) in converters.items()
            ),
        )

    def first(self, using, **values):
        """The first row with `values` in place of the stand-ins, as a model instance, or None:
        a plain cursor, as the ORM's would run it, without building a QuerySet."""
        connection = connections[using]
        params = list(self.params)
        for lookup, value in values.items():
            position, field = self.slots[lookup]
            params[position] = field.get_db_prep_value(value, connection)
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        row = list(row)
        for position, converters, expression in self.converters:
            for convert in converters:
                row[position] = convert(row[position], expression, connection)
        instance = self.columns.instance(using, row)
        for columns in self.related:
            columns.setter(instance, columns.instance(using, row))
        for name, position in self.annotations:
            setattr(instance, name, row[position])
        return instance


def first(model, **values):
    """`model`'s first row where each lookup matches its value, or None: what
    `model.objects.filter(**values).first()` finds (in no particular order), through a query
    compiled once per process."""
    alias = router.db_for_read(model)
    return _compiled(model, alias, connections[alias].vendor, tuple(values)).first(alias, **values)


@functools.cache
def _compiled(model, alias, vendor, lookups):
    return CompiledQuery.of(model._default_manager.using(alias), *lookups)


def _field(model, lookup):
    name = lookup.split("__")[0]
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    return field.target_field if field.is_relation else field


def _stand_in(field, number):
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return datetime.datetime(1901, 2, 3, 4, 5, number, tzinfo=datetime.UTC)
    if kind in ("AutoField", "BigAutoField", "IntegerField", "BigIntegerField"):
        return -987_654_321 - number
    return f"\x01stand-in {number}\x01"
