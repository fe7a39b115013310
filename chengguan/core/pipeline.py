"""Several reads in one round trip (PostgreSQL): psycopg's pipeline mode, each statement prepared on the connection.

`run(connection, [(sql, params), …], read=[…])` sends the statements (`core.rowqueue` sends its batches and its
reads with it). On PostgreSQL the statements — and the `BEGIN` of the
caller's transaction when it has not started yet — go to the server together, with one sync, bound on the server
(`%s` becomes `$n`) and prepared on the connection the first time (psycopg keeps the last 100 per connection):
from then on the server does not parse it again, and plans it again only while a custom plan pays (PostgreSQL's
plan cache). The live intake sends its keys, the answer's duplicate search, its rows and its COMMIT this way, in
one round trip.

Elsewhere (SQLite, or a psycopg without pipeline support) each statement runs through the ORM's cursor, one
after the other. Either way a statement is logged like the ORM's own (`connection.queries` when queries are
logged: the tests' query counts see them), and a database error surfaces as Django's (`IntegrityError`, …) and
marks the caller's atomic block for rollback.

The statements are the caller's own SQL with `%s` placeholders and plain values (text, numbers, times, None):
server-side binding sends each value with its type, so a placeholder whose type PostgreSQL cannot infer (a bare
`%s` in a select list, say) needs a cast in the SQL."""

import time

from django.db import transaction

_rounds = [0]  # pipelines logged in this process (their statements are marked with it)
MARK = " -- pipeline "  # a logged statement: "<sql> -- pipeline <round trip> params <params>"
_pipelines: list = []  # [whether this psycopg can pipeline], found on first use


def supported(connection) -> bool:
    """Whether `run` can be used on this connection (PostgreSQL, a psycopg that can pipeline)."""
    if connection.vendor != "postgresql":
        return False
    if not _pipelines:
        import psycopg

        _pipelines.append(psycopg.Pipeline.is_supported())
    return _pipelines[0]


def run(connection, statements: list[tuple[str, list]], *, read: list[bool], commit: bool = False) -> list:
    """The statements in one pipeline (PostgreSQL with pipeline support: `supported`), each prepared; returns the
    rows of each statement flagged in `read` (one flag per statement), None for the others. `commit`: the
    transaction's COMMIT goes in the same round trip, after them (the caller owns the transaction: Django's
    commit at the end of its atomic block then finds none open)."""
    import psycopg

    connection.ensure_connection()
    raw = connection.connection
    start = time.monotonic()
    if commit:
        statements = [*statements, ("COMMIT", [])]
    try:
        with transaction.mark_for_rollback_on_error(connection.alias), connection.wrap_database_errors:
            cursors = [psycopg.Cursor(raw) for _ in statements]
            try:
                with raw.pipeline():
                    for cursor, (sql, params) in zip(cursors, statements, strict=True):
                        cursor.execute(sql, params, prepare=sql != "COMMIT")
                answering = cursors[:-1] if commit else cursors
                results = [c.fetchall() if r else None for c, r in zip(answering, read, strict=True)]
            finally:
                for cursor in cursors:
                    cursor.close()
    finally:
        if connection.queries_logged:  # as Django's debug cursor logs (a failed round trip too), each marked
            duration = time.monotonic() - start
            _rounds[0] += 1
            for sql, params in statements:
                connection.queries_log.append({
                    "sql": f"{sql}{MARK}{_rounds[0]} params {params!r}",
                    "time": f"{duration / len(statements):.3f}",
                })
    return results


def logged_round(sql: str) -> tuple[str, int] | None:
    """The statement and its round trip of an entry `run` logged in `connection.queries`; None for any other."""
    if MARK not in sql:
        return None
    statement, rest = sql.rsplit(MARK, 1)
    return statement, int(rest.split(" ", 1)[0])
