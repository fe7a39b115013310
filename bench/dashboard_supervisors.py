"""Benchmark: the dashboard's supervisor positions (`/dashboard/supervisors.geojson`) at city scale.

    python bench/dashboard_supervisors.py [--reports 1000]

Creates a throw-away test database (SQLite, or PostgreSQL with CHENGGUAN_DATABASE_URL), loads the demo
organisation and geography (Kaifeng, ~200 supervisors) and gives every supervisor `--reports` own reports over
the last 60 days plus a GPS fix an hour for the last day, then ANALYZE. In the same run it times
* `supervisor_features()` with the index on (reporter, reported_at) that each correlated subquery seeks;
* the same without that index (the state before: each subquery sorts all of a supervisor's reports), as the
  baseline. A variant that picks only the latest ids and reads the rows by id was slower (three round trips).
Medians of 7 runs.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengguan.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def median_ms(fn, runs=7):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def load(per_supervisor):
    from chengguan.cases.models import Case
    from chengguan.cases.services import case_report
    from chengguan.catalog import demo as catalog_demo
    from chengguan.catalog.models import MatterType
    from chengguan.grids import demo as grids_demo
    from chengguan.org import demo as org_demo
    from chengguan.org.models import Role, RoleAssignment
    from chengguan.patrol.models import TrackPoint

    t0 = time.perf_counter()
    org_demo.load(stdout=StringIO())
    grids_demo.load(stdout=StringIO())
    catalog_demo.load(stdout=StringIO())
    print(f"demo geography loaded in {time.perf_counter() - t0:.1f} s")
    supervisors = sorted({a.user for a in RoleAssignment.objects.filter(role=Role.SUPERVISOR).select_related("user")},
                         key=lambda u: u.pk)  # fmt: skip
    now = timezone.now()
    template = case_report(
        actor=supervisors[0],
        source="supervisor",
        matter=MatterType.objects.filter(is_active=True).first(),
        lng=114.3235,
        lat=34.803,
        crs="gcj02",
        description="bench",
    )
    fields = {
        f.attname: getattr(template, f.attname) for f in Case._meta.concrete_fields if f.attname != "id"
    }
    rows, n = [], 0
    for user in supervisors:
        for i in range(per_supervisor):
            n += 1
            at = now - timedelta(minutes=(i * 60 * 24 * 60) // per_supervisor + n % 7)
            rows.append(
                Case(**{**fields, "number": f"BENCH-{n:09d}", "reporter_id": user.pk, "reported_at": at})
            )
            if len(rows) == 20_000:
                Case.objects.bulk_create(rows)
                rows = []
        TrackPoint.objects.bulk_create(
            TrackPoint(
                user=user, client_id=f"b{h}", recorded_at=now - timedelta(hours=h), lng=114.32, lat=34.80
            )
            for h in range(24)
        )
    Case.objects.bulk_create(rows)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    print(
        f"{len(supervisors)} supervisors, {Case.objects.count():,} cases, {TrackPoint.objects.count():,} fixes"
    )
    return now


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000, help="own reports per supervisor")
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        now = load(args.reports)
        from chengguan.dashboard.selectors import supervisor_features

        viewer = _city_viewer()
        features = supervisor_features(viewer, now)["features"]
        print(f"engine {connection.vendor}: {len(features)} supervisors placed")
        new = median_ms(lambda: supervisor_features(viewer, now))
        print(f"supervisor_features with the (reporter, time) index: {new:8.1f} ms (median of 7)")
        with connection.cursor() as cur:
            cur.execute("DROP INDEX case_reporter_latest")
            # the schema before it: the foreign key's own single-column index (cases/0011 dropped it as redundant)
            cur.execute("CREATE INDEX bench_case_reporter ON cases_case (reporter_id)")
            cur.execute("ANALYZE")
        before = median_ms(lambda: supervisor_features(viewer, now), runs=3)
        print(
            f"without that index (before):                      {before:8.1f} ms  ({before / new:.1f}x, median of 3)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _city_viewer():
    from chengguan.evaluation.access import Viewer
    from chengguan.org.models import User

    return Viewer(User.objects.get(username="leader"))


if __name__ == "__main__":
    main()
