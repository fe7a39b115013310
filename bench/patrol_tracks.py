"""Benchmark: GPS track ingestion, daily grid coverage and supervisors' patrol hours at city scale.

    python bench/patrol_tracks.py [--interval 60] [--hours 16]

Creates a throw-away test database and loads the demo organisation and geography (Kaifeng: ~9,000 unit grids,
85 responsibility grids, 200 supervisors). Every supervisor then walks their responsibility grid for `--hours`
hours with a fix every `--interval` seconds (WGS84, as phones send them), uploaded in batches of 500 through
the real service (validation, CRS conversion, grid lookup, idempotent insert). In the same run it times:
* ingestion through `track_points_upload`, points/s, against the baseline of one `locate()` + one INSERT per
  point (on a sample);
* a resend of a batch (all duplicates);
* `coverage()` for all 85 responsibility grids and `supervisor_hours()` for the 200 supervisors, against the
  baseline of one `patrol_hours_many` call per supervisor (three queries each).
"""

import argparse
import os
import random
import sys
import time
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengguan.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def walks(grids, day, hours, interval, rng):
    """(user, [point dicts]) per supervisor: a walk through their grid's unit grids, WGS84 like a phone."""
    from shapely.geometry import shape

    from chengguan.core.coords import from_storage_many

    start = timezone.make_aware(datetime.combine(day, datetime.min.time())) + timedelta(hours=7)
    steps = int(hours * 3600 / interval)
    out = []
    for grid in grids:
        cells = [shape(g).bounds for g in grid.unit_grids.values_list("geometry", flat=True)]
        for user in grid.supervisors.all():
            xs, ys, ts = [], [], []
            for i in range(steps):
                lo_x, lo_y, hi_x, hi_y = cells[(i // 5) % len(cells)]
                xs.append(rng.uniform(lo_x, hi_x))
                ys.append(rng.uniform(lo_y, hi_y))
                ts.append(start + timedelta(seconds=i * interval))
            lngs, lats = from_storage_many(xs, ys, "wgs84")
            points = [
                {"id": f"{user.pk}-{i}", "t": t, "lng": x, "lat": y, "accuracy": 8}
                for i, (t, x, y) in enumerate(zip(ts, lngs.tolist(), lats.tolist(), strict=True))
            ]
            out.append((user, grid, points))
    return out


def naive_window_coverage(day, grids):
    """The first implementation: segments of every person's track recomputed for each grid."""
    from collections import defaultdict

    from chengguan.patrol.models import TrackPoint
    from chengguan.patrol.selectors.tracks import _segments, _total, day_bounds

    start, end = day_bounds(day)
    points = defaultdict(list)
    for user_id, t, unit in (
        TrackPoint.objects.filter(recorded_at__gte=start, recorded_at__lt=end)
        .order_by("user_id", "recorded_at")
        .values_list("user_id", "recorded_at", "unit_grid_id")
    ):
        points[user_id].append((t, unit))
    out = []
    for grid in grids:
        units = set(grid.unit_grids.values_list("pk", flat=True))
        intervals = [
            (s, e)
            for pts in points.values()
            for s, e, u in _segments(pts, timedelta(minutes=10))
            if u in units
        ]
        out.append(_total(intervals))
    return out


def run(args):
    from chengguan.grids import demo as grids_demo
    from chengguan.grids.geocoder import locate
    from chengguan.grids.models import ResponsibilityGrid
    from chengguan.org import demo as org_demo
    from chengguan.patrol.models import TrackPoint
    from chengguan.patrol.selectors.tracks import coverage, patrol_hours_many, supervisor_hours
    from chengguan.patrol.services.tracks import track_points_upload

    t0 = time.perf_counter()
    org_demo.load(stdout=StringIO())
    grids_demo.load(stdout=StringIO())
    print(f"demo geography loaded in {time.perf_counter() - t0:.1f} s")
    rng = random.Random(7)
    day = timezone.localdate() - timedelta(days=1)
    grids = list(ResponsibilityGrid.objects.select_related("region").prefetch_related("supervisors"))
    plan = walks(grids, day, args.hours, args.interval, rng)
    total = sum(len(p) for _u, _g, p in plan)
    print(f"{len(plan)} supervisors, {len(grids)} responsibility grids, {total:,} points")

    t0 = time.perf_counter()
    for user, _grid, points in plan:
        for i in range(0, len(points), 500):
            track_points_upload(actor=user, points=points[i : i + 500], crs="wgs84")
    ingest = time.perf_counter() - t0
    stored = TrackPoint.objects.count()
    print(
        f"ingest (service, batches of 500): {ingest:.1f} s, {total / ingest:,.0f} points/s, {stored:,} stored"
    )

    user, _grid, points = plan[0]
    t0 = time.perf_counter()
    result = track_points_upload(actor=user, points=points[:500], crs="wgs84")
    print(f"resend of 500 points: {(time.perf_counter() - t0) * 1000:.0f} ms, {result.duplicates} duplicates")

    sample = [dict(p, id="b-" + p["id"]) for p in plan[1][2][: args.baseline]]
    t0 = time.perf_counter()
    for p in sample:
        loc = locate(p["lng"], p["lat"], "wgs84")
        TrackPoint.objects.create(
            user=plan[1][0],
            client_id=p["id"],
            recorded_at=p["t"],
            lng=loc.lng,
            lat=loc.lat,
            unit_grid_id=loc.unit_grid_id,
        )
    naive = time.perf_counter() - t0
    print(f"baseline (locate + INSERT per point, {len(sample)} points): {len(sample) / naive:,.0f} points/s")

    from chengguan.patrol.models import CoverageDay, TrackPoint
    from chengguan.patrol.selectors.tracks import coverage_compute
    from chengguan.patrol.services.tracks import forget_coverage

    t0 = time.perf_counter()
    coverage_compute(day, grids)
    print(
        f"coverage of {len(grids)} grids, computed without the cache (before): {time.perf_counter() - t0:.2f} s"
    )
    CoverageDay.objects.all().delete()
    t0 = time.perf_counter()
    rows = coverage(day, grids)
    print(
        f"coverage of {len(rows)} grids, first read (computed and cached): {(time.perf_counter() - t0):.2f} s "
        f"(mean {sum(r.share for r in rows) / len(rows):.0%} of unit grids visited)"
    )
    t0 = time.perf_counter()
    coverage(day, grids)
    print(f"coverage of {len(rows)} grids, cached (after): {(time.perf_counter() - t0) * 1000:.1f} ms")
    one = TrackPoint.objects.filter(unit_grid__isnull=False).values_list("unit_grid_id", flat=True).first()
    forget_coverage({(day, one)})
    stale = len(grids) - CoverageDay.objects.filter(day=day).count()
    t0 = time.perf_counter()
    coverage(day, grids)
    print(
        f"coverage of {len(rows)} grids after a point arrived in one of them ({stale} recomputed): "
        f"{(time.perf_counter() - t0) * 1000:.0f} ms"
    )
    t0 = time.perf_counter()
    naive_window_coverage(day, grids)
    print(
        f"baseline coverage (every track re-cut into segments for every grid): {time.perf_counter() - t0:.2f} s"
    )
    t0 = time.perf_counter()
    hours = supervisor_hours(grids, day)
    batched = time.perf_counter() - t0
    t0 = time.perf_counter()
    for grid, h in hours:
        patrol_hours_many([(h.user, grid.region)], day)
    one_by_one = time.perf_counter() - t0
    mean = sum(h.in_schedule.total_seconds() for _g, h in hours) / len(hours) / 3600
    print(
        f"patrol hours of {len(hours)} supervisors: batched {batched:.2f} s, baseline one by one "
        f"{one_by_one:.2f} s (mean {mean:.1f} h in schedule)"
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--interval", type=int, default=60, help="seconds between fixes")
    parser.add_argument("--hours", type=float, default=16)
    parser.add_argument("--baseline", type=int, default=2000, help="points for the one-by-one baseline")
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        run(args)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
