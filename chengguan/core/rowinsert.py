"""One new model row INSERTed by a statement built once per model (the live write path's wide rows: a case has ~45
columns, its event and fact rows ~20–50).

`insert(instance)` does what `instance.save()` does for a new instance — `pre_save`, each field's own `pre_save`
(`auto_now`, `auto_now_add`, …), the related objects' keys, the INSERT, the primary key read back, the instance's
state, `post_save` — but the statement (table, columns, `RETURNING`) is built on the first call per model and
process, and each value is adapted by a function chosen once per column: plain values (text, integers, booleans,
keys of the matching type; dates and aware times on PostgreSQL) go as they are, as the ORM's `get_db_prep_save`
passes them on; anything else (times on SQLite, JSON, floats, a lazy text, an integer given as text) goes through
`get_db_prep_save` itself. `cases/tests/test_rowinsert.py` compares the stored rows with `save()`'s on both
engines. The default database only (another alias is saved by `save()`).

Always an INSERT (like `create()`, `save(force_insert=True)`): the primary key is the database's (an auto field
left empty, read back by `RETURNING`, or not read back with `key=False`) or the instance's own.

**One round trip for several rows** (`rowqueue.deferred()`, PostgreSQL): inside the block a row that reads
nothing back (its key given, or `key=False`) is queued instead of sent (`core.rowqueue`), and `insert_last` adds
the batch's last statement, whose row is read back (the intake's case, numbered in that statement). A value may be
a `rowqueue.Later` (a key the batch takes: its expression goes into the statement). Models it cannot write this
way (multi-table inheritance, proxies, database defaults, generated columns) are saved by
`save(force_insert=True)`; a value that is an SQL expression is compiled by the ORM."""

from datetime import date, datetime

from django.db import IntegrityError, connections, transaction
from django.db.models import AutoField, BigAutoField, DateField, Field, SmallAutoField, signals

from .rowqueue import Later, bound, pending, queued, send

TEXT = (str,)
INTEGER = (int,)
BOOLEAN = (bool,)
EXACT = {
    "CharField": TEXT, "TextField": TEXT, "SlugField": TEXT, "EmailField": TEXT,
    "IntegerField": INTEGER, "BigIntegerField": INTEGER, "SmallIntegerField": INTEGER,
    "PositiveIntegerField": INTEGER, "PositiveSmallIntegerField": INTEGER, "PositiveBigIntegerField": INTEGER,
    "AutoField": INTEGER, "BigAutoField": INTEGER, "SmallAutoField": INTEGER, "BooleanField": BOOLEAN,
}  # fmt: skip
AUTO = (AutoField, BigAutoField, SmallAutoField)

_plans: dict = {}


class _Fallback(Exception):
    pass


def _own_pre_save(field) -> bool:
    """Whether the field's `pre_save` does more than read the attribute."""
    if isinstance(field, DateField):
        return bool(field.auto_now or field.auto_now_add)
    return type(field).pre_save is not Field.pre_save


def _adapter(field, connection):
    """A function of the value: as it is when its type is one the ORM passes on unchanged, else the ORM's own
    adaptation (`get_db_prep_save`)."""
    target = field.target_field if field.is_relation else field
    kind = target.get_internal_type()
    exact = EXACT.get(kind)
    prep = field.get_db_prep_save

    def orm(value):
        if type(value) is Later:
            return value  # written into the statement (`rowqueue.bound`)
        if hasattr(value, "resolve_expression"):
            raise _Fallback
        return prep(value, connection)

    if exact is None and connection.vendor == "postgresql":
        # psycopg takes dates and aware times as they are (what `adapt_date[time]field_value` returns there)
        if kind == "DateField":
            return lambda value: value if value is None or type(value) is date else orm(value)
        if kind == "DateTimeField":
            return lambda value: (
                value if value is None or type(value) is datetime and value.tzinfo else orm(value)
            )
    if exact is None:
        return orm
    return lambda value: value if value is None or type(value) in exact else orm(value)


def _plan(model, connection, given_pk: bool, read_key: bool = True, before: str | None = None):
    """(sql, [(attname, adapt)], fields with their own pre_save, the generated key's attname or None), or False.
    `before`: a statement made a CTE of the INSERT, its value returned after the key (PostgreSQL, key read)."""
    key = (model, connection.alias, connection.vendor, given_pk, read_key, before)
    plan = _plans.get(key)
    if plan is not None:
        return plan
    meta = model._meta
    pk = meta.pk
    supported = (
        not meta.parents
        and not meta.proxy
        and (
            given_pk
            or isinstance(pk, AUTO) and (not read_key or connection.features.can_return_columns_from_insert)
        )
        and not any(f.has_db_default() or f.generated for f in meta.concrete_fields)
    )
    if not supported:
        _plans[key] = False
        return False
    fields = [f for f in meta.concrete_fields if given_pk or f is not pk]
    ops = connection.ops
    returning = "" if given_pk or not read_key else " " + ops.return_insert_columns([pk])[0]
    sql = "INSERT INTO {} ({}) VALUES ({}){}".format(
        ops.quote_name(meta.db_table),
        ", ".join(ops.quote_name(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
        returning,
    )
    if before is not None:
        sql = f"WITH before AS ({before}) {sql}, (SELECT * FROM before)"
    columns = [(f.attname, _adapter(f, connection)) for f in fields]
    pre_save = [f for f in fields if _own_pre_save(f)]
    plan = _plans[key] = (sql, columns, pre_save, None if given_pk or not read_key else pk.attname)
    return plan


def insert(instance, *, using: str = "default", key: bool = True, before: tuple[str, list] | None = None):
    """INSERT the new `instance` as `instance.save(force_insert=True)` would (signals and all); a primary key
    the database generates is set on it after, unless `key=False` (the caller never reads it: the key stays
    None, and in a `deferred()` block the row can wait for the others).

    `before`: (sql, params) of a statement returning one value that must run with the row (Open311's rate
    counter): on PostgreSQL a CTE of the INSERT (one statement, one round trip), elsewhere a statement of its own
    just before it. Returns that value (None without `before`)."""
    model = type(instance)
    connection = connections[using]
    given = getattr(instance, model._meta.pk.attname) is not None
    read_key = key or given
    joined = before is not None and connection.vendor == "postgresql" and read_key and not given
    plan = using == "default" and _plan(model, connection, given, read_key, before[0] if joined else None)
    if not plan:
        value = _run_before(connection, before)
        instance.save(using=using, force_insert=True)
        return value
    if not joined:
        value = _run_before(connection, before)
    sql, columns, pre_save_fields, pk_name = plan
    _announce(instance, pre_save_fields, using)
    values = instance.__dict__
    try:
        params = [adapt(values[name]) for name, adapt in columns]
    except _Fallback:  # an SQL expression as a value: the ORM compiles the INSERT (pre_save was sent)
        if joined:
            value, joined = _run_before(connection, before), False
        with transaction.mark_for_rollback_on_error(using):
            instance._save_table(raw=False, cls=model, force_insert=True, using=using)
    else:
        if pk_name is not None or not queued(connection, sql, params):
            with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
                cursor.execute(*bound(sql, before[1] + params if joined else params))
                if pk_name is not None:
                    row = cursor.fetchone()
                    values[pk_name] = row[0]
                    if joined:
                        value = row[1]
    _stored(instance, using)
    return value


def _announce(instance, pre_save_fields, using) -> None:
    """What `save()` does before its INSERT: the related keys, `pre_save`, each field's own `pre_save`."""
    instance._prepare_related_fields_for_save(operation_name="save")
    signals.pre_save.send(sender=type(instance), instance=instance, raw=False, using=using, update_fields=None)
    for field in pre_save_fields:
        field.pre_save(instance, True)


def _stored(instance, using) -> None:
    """What `save()` does after its INSERT: the instance's state, `post_save`."""
    instance._state.adding = False
    instance._state.db = using
    signals.post_save.send(
        sender=type(instance), instance=instance, created=True, update_fields=None, raw=False, using=using
    )


_fields_by_attname: dict = {}  # model -> {attname: field}


def insert_values(model, values: dict, *, using: str = "default") -> None:
    """`insert(model(**values), key=False)` without building the instance: `values` by attname, a missing field
    takes its default, no key is read back. Only when nothing listens to the model's save signals and no field
    has a `pre_save` of its own (the evaluation's fact rows, ~40–50 columns each, written with every report);
    otherwise, and for a value `insert` would hand to the ORM, exactly that call."""
    connection = connections[using]
    given = values.get(model._meta.pk.attname) is not None  # a key of its own (CaseFact's is its case's)
    plan = using == "default" and _plan(model, connection, given, False)
    fields = _fields_by_attname.get(model)
    if fields is None:
        fields = _fields_by_attname[model] = {f.attname: f for f in model._meta.concrete_fields}
    if (
        not plan
        or plan[2]
        or signals.pre_save.has_listeners(model)
        or signals.post_save.has_listeners(model)
        or not values.keys() <= fields.keys()
    ):
        insert(model(**values), using=using, key=False)
        return
    sql, columns, _pre_save, _pk = plan
    try:
        params = [
            adapt(values[name] if name in values else fields[name].get_default()) for name, adapt in columns
        ]
    except _Fallback:
        insert(model(**values), using=using, key=False)
        return
    if not queued(connection, sql, params):
        with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
            cursor.execute(*bound(sql, params))


class NotCommitted(Exception):
    """`insert_last(commit=True)`: the COMMIT sent with the last statement failed — the statement inserted nothing
    (a queued row's deferred foreign key to it then fails the commit) or the database refused a row. The whole
    transaction is rolled back; the caller may run it again without `commit`."""


def insert_last(instance, *, source: tuple[str, list], columns: dict[str, str], where: str, returning: str, retry,
                commit: bool = False):
    """INSERT the new `instance` (its key given; PostgreSQL) as the LAST statement of the block's batch, some of its
    columns taken from a row `source` (`("name AS (statement)", params)`: a CTE, read as `name`) under `where`,
    and return the `returning` row. The queued rows and this one go in one round trip.

    What it is for: a value that must be taken under a lock held until the transaction ends (the case number:
    the year's counter row) is taken by the batch's last statement, so the lock is held for that statement and
    the commit, not for the Python that builds the other rows. When the statement inserts nothing (`source` gave
    no row, or `where` refused it), `retry()` is called and the statement sent again; `retry` raises to give up.
    `pre_save` is sent once, before; `post_save` once the row is written.

    `commit=True` (the caller's atomic block is the outermost: it owns the transaction): the COMMIT goes in the
    same round trip, so the lock is held for the statement and the commit, and the transaction ends one round
    trip sooner. There is no retry then: the queued rows must include one that references `instance` through a
    deferred foreign key (PostgreSQL's default for Django's), so that a statement that inserted nothing fails the
    commit, and `NotCommitted` is raised (nothing was written). With a `post_save` receiver of the model (it may
    write in the transaction) the COMMIT stays the atomic block's, as without `commit`."""
    model = type(instance)
    connection = connections["default"]
    plan = _plan(model, connection, True)
    if connection.vendor != "postgresql" or not plan or getattr(instance, model._meta.pk.attname) is None:
        raise ValueError("insert_last writes a model rowinsert supports, its key given, on PostgreSQL")
    name, params = source
    sql, fields = _last_plan(model, connection, name, tuple(columns.items()), where, returning)
    _sql, plan_columns, pre_save_fields, _pk = plan
    _announce(instance, pre_save_fields, "default")
    values = instance.__dict__
    try:
        taken = [adapt(values[attname]) for attname, adapt in plan_columns if attname in fields]
    except _Fallback:
        raise ValueError("insert_last takes values, not SQL expressions") from None
    statement = bound(sql, list(params) + taken)
    # a post_save receiver's writes belong in the transaction: with one listening, the commit stays the block's
    commit = commit and not signals.post_save.has_listeners(model)
    if commit:
        if len(connection.atomic_blocks) != 1 or not pending():
            raise ValueError("insert_last commits the outermost transaction, with queued rows that reference the row")
        try:
            row = send(connection, final=statement, commit=True)
        except IntegrityError as exc:
            raise NotCommitted(str(exc)) from exc
        if row is None:  # (nothing referenced it: the caller broke the rule above)
            raise RuntimeError(f"{model.__name__}: committed without the last statement's row")
    else:
        while (row := send(connection, final=statement)) is None:
            retry()
    _stored(instance, "default")
    return row


def _last_plan(model, connection, name, columns, where, returning):
    key = ("last", model, name, columns, where, returning)
    built = _plans.get(key)
    if built is None:
        meta, replaced = model._meta, dict(columns)
        fields = meta.concrete_fields
        ops = connection.ops
        sql = "WITH {} INSERT INTO {} ({}) SELECT {} FROM {} WHERE {} RETURNING {}".format(
            name,
            ops.quote_name(meta.db_table),
            ", ".join(ops.quote_name(f.column) for f in fields),
            ", ".join(replaced.get(f.attname) or f"%s::{_cast(f, connection)}" for f in fields),
            name.split(" AS ", 1)[0].strip(),
            where,
            returning,
        )
        built = _plans[key] = (sql, frozenset(f.attname for f in fields if f.attname not in replaced))
    return built


def _cast(field, connection) -> str:
    """The type a value bound on the server is cast to in an INSERT … SELECT (a select list does not take its
    types from the target columns, as VALUES does): text for text columns (the column's own length is checked
    when the row is stored, where a cast to varchar(n) would cut the value), the column's type otherwise."""
    target = field.target_field if field.is_relation else field
    if EXACT.get(target.get_internal_type()) is TEXT:
        return "text"
    return field.db_type(connection)


def _run_before(connection, before):
    if before is None:
        return None
    with transaction.mark_for_rollback_on_error(connection.alias), connection.cursor() as cursor:
        cursor.execute(*before)
        return cursor.fetchone()[0]
