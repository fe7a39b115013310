"""Monthly rollups: a party's measures per member and month, stored, so a report over whole months sums a few
thousand stored rows instead of scanning millions of facts.

The measures are sums and filtered counts, so a month's stored sums add up to a quarter's or a year's. A stored
month is used only while no `FactChange` row names it; the triggers of migration 0006 append one for every fact
row written by any path, in the writer's transaction. A month that is stale (or not stored yet) is recomputed
from the facts on the next report that needs it, in one transaction that first deletes the change rows it can
see: a writer that commits later leaves its change row behind, so the month is recomputed again next time —
never stored as fresh while a change it does not include is committed. Concurrent refreshes of one month are
kept apart by an advisory lock (PostgreSQL; SQLite serialises writers): the loser computes from the facts and
stores nothing. Any change to a month drops every variant (party, level) stored for that month.

Used for viewers who see the whole city, with no parent region or department filter; the other reports (and
periods shorter than a month) read the facts as before. A custom range is read as whole months from the
rollups plus its partial edge months from the facts. The current month (and any later one) is always read from
the facts and never stored: every live event writes it, so a stored copy would be stale within seconds. Measures that depend on the time of the report
(`Source.live`, e.g. 超期未处置数) are always counted from the facts. See docs/evaluation.md, *Rollups*.

A fact writer that bypasses the triggers (`session_replication_role = replica`, triggers disabled for a load)
must call `facts_changed(months)` in its transaction.
"""

import json
import os
from collections import defaultdict
from datetime import date

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from .indicators import Measured, PartySpec
from .indicators import collect as collect_facts
from .indicators.engine import PREFIX, per_member
from .models import FactChange, RollupMonth, RollupRow
from .periods import Period

LOCK_CLASS = 0x524F4C4C  # "ROLL": advisory lock namespace, object id = yyyymm


def available() -> bool:
    """Rollups are read unless `CHENGGUAN_EVALUATION_ROLLUPS=0` (then every report reads the facts)."""
    enabled = os.environ.get("CHENGGUAN_EVALUATION_ROLLUPS", "1").lower() not in {"0", "false", "no", "off"}
    return enabled and connection.vendor in ("postgresql", "sqlite")


def facts_changed(months) -> None:
    """Mark the months (any date inside them) stale. Only for writers that bypass the fact triggers."""
    FactChange.objects.bulk_create([FactChange(month=m) for m in {d.replace(day=1) for d in months}])


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def current_month() -> date:
    return month_start(timezone.localdate())


def whole_months(period: Period) -> list[date]:
    """The months lying wholly inside the period, in order."""
    first = period.start if period.start.day == 1 else next_month(period.start)
    out = []
    while next_month(first) <= period.end:
        out.append(first)
        first = next_month(first)
    return out


def variant(spec: PartySpec, opts: dict) -> str:
    return f"{spec.key}:{opts.get('level') or ''}"


def usable(viewer, opts: dict) -> bool:
    return available() and viewer.everything and opts.get("parent") is None and opts.get("department") is None


# ---- reading ----------------------------------------------------------------------------------------------


def collect(spec: PartySpec, period: Period, viewer, **opts) -> dict:
    """{member: Measured} like `indicators.collect`, from the rollups where the period allows it."""
    months = whole_months(period) if usable(viewer, opts) else []
    if not months:
        return collect_facts(spec, period, viewer, **opts)
    out: dict = defaultdict(Measured)
    inner = Period("custom", months[0], next_month(months[-1]))
    for edge in (Period("custom", period.start, inner.start), Period("custom", inner.end, period.end)):
        if edge.days > 0:
            for key, m in collect_facts(spec, edge, viewer, **opts).items():
                out[key].add(m.measures)
    sources = spec.sources(opts)
    rows = stored_rows(spec, sources, months, opts)
    _spread(sources, rows, out)
    _live(sources, inner, opts, out)
    return out


def stored_rows(spec, sources, months, opts) -> list[tuple]:
    """(source index, stored key, measures) of every month, refreshing the stale or missing ones."""
    key = variant(spec, opts)
    current = current_month()
    past = [m for m in months if m < current]
    fresh, rows = _fresh_rows(key, past) if past else (set(), [])
    for m in months:
        if m >= current:  # written by every live event: read from the facts, never stored
            rows += compute(sources, m, opts)
        elif m not in fresh:
            rows += refresh(m, [(key, sources, opts)])
    return rows


FRESH_SQL = """
SELECT m.month, r.source, r.member, r.measures
FROM evaluation_rollupmonth m LEFT JOIN evaluation_rolluprow r ON r.key = m.key AND r.month = m.month
WHERE m.key = %s AND m.month IN ({months})
  AND NOT EXISTS (SELECT 1 FROM evaluation_factchange c WHERE c.month = m.month)
"""


def _fresh_rows(key: str, months: list[date]) -> tuple[set, list]:
    """The months stored and not stale, and their rows, in one query."""
    fresh, rows = set(), []
    field = RollupRow._meta.get_field("month")
    params = [key] + [field.get_db_prep_value(m, connection) for m in months]
    with connection.cursor() as cur:
        cur.execute(FRESH_SQL.format(months=", ".join(["%s"] * len(months))), params)
        for month, source, member, measures in cur.fetchall():
            fresh.add(month if isinstance(month, date) else date.fromisoformat(month))
            if source is not None:
                rows.append((source, member, json.loads(measures) if isinstance(measures, str) else measures))
    return fresh, rows


def _spread(sources, rows, out) -> None:
    by_source = defaultdict(list)
    for index, member, measures in rows:
        by_source[index].append((member, measures))
    for index, items in by_source.items():
        source = sources[index]
        zeros = dict.fromkeys(source.live, 0)  # the live measures' keys, as the facts' rows carry them
        if source.expand is None:
            for member, measures in items:
                out[member].add({**measures, **zeros})
            continue
        members = source.expand({member for member, _m in items})
        for stored, measures in items:
            for member in members.get(stored, ()):
                out[member].add({**measures, **zeros})


def _live(sources, period: Period, opts, out) -> None:
    """The measures that depend on the time of the report, from the facts (`Source.live`)."""
    for source in sources:
        if not source.live:
            continue
        wanted = {PREFIX + k: v for k, v in source.measures(opts).items() if k in source.live}
        qs = source.model.objects.filter(source.filter & source.live_filter).filter(
            **{f"{source.date_field}__gte": period.start, f"{source.date_field}__lt": period.end}
        )
        for member, row in per_member(qs, source.group, wanted):
            out[member].add(row)


# ---- refreshing -------------------------------------------------------------------------------------------


def compute(sources, month: date, opts) -> list[tuple]:
    """(source index, stored key, measures) of one month, from the facts, without the live measures."""
    out = []
    end = next_month(month)
    for index, source in enumerate(sources):
        group = source.rollup_group or source.group
        where = source.rollup_filter if source.rollup_filter is not None else source.filter
        measures = {PREFIX + k: v for k, v in source.measures(opts).items() if k not in source.live}
        qs = source.model.objects.filter(where).filter(
            **{f"{source.date_field}__gte": month, f"{source.date_field}__lt": end}
        )
        for member, row in per_member(qs, group, measures):
            out.append((index, member, {k.removeprefix(PREFIX): v or 0 for k, v in row.items()}))
    return out


def _locked(month: date) -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite: the DELETE below takes the database's write lock
    with connection.cursor() as cur:
        cur.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_CLASS, month.year * 100 + month.month])
        return cur.fetchone()[0]


def refresh(month: date, variants: list[tuple]) -> list[tuple]:
    """Recompute one month of the variants ((key, sources, opts), …) from the facts and store them when nobody
    else is doing so; returns the first variant's rows."""
    key, sources, opts = variants[0]
    try:
        with transaction.atomic():
            if not _locked(month):
                return compute(sources, month, opts)
            # First forget the changes this transaction can see: the facts read below include them. A writer
            # that commits after this statement keeps its change row, so the month stays stale.
            changed, _ = FactChange.objects.filter(month=month).delete()
            if changed:
                if RollupMonth.objects.filter(month=month).delete()[0]:
                    RollupRow.objects.filter(
                        month=month
                    ).delete()  # stored with their RollupMonth, or not at all
            elif RollupMonth.objects.filter(key=key, month=month).exists():  # stored meanwhile
                return list(
                    RollupRow.objects.filter(key=key, month=month).values_list("source", "member", "measures")
                )
            first = None
            for k, srcs, o in variants:
                rows = compute(srcs, month, o)
                first = rows if first is None else first
                RollupMonth.objects.create(key=k, month=month)
                RollupRow.objects.bulk_create(
                    [RollupRow(key=k, month=month, source=i, member=m, measures=v) for i, m, v in rows],
                    batch_size=2000,
                )
            return first
    except DatabaseError:  # a concurrent refresh or a busy SQLite: read the facts, store nothing
        return compute(sources, month, opts)


def _variant_args(key: str) -> tuple:
    from .indicators import PARTIES

    party, level = key.split(":")
    opts = {"level": level} if level else {}
    return key, PARTIES[party].sources({**opts, "now": None}), opts


def refresh_all() -> int:
    """Recompute every stale month that has stored rollups, all its variants at once, and forget the changes of
    months that have none (so the log stays small: `chengguan evaluate rollups`, e.g. at night); returns the
    number of months recomputed."""
    stale = set(FactChange.objects.values_list("month", flat=True).distinct())
    by_month = defaultdict(list)
    for key, month in RollupMonth.objects.filter(month__in=stale).values_list("key", "month"):
        by_month[month].append(key)
    for month, keys in sorted(by_month.items()):
        refresh(month, [_variant_args(k) for k in sorted(keys)])
    for month in sorted(stale - set(by_month)):
        _forget(month)
    return len(by_month)


def _forget(month: date) -> None:
    """Drop the change rows of a month with no stored rollup (nothing to invalidate), under the month's lock so
    that no refresh of it is under way."""
    try:
        with transaction.atomic():
            if _locked(month) and not RollupMonth.objects.filter(month=month).exists():
                FactChange.objects.filter(month=month).delete()
    except DatabaseError:
        pass  # busy: the rows stay, which is always safe
