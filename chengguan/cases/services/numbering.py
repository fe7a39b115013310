"""Case numbers and the intake's keys: the city's year counter, gap-free and never twice.

`allocate_number` takes the next number under the counter row's lock (the import, the photo path, SQLite). The
live intake on PostgreSQL instead reads its keys first (`keys_ahead`, with the answer's duplicate search, one
pipelined round trip) and takes the number in its case's own INSERT, the last statement of its batch
(`insert_numbered`), so the counter row is locked for that statement and the commit only."""

from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from chengguan.core import rowinsert, rowqueue

from .. import conf
from ..duplicates import search_ahead
from ..models import Case, CaseCounter


def _formatted(last: str) -> str:
    """SQL of the number whose counter value is the expression `last`, after the `%s` of its `PREFIXYEAR-` —
    what `f"{prefix}{year}-{last:06d}"` gives."""
    return f"%s || CASE WHEN {last} < 1000000 THEN lpad({last}::text, 6, '0') ELSE {last}::text END"


def allocate_number(at: datetime) -> str:
    """The next number of the city's year (`KF2026-000123`), taken under a row lock: never twice.

    One statement on PostgreSQL (the counter's UPDATE … RETURNING, with the check that an imported case does not
    hold the number already); elsewhere an UPDATE … RETURNING and the check. The year's counter row is created on
    its first use. (The live intake on PostgreSQL takes it in its case's INSERT instead: `insert_numbered`.)"""
    prefix = conf.number_prefix()
    year = timezone.localtime(at).year
    table, cases = CaseCounter._meta.db_table, Case._meta.db_table
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        while True:
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"WITH c AS (UPDATE {table} SET last = last + 1 WHERE prefix = %s AND year = %s "
                    f"RETURNING last) SELECT c.last, EXISTS(SELECT 1 FROM {cases} WHERE number = "
                    f"{_formatted('c.last')}) FROM c",
                    [prefix, year, f"{prefix}{year}-"],
                )
                row = cursor.fetchone()
                taken = row[1] if row else False
            else:
                cursor.execute(
                    f"UPDATE {table} SET last = last + 1 WHERE prefix = %s AND year = %s RETURNING last",
                    [prefix, year],
                )
                row = cursor.fetchone()
                taken = None
            if row is None:
                CaseCounter.objects.get_or_create(prefix=prefix, year=year)  # the year's first case
                continue
            number = f"{prefix}{year}-{row[0]:06d}"
            if taken is None:
                taken = Case.objects.filter(number=number).exists()
            if not taken:  # an imported case may hold it already: take the next
                return number


# (table, key column) -> the sequence behind the key (PostgreSQL), read once per process
_sequences: dict = {}


def _sequence(model) -> str:
    key = (model._meta.db_table, model._meta.pk.column)
    if key not in _sequences:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", list(key))
            _sequences[key] = cursor.fetchone()[0]
    return _sequences[key]


def keys_ahead(case: Case, models: tuple, search, *, later: bool = False) -> list:
    """The next key of each of `models` (PostgreSQL) and, with `search` ((reader, fields)), the answer's duplicate
    search for the case about to be written (`case.duplicates`): one round trip with the transaction's BEGIN
    (`core.rowqueue.fetch`), before any row is written.

    `later` (in a `rowqueue.deferred()` block, nothing queued yet): no round trip of its own — the keys are
    taken by the batch's first statement and the search is its second, both sent with the rows; each key is a
    `rowqueue.Later` (the sequence's `currval` in the rows' statements), its `value` set once the batch
    returns."""
    names = [_sequence(m) for m in models]  # read once per process
    statements = [("SELECT " + ", ".join(f"nextval('{name}')" for name in names), [])]
    ahead = search_ahead(case, *search) if search is not None else None
    if ahead is not None:
        statements.append(ahead[:2])
    if later:
        keys = [rowqueue.Later(f"currval('{name}')") for name in names]

        def taken(rows):
            for key, value in zip(keys, rows[0], strict=True):
                key.value = value

        rowqueue.queue_read(*statements[0], taken)
        if ahead is not None:
            rowqueue.queue_read(*ahead[:2], lambda rows: setattr(case, "duplicates", ahead[2](rows)))
        return keys
    results = rowqueue.fetch(statements)
    if ahead is not None:
        case.duplicates = ahead[2](results[1])
    return list(results[0][0])


def insert_numbered(case: Case, at: datetime, *, commit: bool = False) -> None:
    """INSERT the case as the last statement of the intake's batch (PostgreSQL), its number taken from the year's
    counter in that statement: the counter row is locked from there to the commit, not while the Python builds
    the event and fact rows (with two workers, that wait was a third of a report's time). A number an imported
    case holds is skipped (nothing is inserted; the statement runs again with the next); the year's counter row
    is created on its first use. `commit` (the intake owns its transaction): the COMMIT goes with the statement
    (`rowinsert.insert_last`); a statement that inserted nothing then raises `rowinsert.NotCommitted` instead
    (nothing was written), and the intake runs again without it."""
    prefix = conf.number_prefix()
    year = timezone.localtime(at).year
    source = (
        f"n AS (UPDATE {CaseCounter._meta.db_table} SET last = last + 1 WHERE prefix = %s AND year = %s "
        f"RETURNING {_formatted('last')} AS number)",
        [prefix, year, f"{prefix}{year}-"],
    )
    (case.number,) = rowinsert.insert_last(
        case,
        source=source,
        columns={"number": "n.number"},
        where=f"NOT EXISTS (SELECT 1 FROM {Case._meta.db_table} c WHERE c.number = n.number)",
        returning="number",
        retry=lambda: CaseCounter.objects.get_or_create(prefix=prefix, year=year),
        commit=commit,
    )
