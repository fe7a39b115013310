"""Refreshing the rollups (`rollups`): a month or a set of days of one or more variants recomputed from the facts
and stored, in one transaction that first deletes the change rows it can see (a writer that commits later keeps
its row, so the month or day stays stale), under the month's advisory lock (PostgreSQL; SQLite serialises
writers): the refresh that does not get it reads the facts and stores nothing. Consuming a day's change rows drops
every rollup stored for that day (any variant) and its month's; consuming a month's drops the month's and its
days'. See docs/evaluation.md, *Rollups*.
"""

from datetime import date

from django.db import DatabaseError, connection, transaction

from .indicators.engine import PREFIX, per_member
from .models import FactChange, RollupDay, RollupDayRow, RollupMonth, RollupRow

LOCK_CLASS = 0x524F4C4C  # "ROLL": advisory lock namespace, object id = yyyymm


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _db_date(value: date):
    return RollupRow._meta.get_field("month").get_db_prep_value(value, connection)


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _rollup_qs(source, opts):
    """The source's facts as a rollup stores them: its stored group, its filter and the measures that are not
    live (annotations)."""
    where = source.rollup_filter if source.rollup_filter is not None else source.filter
    measures = {PREFIX + k: v for k, v in source.measures(opts).items() if k not in source.live}
    return source.model.objects.filter(where), source.rollup_group or source.group, measures


def _stored_form(row: dict) -> dict:
    return {k.removeprefix(PREFIX): v or 0 for k, v in row.items()}


def compute(sources, start: date, end: date, opts) -> list[tuple]:
    """(source index, stored key, measures) of the days [start, end), from the facts, without the live measures."""
    out = []
    for index, source in enumerate(sources):
        qs, group, measures = _rollup_qs(source, opts)
        qs = qs.filter(**{f"{source.date_field}__gte": start, f"{source.date_field}__lt": end})
        for member, row in per_member(qs, group, measures):
            out.append((index, member, _stored_form(row)))
    return out


def compute_days(sources, days: list[date], opts) -> dict:
    """{day: [(source index, stored key, measures), …]} of each day, one query per source grouped by day."""
    out = {d: [] for d in days}
    first, last = min(days), max(days)
    for index, source in enumerate(sources):
        qs, group, measures = _rollup_qs(source, opts)
        field = source.date_field
        qs = qs.filter(**{f"{field}__gte": first, f"{field}__lte": last})
        if len(days) <= (last - first).days:  # not a run of consecutive days
            qs = qs.filter(**{f"{field}__in": days})
        for row in qs.values(field, group).annotate(**measures).order_by():
            day, member = row.pop(field), row.pop(group)
            if member is not None:
                out[day].append((index, member, _stored_form(row)))
    return out


def _flat(by_day: dict) -> list[tuple]:
    return [row for rows in by_day.values() for row in rows]


def _locked(month: date) -> bool:
    """The month's lock (its refresh and the refreshes of its days), for this transaction, if free."""
    if connection.vendor != "postgresql":
        return True  # SQLite: the DELETE below takes the database's write lock
    with connection.cursor() as cur:
        cur.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_CLASS, month.year * 100 + month.month])
        return cur.fetchone()[0]


def _drop_stored_month(month: date) -> None:
    """The month's monthly rollups, every variant."""
    if RollupMonth.objects.filter(month=month).delete()[0]:
        RollupRow.objects.filter(month=month).delete()  # stored with their RollupMonth, or not at all


def _drop_month(month: date) -> None:
    """Every rollup stored for the month, monthly and daily (their change rows are being consumed)."""
    _drop_stored_month(month)
    _drop_days(RollupDay.objects.filter(day__gte=month, day__lt=next_month(month)))


def _drop_days(stored) -> None:
    """Drop the stored days of a RollupDay queryset, every variant, with their rows."""
    days = sorted(set(stored.values_list("day", flat=True)))
    if days:
        RollupDayRow.objects.filter(day__in=days).delete()
        RollupDay.objects.filter(day__in=days).delete()


def refresh(month: date, variants: list[tuple]) -> list[tuple]:
    """Recompute one month of the variants ((key, sources, opts), …) from the facts and store them when nobody
    else is doing so; returns the first variant's rows."""
    key, sources, opts = variants[0]
    end = next_month(month)
    try:
        with transaction.atomic():
            if not _locked(month):
                return compute(sources, month, end, opts)
            # First forget the changes this transaction can see: the facts read below include them. A writer
            # that commits after this statement keeps its change row, so the month stays stale.
            changed, _ = FactChange.objects.filter(month=month).delete()
            if changed:
                _drop_month(month)
            elif RollupMonth.objects.filter(key=key, month=month).exists():  # stored meanwhile
                return list(
                    RollupRow.objects.filter(key=key, month=month).values_list("source", "member", "measures")
                )
            first = None
            for k, srcs, o in variants:
                rows = compute(srcs, month, end, o)
                first = rows if first is None else first
                RollupMonth.objects.create(key=k, month=month)
                RollupRow.objects.bulk_create(
                    [RollupRow(key=k, month=month, source=i, member=m, measures=v) for i, m, v in rows],
                    batch_size=2000,
                )
            return first
    except DatabaseError:  # a concurrent refresh or a busy SQLite: read the facts, store nothing
        return compute(sources, month, end, opts)


def _consume_days(days: list[date]) -> set:
    """Delete the change rows of the days that this transaction can see; the days they named."""
    marks = ", ".join(["%s"] * len(days))
    with connection.cursor() as cur:
        cur.execute(
            f"DELETE FROM evaluation_factchange WHERE day IN ({marks}) RETURNING day",
            [_db_date(d) for d in days],
        )
        return {_as_date(row[0]) for row in cur.fetchall()}


def refresh_days(month: date, days: list[date], variants: list[tuple]) -> list[tuple]:
    """Recompute days of one month for the variants from the facts (one query per source for all the days) and
    store them when nobody else is refreshing the month; returns the first variant's rows of those days."""
    key, sources, opts = variants[0]
    try:
        with transaction.atomic():
            if not _locked(month):
                return _flat(compute_days(sources, days, opts))
            changed = _consume_days(days)  # as in `refresh`: forget first, then read the facts
            if changed:  # every rollup stored for a changed day is dropped, its month's too (if any)
                _drop_days(RollupDay.objects.filter(day__in=changed))
                _drop_stored_month(month)
            first = None
            for k, srcs, o in variants:
                stored = set(RollupDay.objects.filter(key=k, day__in=days).values_list("day", flat=True))
                todo = [d for d in days if d not in stored]
                computed = compute_days(srcs, todo, o) if todo else {}
                RollupDay.objects.bulk_create([RollupDay(key=k, day=d) for d in todo])
                RollupDayRow.objects.bulk_create(
                    [
                        RollupDayRow(key=k, day=d, source=i, member=m, measures=v)
                        for d, rows in computed.items()
                        for i, m, v in rows
                    ],
                    batch_size=2000,
                )
                if first is None:  # days stored meanwhile by another refresh are read back
                    first = _flat(computed) + list(
                        RollupDayRow.objects.filter(key=k, day__in=stored).values_list(
                            "source", "member", "measures"
                        )
                    )
            return first
    except DatabaseError:
        return _flat(compute_days(sources, days, opts))


def _forget(month: date) -> None:
    """Drop the change rows of a month's days that have no stored rollup (nothing to invalidate), under the month's
    lock so that no refresh of it is under way."""
    try:
        with transaction.atomic():
            if _locked(month) and not RollupMonth.objects.filter(month=month).exists():
                stored = RollupDay.objects.filter(day__gte=month, day__lt=next_month(month)).values("day")
                FactChange.objects.filter(month=month).exclude(day__in=stored).delete()
    except DatabaseError:
        pass  # busy: the rows stay, which is always safe
