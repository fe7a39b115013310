"""Rollups: a party's measures per member and month (per day for the current month's closed days), stored, so a
report over whole months sums a few thousand stored rows instead of scanning millions of facts.

The measures are sums and filtered counts, so a month's stored sums add up to a quarter's or a year's. A stored
month (day) is used only while no `FactChange` row names it; the triggers of migrations 0006 and 0008 append one,
with the row's day and month, for every fact row written by any path, in the writer's transaction. A month (day)
that is stale or not stored yet is recomputed from the facts on the next report that needs it
(`rollups_refresh`), in one transaction that first deletes the change rows it can see: a writer that commits
later leaves its change row behind, so it is recomputed again next time — never stored as fresh while a change it
does not include is committed. Concurrent refreshes of one month and its days are kept apart by an advisory lock
(PostgreSQL; SQLite serialises writers): the loser computes from the facts and stores nothing. Consuming a
month's (day's) changes drops every variant (party, level) stored for that month (day), and the month of a day.

Used for viewers who see the whole city, with no parent region or department filter; the other reports (and
periods shorter than a month) read the facts as before. A custom range is read as whole months from the
rollups plus its partial edge months from the facts. The current month is never stored as a month: its closed
days are stored per day (`RollupDay`, kept the same way, per day: the triggers log the day of every fact row
written) and today (with any later day) is read from the facts, so a report of the running year or of the current
month reads the facts of one day, plus the days written since they were stored (one grouped query for all of
them). Measures that depend on the time of the report (`Source.live`, e.g. 超期未处置数) are always counted from
the facts. See docs/evaluation.md, *Rollups*.

A fact writer that bypasses the triggers (`session_replication_role = replica`, triggers disabled for a load)
must call `facts_changed(days)` in its transaction, with the days (`reported_on`, `started_on`) of the rows.
"""

import json
import os
from collections import defaultdict
from datetime import date, timedelta

from django.db import connection
from django.utils import timezone

from .indicators import Measured, PartySpec
from .indicators import collect as collect_facts
from .indicators.engine import PREFIX, per_member
from .models import FactChange, RollupDay, RollupMonth
from .periods import Period
from .rollups_refresh import (
    _as_date,
    _db_date,
    _drop_days,
    _forget,
    compute,
    month_start,
    next_month,
    refresh,
    refresh_days,
)


def available() -> bool:
    """Rollups are read unless `CHENGGUAN_EVALUATION_ROLLUPS=0` (then every report reads the facts)."""
    enabled = os.environ.get("CHENGGUAN_EVALUATION_ROLLUPS", "1").lower() not in {"0", "false", "no", "off"}
    return enabled and connection.vendor in ("postgresql", "sqlite")


def facts_changed(days) -> None:
    """Mark the days (and their months) stale. Only for writers that bypass the fact triggers."""
    FactChange.objects.bulk_create([FactChange(month=d.replace(day=1), day=d) for d in set(days)])


def today() -> date:
    return timezone.localdate()


def current_month() -> date:
    return month_start(today())


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


# Variants whose current month is read from the facts: a day has about as many unit grids as cases, so a stored
# day is no smaller than its facts (at 5M cases a year, ~10,000 rows a day: reading December's 30 days took as
# long as its facts, and storing them 9 s).
NO_DAYS = {"region:grid"}


def stored_rows(spec, sources, months, opts) -> list[tuple]:
    """(source index, stored key, measures) of every month, refreshing the stale or missing ones."""
    key = variant(spec, opts)
    day = today()
    current = month_start(day)
    past = [m for m in months if m < current]
    fresh, rows = _fresh_rows(key, past) if past else (set(), [])
    for m in months:
        if m == current and key not in NO_DAYS:
            rows += current_rows(key, sources, opts, day)
        elif m >= current:  # the current month of a variant without days, and later ones: never stored
            rows += compute(sources, m, next_month(m), opts)
        elif m not in fresh:
            rows += refresh(m, [(key, sources, opts)])
    return rows


def current_rows(key: str, sources, opts, day: date) -> list[tuple]:
    """The current month: its closed days from the daily rollups (the stale or missing ones recomputed), today
    and any later day from the facts."""
    month = month_start(day)
    rows = []
    if day > month:
        fresh, rows = _fresh_day_rows(key, month, day)
        stale = [d for d in (month + timedelta(days=i) for i in range((day - month).days)) if d not in fresh]
        if stale:
            rows += refresh_days(month, stale, [(key, sources, opts)])
    return rows + compute(sources, day, next_month(month), opts)


FRESH_SQL = """
SELECT m.month, r.source, r.member, r.measures
FROM evaluation_rollupmonth m LEFT JOIN evaluation_rolluprow r ON r.key = m.key AND r.month = m.month
WHERE m.key = %s AND m.month IN ({months})
  AND NOT EXISTS (SELECT 1 FROM evaluation_factchange c WHERE c.month = m.month)
"""


FRESH_DAYS_SQL = """
SELECT d.day, r.source, r.member, r.measures
FROM evaluation_rollupday d LEFT JOIN evaluation_rollupdayrow r ON r.key = d.key AND r.day = d.day
WHERE d.key = %s AND d.day >= %s AND d.day < %s
  AND NOT EXISTS (SELECT 1 FROM evaluation_factchange c WHERE c.day = d.day)
"""


def _read_fresh(sql: str, params: list) -> tuple[set, list]:
    fresh, rows = set(), []
    with connection.cursor() as cur:
        cur.execute(sql, params)
        for when, source, member, measures in cur.fetchall():
            fresh.add(_as_date(when))
            if source is not None:
                rows.append((source, member, json.loads(measures) if isinstance(measures, str) else measures))
    return fresh, rows


def _fresh_rows(key: str, months: list[date]) -> tuple[set, list]:
    """The months stored and not stale, and their rows, in one query."""
    sql = FRESH_SQL.format(months=", ".join(["%s"] * len(months)))
    return _read_fresh(sql, [key] + [_db_date(m) for m in months])


def _fresh_day_rows(key: str, start: date, end: date) -> tuple[set, list]:
    """The days in [start, end) stored and not stale, and their rows, in one query."""
    return _read_fresh(FRESH_DAYS_SQL, [key, _db_date(start), _db_date(end)])


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


# ---- the nightly job -------------------------------------------------------------------------------------


def _variant_args(key: str) -> tuple:
    from .indicators import PARTIES

    party, level = key.split(":")
    opts = {"level": level} if level else {}
    return key, PARTIES[party].sources({**opts, "now": None}), opts


def refresh_all() -> int:
    """Recompute every stale month and stale day that has stored rollups, all their variants at once, forget the
    changes of days with nothing stored and drop the daily rollups of past months (never read again), so the log
    stays small (`chengguan evaluate rollups`, e.g. at night); returns the number of months and days recomputed."""
    current = current_month()
    _drop_days(RollupDay.objects.filter(day__lt=current))
    stale = set(FactChange.objects.values_list("month", "day").distinct())
    months = {m for m, _d in stale}
    by_month = defaultdict(list)
    for key, month in RollupMonth.objects.filter(month__in=months).values_list("key", "month"):
        by_month[month].append(key)
    for month, keys in sorted(by_month.items()):
        refresh(month, [_variant_args(k) for k in sorted(keys)])
    days = defaultdict(set)  # month → its stale days that have stored daily rollups
    keys = defaultdict(set)  # month → the variants stored for them
    stale_days = sorted(d for m, d in stale if m not in by_month and m >= current)
    for key, day in RollupDay.objects.filter(day__in=stale_days).values_list("key", "day"):
        days[month_start(day)].add(day)
        keys[month_start(day)].add(key)
    for month in sorted(days):
        refresh_days(month, sorted(days[month]), [_variant_args(k) for k in sorted(keys[month])])
    for month in sorted(months - set(by_month)):
        _forget(month)
    return len(by_month) + sum(len(d) for d in days.values())
