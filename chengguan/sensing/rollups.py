"""Incremental hour/day rollups. A batch whose readings were all new (the COPY went straight in; SQLite inserted
every row) adds its per-sensor, per-hour count/min/max/sum to the rollup rows in one upsert, and the same for the
local day. A batch holding readings stored before (a replay) cannot tell which of its rows counted, so its hours
are marked instead and the job `sensing.rollup` recomputes them (and their days) from the stored readings."""

from datetime import UTC

from django.db import connection
from django.utils import timezone

from .models import RollupDue

SQL = (
    'INSERT INTO sensing_rollup (sensor_id, period, start, "count", minimum, maximum, total) {source} '
    'ON CONFLICT (sensor_id, period, start) DO UPDATE SET "count" = sensing_rollup."count" + excluded."count", '
    "minimum = {least}(sensing_rollup.minimum, excluded.minimum), "
    "maximum = {greatest}(sensing_rollup.maximum, excluded.maximum), total = sensing_rollup.total + excluded.total"
)


def aggregate(pks, ats, values) -> dict:
    """{(sensor pk, UTC hour): [count, min, max, sum]} in one pass; each distinct time is bucketed once."""
    hour_of = {at: at.astimezone(UTC).replace(minute=0, second=0, microsecond=0) for at in set(ats)}
    acc: dict = {}
    for pk, at, v in zip(pks, ats, values, strict=True):
        key = (pk, hour_of[at])
        a = acc.get(key)
        if a is None:
            acc[key] = [1, v, v, v]
        else:
            a[0] += 1
            a[3] += v
            if v < a[1]:
                a[1] = v
            elif v > a[2]:
                a[2] = v
    return acc


def _days(hours: dict) -> dict:
    day_of = {}
    days: dict = {}
    for (pk, hour), (n, lo, hi, total) in hours.items():
        day = day_of.get(hour)
        if day is None:
            day = day_of[hour] = timezone.localtime(hour).replace(hour=0, minute=0, second=0, microsecond=0)
        d = days.get((pk, day))
        if d is None:
            days[(pk, day)] = [n, lo, hi, total]
        else:
            d[0] += n
            d[1], d[2], d[3] = min(d[1], lo), max(d[2], hi), d[3] + total
    return days


def add(pks, ats, values) -> None:
    """Add a batch of new readings to the hour and day rollups (inside the batch's transaction)."""
    hours = aggregate(pks, ats, values)
    rows = [(pk, "hour", h, *a) for (pk, h), a in hours.items()]
    rows += [(pk, "day", d, *a) for (pk, d), a in _days(hours).items()]
    rows.sort(key=lambda r: (r[0], r[1], r[2]))  # one lock order for concurrent batches
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cols = list(zip(*rows, strict=True))
            cur.execute(
                SQL.format(
                    source="SELECT * FROM unnest(%s::bigint[], %s::varchar[], %s::timestamptz[], %s::int[], "
                           "%s::float8[], %s::float8[], %s::float8[])",
                    least="LEAST", greatest="GREATEST",
                ),
                [list(c) for c in cols],
            )
        else:
            adapt = connection.ops.adapt_datetimefield_value
            cur.executemany(SQL.format(source="VALUES (%s, %s, %s, %s, %s, %s, %s)", least="min", greatest="max"),
                            [(pk, p, adapt(t), n, lo, hi, total) for pk, p, t, n, lo, hi, total in rows])


def mark(ats) -> None:
    """A replayed batch: its hours are recomputed by the job."""
    hours = {at.astimezone(UTC).replace(minute=0, second=0, microsecond=0) for at in set(ats)}
    RollupDue.objects.bulk_create([RollupDue(hour=h) for h in hours], ignore_conflicts=True)
