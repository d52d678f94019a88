"""Insert new model rows with one INSERT built once per process, for the writes every submission makes (ADR 0048).

`insert_rows(objs)` writes what `Model.objects.bulk_create(objs)` writes for plain rows (no multi-table
inheritance, no conflict handling) and sets each object's primary key, but Django's SQL compiler is not
run per call: the statement for a set of columns is built once per process, and a value is handed to the
database driver as it is when it already has the column's plain Python type (a `str` for a text column, an
`int` for an integer or a foreign key, a `bool`, None); anything else goes through the field's own
`get_db_prep_save`, exactly as Django would convert it. A column whose value is None in every row and that
has no database default is left out of the statement (the database writes NULL there), which keeps the
statement short enough for the driver's statement cache.

Like `bulk_create`, it sends no `pre_save`/`post_save` signals and calls no `save()`: only for rows whose
model has no receivers that matter (the case engine's own rows, the outbox, the audit chain, the job queue).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db import connections, router
from django.db.models import Field, Model
from django.db.models.constants import OnConflict
from django.db.models.fields import NOT_PROVIDED

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper

M = TypeVar("M", bound=Model)

# Internal types whose plain Python value the drivers take as it is (psycopg, sqlite3): the field's
# get_db_prep_save would return the same value.
_PLAIN: dict[str, tuple[type, ...]] = {
    **dict.fromkeys(("CharField", "TextField", "SlugField", "EmailField", "URLField"), (str,)),
    **dict.fromkeys(("IntegerField", "BigIntegerField", "SmallIntegerField", "PositiveIntegerField",
                     "PositiveBigIntegerField", "PositiveSmallIntegerField", "AutoField", "BigAutoField",
                     "SmallAutoField"), (int,)),
    "BooleanField": (bool,),
}


class _Column:
    __slots__ = ("attname", "column", "field", "plain", "pre_save", "has_db_default")

    def __init__(self, field: Field, quote: Callable[[str], str]) -> None:
        self.field: Any = cast(Any, field)  # a relation's field: ForeignKey's API (is_cached, target_field)
        self.attname = field.attname
        self.column = quote(cast(str, field.column))  # a concrete field always has its column
        # A foreign key stores its target's primary key: an int for every model here.
        internal = (self.field.target_field if field.is_relation else field).get_internal_type()
        self.plain = _PLAIN.get(internal, ())
        # auto_now / auto_now_add (and file fields) set their value in pre_save.
        self.pre_save = type(field).pre_save is not Field.pre_save
        self.has_db_default = field.db_default is not NOT_PROVIDED


class _Plan:
    """What `insert_rows` needs to know about a model on a database, worked out once per process."""

    __slots__ = ("columns", "table", "pk", "auto_pk", "relations", "generic", "always")

    def __init__(self, model: type[Model], alias: str) -> None:
        quote = connections[alias].ops.quote_name
        meta = model._meta
        if meta.parents:
            raise TypeError(f"insert_rows writes single-table models only, not {meta.label}")
        self.auto_pk = meta.pk.get_internal_type() in ("AutoField", "BigAutoField", "SmallAutoField")
        self.columns = tuple(_Column(f, quote) for f in meta.concrete_fields
                             if not (f.primary_key and self.auto_pk))
        self.table, self.pk = quote(meta.db_table), quote(cast(str, meta.pk.column))
        self.relations = tuple(c for c in self.columns if c.field.is_relation)
        # Columns with a database default are always written (leaving one out would not mean NULL).
        self.always = frozenset(i for i, col in enumerate(self.columns) if col.has_db_default)
        self.generic = tuple(f for f in meta.private_fields if f.is_relation and hasattr(f, "fk_field"))


@cache
def _plan(model: type[Model], alias: str) -> _Plan:
    return _Plan(model, alias)


@lru_cache(maxsize=512)  # per set of present columns and number of rows
def _statement(model: type[Model], alias: str, present: tuple[int, ...], rows: int, returning: bool) -> str:
    plan = _plan(model, alias)
    names = ", ".join(plan.columns[i].column for i in present)
    one = "(" + ", ".join(["%s"] * len(present)) + ")"
    sql = f"INSERT INTO {plan.table} ({names}) VALUES {', '.join([one] * rows)}"  # noqa: S608 # nosec B608 # quoted model names, placeholders
    return sql + (f" RETURNING {plan.pk}" if returning else "")


def _link_related(plan: _Plan, obj: Model) -> None:
    """Read the key of a related object assigned before it was saved; refuse an unsaved one (as
    `bulk_create` does, so a nullable link is never written empty by mistake)."""
    for col in plan.relations:
        field = col.field
        if field.is_cached(obj):
            related = field.get_cached_value(obj)
            if related is not None:
                if related.pk is None:
                    raise ValueError(f"insert_rows: unsaved related object {field.name!r}")
                if getattr(obj, col.attname) is None:
                    setattr(obj, col.attname, related.pk)
    for private in plan.generic:
        related = private.get_cached_value(obj, default=None)
        if related is not None and related.pk is None:
            raise ValueError(f"insert_rows: unsaved related object {private.name!r}")


def _values(plan: _Plan, obj: Model, connection: BaseDatabaseWrapper, written: set[int]) -> list[Any]:
    """The row of `obj` in `plan.columns` order, as the driver takes it; adds to `written` the columns
    whose value is not NULL."""
    _link_related(plan, obj)
    row: list[Any] = []
    for i, col in enumerate(plan.columns):
        value = col.field.pre_save(obj, True) if col.pre_save else getattr(obj, col.attname)
        if value is not None:
            written.add(i)
            if type(value) not in col.plain:
                if hasattr(value, "resolve_expression"):  # e.g. a default left to the database
                    raise TypeError(f"insert_rows writes values, not expressions ({col.field.name!r})")
                value = col.field.get_db_prep_save(value, connection)
        row.append(value)
    return row


def insert_rows(objs: Sequence[M], *, using: str | None = None) -> Sequence[M]:
    """Insert `objs` (new, unsaved instances of one model) with one INSERT; set their primary keys.

    Returns `objs`. Related objects assigned before they were saved are read through their key, as
    `bulk_create` does; an unsaved one is refused.
    """
    if not objs:
        return objs
    model = type(objs[0])
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    plan = _plan(model, alias)
    written = set(plan.always)
    rows: list[list[Any]] = []
    for obj in objs:
        if type(obj) is not model:
            raise TypeError("insert_rows writes instances of one model")
        rows.append(_values(plan, obj, connection, written))
    # The columns NULL in every row (and without a database default) are left out.
    present = tuple(sorted(written))
    sql = _statement(model, alias, present, len(rows), plan.auto_pk)
    params = [row[i] for row in rows for i in present]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [r[0] for r in cursor.fetchall()] if plan.auto_pk else []
    if plan.auto_pk and len(ids) != len(objs):  # pragma: no cover - every supported database returns them
        raise RuntimeError("the database did not return the new rows' ids")
    for i, obj in enumerate(objs):
        inserted(obj, ids[i] if plan.auto_pk else obj.pk, using=alias)
    return objs


def insert_statement(obj: Model, *, using: str | None = None, returning: bool = True,
                     upsert: tuple[tuple[str, ...], tuple[str, ...]] | None = None) -> tuple[str, list[Any]]:
    """The INSERT `insert_rows([obj])` runs, with its parameters, for a caller that sends it together with
    another statement (a `WITH`): `returning` the new id or not; `upsert=(unique field names, field names
    to update)` replaces the row that has the same unique values instead (ON CONFLICT … DO UPDATE).
    The caller runs it and then calls `inserted(obj, new_id)`."""
    model = type(obj)
    alias = using or router.db_for_write(model)
    connection = connections[alias]
    plan = _plan(model, alias)
    written = set(plan.always)
    row = _values(plan, obj, connection, written)
    if upsert is not None:  # the columns an upsert updates are always written (NULL replaces a value)
        written.update(i for i, col in enumerate(plan.columns) if col.field.name in upsert[1])
    present = tuple(sorted(written))
    sql = _statement(model, alias, present, 1, returning and plan.auto_pk)
    if upsert is not None:
        def column(name: str) -> str:
            return cast(str, cast(Field, model._meta.get_field(name)).column)

        sql += " " + connection.ops.on_conflict_suffix_sql(
            [plan.columns[i].field for i in present], OnConflict.UPDATE,
            [column(name) for name in upsert[1]], [column(name) for name in upsert[0]])
    return sql, [row[i] for i in present]


def inserted(obj: Model, pk: Any, *, using: str) -> None:
    """Mark `obj` as the row just inserted with primary key `pk` (as save() and bulk_create do)."""
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = using
