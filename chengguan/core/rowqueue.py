"""The batch of a `deferred()` block: INSERTs that read nothing back, and reads whose rows the caller takes later,
sent in ONE round trip (PostgreSQL) when the block ends, or before any other statement runs on the connection in
the block (a read always sees the rows written before it; an error surfaces at that statement, inside the caller's
transaction): psycopg's pipeline (`core.pipeline`), each statement bound on the server and prepared on the
connection, so that the server parses and plans each shape once per connection. `core.rowinsert` queues its rows
here; `rowinsert.insert_last` sends the batch with its last statement (and, owning the transaction, the COMMIT).

A key the database takes in the same round trip (a sequence's `nextval`, read by `queue_read`) is used by the
rows after it as a `Later` (its `currval`): the live intake's keys, rows, case and commit are one round trip.
Elsewhere (SQLite, another alias) `deferred()` changes nothing and a read runs at once."""

import threading
from contextlib import contextmanager

from django.db import connections, transaction

from . import pipeline

_queue = threading.local()  # .rows: [(sql, params, receive)] while a deferred() block of this thread is open


class Later:
    """A value the statement computes (`sql`: an expression such as a sequence's `currval`), for a key taken in
    the same round trip as the rows that use it; its `value` is set when a queued read returns it
    (`queue_read`). Written into the SQL in place of its placeholder; the statement's shape is kept per
    expression, so the server still prepares it once."""

    __slots__ = ("sql", "value")

    def __init__(self, sql: str):
        self.sql, self.value = sql, None


_bound_sql: dict = {}


def bound(sql: str, params: list) -> tuple[str, list]:
    """The statement with each `Later` parameter's expression in place of its `%s`."""
    at = [i for i, p in enumerate(params) if type(p) is Later]
    if not at:
        return sql, params
    key = (sql, tuple((i, params[i].sql) for i in at))
    built = _bound_sql.get(key)
    if built is None:
        pieces, later = sql.split("%s"), dict(key[1])
        built = pieces[0] + "".join(later.get(i, "%s") + piece for i, piece in enumerate(pieces[1:]))
        _bound_sql[key] = built
    return built, [p for p in params if type(p) is not Later]


def queued(connection, sql, params) -> bool:
    """Queue the statement when this thread's `deferred()` block is open (PostgreSQL); whether it was."""
    rows = getattr(_queue, "rows", None)
    if rows is None or connection.vendor != "postgresql":
        return False
    rows.append((*bound(sql, params), None))
    return True


def queue_read(sql: str, params: list, receive, *, using: str = "default") -> None:
    """A read sent with this thread's `deferred()` queue, in its order (PostgreSQL; elsewhere, or outside a block,
    now): `receive(rows)` is called with its rows once the round trip returns — a key the statements after it
    use as a `Later` (`currval`), say."""
    rows = getattr(_queue, "rows", None)
    if rows is not None and connections[using].vendor == "postgresql":
        rows.append((sql, params, receive))
        return
    with transaction.mark_for_rollback_on_error(using), connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        receive(cursor.fetchall())


def pending() -> bool:
    """Whether this thread's `deferred()` block has statements waiting."""
    return bool(getattr(_queue, "rows", None))


def send(connection, final: tuple[str, list] | None = None, commit: bool = False):
    """Send the queued rows and reads (and `final`, a statement whose one row is read: returned, or None; and with
    `commit` the COMMIT) in one round trip; each queued read's rows go to its receiver."""
    rows = getattr(_queue, "rows", None)
    entries = list(rows or ())
    if final is not None:
        entries.append((*final, None))
    if not entries:
        return None
    if rows is not None:
        _queue.rows = None  # without a pipeline, the flush's statements go through the wrapper below
    statements = [(sql, params) for sql, params, _receive in entries]
    wanted = [receive is not None for _sql, _params, receive in entries]
    if final is not None:
        wanted[-1] = True  # (its row is returned, not received)
    try:
        if pipeline.supported(connection):
            # one round trip, each statement prepared on the connection: the server parses and plans each
            # shape once per connection instead of on every report
            results = pipeline.run(connection, statements, read=wanted, commit=commit)
        else:
            results = []
            with transaction.mark_for_rollback_on_error(connection.alias), connection.cursor() as cursor:
                for (sql, params), read in zip(statements, wanted, strict=True):
                    cursor.execute(sql, params)
                    results.append(cursor.fetchall() if read else None)
                if commit:
                    cursor.execute("COMMIT")
    finally:
        if rows is not None:
            rows.clear()
            _queue.rows = rows
    for (_sql, _params, receive), result in zip(entries, results, strict=True):
        if receive is not None:
            receive(result)
    if final is not None:
        return results[-1][0] if results[-1] else None
    return None


def flush(using: str = "default") -> None:
    """Send the rows queued in this thread's `deferred()` block now (a read about to bypass the ORM's cursor)."""
    if getattr(_queue, "rows", None):
        send(connections[using])


def fetch(statements: list[tuple[str, list]], *, using: str = "default") -> list[list[tuple]]:
    """Each statement's rows: the statements read in one round trip (with the rows this thread's `deferred()`
    block queued before them, which they see), or elsewhere one after the other (`queue_read`)."""
    results: list = []
    with deferred(using):
        for sql, params in statements:
            queue_read(sql, params, results.append, using=using)
        flush(using)
    return results


@contextmanager
def deferred(using: str = "default"):
    """Send the block's INSERTs that read nothing back in one round trip (PostgreSQL; module docstring)."""
    connection = connections[using]
    if connection.vendor != "postgresql" or using != "default" or getattr(_queue, "rows", None) is not None:
        yield
        return

    def flush_first(execute, sql, params, many, context):
        if _queue.rows:
            send(connection)
        return execute(sql, params, many, context)

    _queue.rows = []
    try:
        with connection.execute_wrapper(flush_first):
            yield
            send(connection)
    finally:
        _queue.rows = None
