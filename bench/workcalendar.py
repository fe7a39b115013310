"""Benchmark: the cost of deadlines and traffic lights over the working calendar.

    python bench/workcalendar.py

Creates a throw-away test database (migrations included), then times add_working_time, working_time_between
and traffic_light with a warm cache, with a cold cache (three small queries each), and a naive
minute-by-minute baseline in the same run.
"""

import os
import random
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengguan.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

SH = ZoneInfo("Asia/Shanghai")
LIMITS = [(30, "minutes"), (60, "minutes"), (4, "working_hours"), (1, "working_days"), (3, "working_days")]


def naive_add(start, minutes, is_working_minute):
    """Baseline: step one minute at a time (what the calendar must not do)."""
    t = start.replace(second=0, microsecond=0)
    while minutes > 0:
        if is_working_minute(t):
            minutes -= 1
        t += timedelta(minutes=1)
    return t


def timed(label, n, fn):
    t0 = time.perf_counter()
    for i in range(n):
        fn(i)
    dt = time.perf_counter() - t0
    print(f"{label:<58} {n:>6} calls  {dt * 1e6 / n:>9.1f} µs/call")
    return dt / n


def main():
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        from chengguan.core import workcalendar as wc

        rng = random.Random(7)
        starts = [
            datetime(2026, 1, 5, tzinfo=SH) + timedelta(minutes=rng.randrange(0, 330 * 24 * 60))
            for _ in range(5000)
        ]
        limits = [LIMITS[i % len(LIMITS)] for i in range(len(starts))]
        wc.add_working_time(starts[0], 1)  # load the cache

        def is_working_minute(t):
            return any(s <= t < e for s, e in wc.working_periods(t.date()))

        base = timed(
            "baseline: naive minute loop, 4 working hours",
            200,
            lambda i: naive_add(starts[i], 240, is_working_minute),
        )
        warm = timed(
            "add_working_time, 4 working hours (warm cache)",
            len(starts),
            lambda i: wc.add_working_time(starts[i], 4, "working_hours"),
        )
        timed(
            "add_working_time, mixed limits 30 min … 3 working days",
            len(starts),
            lambda i: wc.add_working_time(starts[i], *limits[i]),
        )

        def cold(i):
            wc.clear_cache()
            wc.add_working_time(starts[i], 4, "working_hours")

        timed("add_working_time, cold cache (reload per call)", 300, cold)
        timed(
            "working_time_between, spans up to 30 days",
            len(starts),
            lambda i: wc.working_time_between(starts[i], starts[i] + timedelta(days=i % 30)),
        )
        deadlines = [wc.add_working_time(s, *lim) for s, lim in zip(starts, limits, strict=True)]
        timed(
            "traffic_light (working units)",
            len(starts),
            lambda i: wc.traffic_light(starts[i], deadlines[i], starts[i] + timedelta(hours=5)),
        )
        # Issue 12: deadlines into a year without official data follow the fallback rule; the flag is one check.
        december = [datetime(2026, 12, 1, tzinfo=SH) + timedelta(minutes=rng.randrange(0, 30 * 24 * 60))
                    for _ in range(2000)]
        timed(
            "add_working_time, 20 working days into 2027 (fallback rule)",
            len(december),
            lambda i: wc.add_working_time(december[i], 20, "working_days"),
        )
        timed(
            "touches_provisional (the stored flag)",
            len(december),
            lambda i: wc.touches_provisional(december[i], december[i] + timedelta(days=40)),
        )
        print(f"speed-up over the naive baseline: {base / warm:,.0f}x")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
