"""Many rows of one table written without a model instance per row: `COPY` on PostgreSQL, one prepared INSERT run
for many rows (`executemany`) elsewhere. Values are adapted the way the ORM adapts them (times, dates, JSON,
decimals); plain columns (integers, text, keys) go as they are. For migration-scale writers (the bulk import and
the facts it derives); rows are sequences in the order of `columns` (model attnames)."""

from django.conf import settings
from django.db import connection

# internal types whose Python value the drivers take as it is
PLAIN = frozenset({
    "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
    "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField", "CharField", "TextField",
    "ForeignKey", "OneToOneField", "BooleanField", "SlugField", "EmailField",
})  # fmt: skip


def _datetime_adapter():
    """SQLite stores a time as the naive text of it in the database's zone (`adapt_datetimefield_value`, without its
    per-call settings and zone look-ups); PostgreSQL's driver takes aware datetimes as they are."""
    if connection.vendor == "postgresql":
        return None
    ops = connection.ops
    if connection.vendor != "sqlite" or not settings.USE_TZ:
        return ops.adapt_datetimefield_value
    tz = connection.timezone
    done = {}  # an instant appears in several columns and rows (a step's start, its deadline): converted once

    def adapt(value):
        if value is None or hasattr(value, "resolve_expression"):
            return value
        if value.utcoffset() is None:  # naive: as the ORM does (warning, then the default zone)
            return ops.adapt_datetimefield_value(value)
        # equal aware datetimes are the same instant (one zone: the same wall time, told apart by `fold` in a
        # repeated hour), so the same text
        key = (value, value.fold)
        text = done.get(key)
        if text is None:
            text = done[key] = str(value.astimezone(tz).replace(tzinfo=None))
        return text

    return adapt


def adapters(model, columns):
    """Per column: None (the value goes as it is) or a function adapting it for the database."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    ops = connection.ops
    postgres = connection.vendor == "postgresql"
    out, datetimes = [], None
    for name in columns:
        f = fields[name]
        kind = f.get_internal_type()
        if kind in PLAIN or (postgres and kind == "DateField"):
            out.append(None)
        elif kind == "FloatField":
            out.append(lambda v: None if v is None else float(v))
        elif kind == "DateTimeField":
            datetimes = datetimes or _datetime_adapter()  # one for the columns, sharing its conversions
            out.append(datetimes)
        elif kind == "DateField":
            out.append(lambda v: None if v is None else str(v))
        elif kind == "JSONField":
            out.append(lambda v, f=f: None if v is None else ops.adapt_json_value(v, f.encoder))
        else:
            out.append(
                lambda v, f=f: None if v is None else f.get_db_prep_value(v, connection, prepared=False)
            )
    return out


def insert_rows(model, columns, rows) -> None:
    """Insert `rows` (sequences of values in `columns` order) into `model`'s table in the current transaction."""
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    names = ", ".join(ops.quote_name(c) for c in columns)
    adapt = [(i, a) for i, a in enumerate(adapters(model, columns)) if a is not None]
    if adapt:
        adapted = []
        for row in rows:
            row = list(row)
            for i, a in adapt:
                row[i] = a(row[i])
            adapted.append(row)
        rows = adapted
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})", rows
            )
