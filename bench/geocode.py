"""Benchmark: point → unit grid lookups, for the demo city (Kaifeng) and a synthetic 100,000-grid city.

    python bench/geocode.py [--points 200000] [--skip-demo] [--addresses 1000000] [--reverse-only]

Creates a throw-away test database, loads the demo organisation and geography (~9,000 unit grids), then times
in the same run:
* building the index;
* single lookups through the public `geocoder.locate()` (CRS check, version check, Location object) and
  through the bare index, median and p99 in µs;
* batches through `geocoder.locate_arrays()` (numpy ids of grid, community, street, district, responsibility
  grid), through `geocoder.locate_many()` (one Location object per point) and through the bare index, points/s;
* the naive baseline: shapely `contains` over every polygon (vectorised over the polygons, per point).
* the reverse lookup (point → nearest address, road, community, grid; `geo.search.reverse` and the whole
  `GET /api/v1/geo/reverse` answer) over `--addresses` synthetic addresses laid over the demo city, beside the
  previous query shape (one `cell BETWEEN` range per cell column, ORDER BY distance, then a second query with
  joins) and the naive scan (nearest over the whole table) in the same run. On PostgreSQL the table is
  VACUUM ANALYZEd first (autovacuum is off on the development machine; the index-only scan needs the
  visibility map a running autovacuum keeps).
The synthetic city is a 317 × 317 lattice of ~10,000 m² quadrilaterals whose inner vertices are jittered, so
no grid is an axis-aligned rectangle (the index's fast path for rectangles does not help it).
"""

import argparse
import contextlib
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengguan.settings_test")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import shapely  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from chengguan.grids.spatial import EMPTY, PolygonIndex  # noqa: E402


def percentile(values, q):
    return float(np.percentile(np.asarray(values), q))


def time_single(fn, xs, ys):
    timer = time.perf_counter_ns
    samples = []
    for x, y in zip(xs, ys, strict=True):
        t0 = timer()
        fn(x, y)
        samples.append(timer() - t0)
    samples = [s / 1000 for s in samples]
    return statistics.median(samples), percentile(samples, 99)


def time_batch(fn, xs, ys, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn(xs, ys)
        best = min(best, time.perf_counter() - t0)
    return len(xs) / best


def naive_rate(index: PolygonIndex, xs, ys, n=200):
    t0 = time.perf_counter()
    for x, y in zip(xs[:n], ys[:n], strict=True):
        index.naive_lookup(x, y)
    per_point = (time.perf_counter() - t0) / n
    return per_point * 1e6, 1 / per_point


def agreement(index: PolygonIndex, xs, ys, n=300):
    """Away from edges the index and the naive baseline must agree (edge points follow the half-open rule)."""
    batch = index.lookup_many(xs[:n], ys[:n])
    return sum(int(batch[i]) == index.naive_lookup(xs[i], ys[i]) for i in range(n)) / n


def report(name, rows):
    print(f"\n{name}")
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")


def synthetic_city(n=317, step=0.001, seed=1):
    rng = np.random.default_rng(seed)
    xs, ys = np.meshgrid(114.0 + np.arange(n + 1) * step, 34.5 + np.arange(n + 1) * step)
    xs[1:-1, 1:-1] += rng.uniform(-step / 5, step / 5, (n - 1, n - 1))
    ys[1:-1, 1:-1] += rng.uniform(-step / 5, step / 5, (n - 1, n - 1))
    corners = [(xs[:-1, :-1], ys[:-1, :-1]), (xs[:-1, 1:], ys[:-1, 1:]), (xs[1:, 1:], ys[1:, 1:])]
    corners += [(xs[1:, :-1], ys[1:, :-1]), (xs[:-1, :-1], ys[:-1, :-1])]
    rings = np.stack([np.stack(c, -1) for c in corners], 2).reshape(-1, 5, 2)
    return shapely.polygons(rings), (114.0, 34.5, 114.0 + n * step, 34.5 + n * step)


def bench_index(name, geoms, bounds, points, rng, extra_rows=None):
    t0 = time.perf_counter()
    index = PolygonIndex(geoms)
    build = time.perf_counter() - t0
    minx, miny, maxx, maxy = bounds
    xs = rng.uniform(minx, maxx, points)
    ys = rng.uniform(miny, maxy, points)
    xl, yl = xs.tolist(), ys.tolist()
    inside = float(np.mean(index.lookup_many(xs, ys) != EMPTY))
    single_med, single_p99 = time_single(index.lookup, xl[:20000], yl[:20000])
    batch = time_batch(index.lookup_many, xs, ys)
    naive_us, naive_pps = naive_rate(index, xl, yl)
    rows = [
        ("grids", f"{len(geoms):,}"),
        ("index build", f"{build:.2f} s ({index.nx} × {index.ny} cells)"),
        ("points inside a grid", f"{inside:.0%}"),
        ("single lookup (index)", f"median {single_med:.1f} µs, p99 {single_p99:.1f} µs"),
        ("batch (index)", f"{batch:,.0f} points/s"),
        ("naive: contains over all", f"{naive_us:,.0f} µs per point = {naive_pps:,.0f} points/s"),
        ("speed-up single / batch", f"×{naive_us / single_med:,.0f} / ×{batch / naive_pps:,.0f}"),
        ("agrees with naive", f"{agreement(index, xl, yl):.1%} of sampled points"),
    ]
    rows += extra_rows(xs, ys) if extra_rows else []
    report(name, rows)


def demo_city_load():
    from io import StringIO

    from chengguan.grids import demo as grids_demo
    from chengguan.org import demo as org_demo

    t0 = time.perf_counter()
    org_demo.load(stdout=StringIO())
    grids_demo.load(stdout=StringIO())
    print(f"demo loaded in {time.perf_counter() - t0:.1f} s")


def demo_city(points, rng):
    from chengguan.grids import demo as grids_demo
    from chengguan.grids import geocoder

    demo_city_load()
    t0 = time.perf_counter()
    index = geocoder.current_index()
    print(f"geocoder index built in {time.perf_counter() - t0:.2f} s")
    geoms = index.spatial.geoms
    core = grids_demo.CENTRE.bounds

    def public_path(xs, ys):
        xl, yl = xs[:20000].tolist(), ys[:20000].tolist()

        def one(x, y):
            with contextlib.suppress(geocoder.OutsideCity):
                geocoder.locate(x, y)

        med, p99 = time_single(one, xl, yl)
        pts = np.column_stack([xs, ys])
        rate = time_batch(lambda a, b: geocoder.locate_many(pts), xs, ys)
        arrays = time_batch(geocoder.locate_arrays, xs, ys)
        return [
            ("single geocoder.locate()", f"median {med:.1f} µs, p99 {p99:.1f} µs"),
            ("batch geocoder.locate_arrays()", f"{arrays:,.0f} points/s (ids of the whole hierarchy)"),
            ("batch geocoder.locate_many()", f"{rate:,.0f} points/s (one Location object per point)"),
        ]

    bench_index("Demo city, central area (10,000 m² grids)", geoms, core, points, rng, public_path)
    bench_index(
        "Demo city, whole extent (central + 250,000 m² suburban grids)",
        geoms,
        shapely.total_bounds(geoms),
        points,
        rng,
    )


def load_addresses(n, rng):
    """n synthetic addresses (houses, buildings, POIs; 1 in 20 a road) over the demo city's extent."""
    from chengguan.geo.models import Address, cell_key
    from chengguan.grids import demo as grids_demo

    minx, miny, maxx, maxy = grids_demo.CENTRE.bounds
    minx, miny, maxx, maxy = minx - 0.05, miny - 0.05, maxx + 0.05, maxy + 0.05
    xs, ys = rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)
    t0 = time.perf_counter()
    for start in range(0, n, 5000):
        Address.objects.bulk_create(
            Address(code=f"B{i}", level="road" if i % 20 == 0 else "house", road=f"测试路{i % 3600}",
                    number=str(i % 400), full=f"测试路{i % 3600}{i % 400}号", lng=float(xs[i]), lat=float(ys[i]),
                    cell=cell_key(float(xs[i]), float(ys[i])), search="")
            for i in range(start, min(start + 5000, n))
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE geo_address" if connection.vendor == "postgresql" else "ANALYZE")
    print(f"{n:,} addresses loaded in {time.perf_counter() - t0:.0f} s over "
          f"{maxx - minx:.3f}° × {maxy - miny:.3f}° ({n / ((maxx - minx) * (maxy - miny) * 1e6):.0f} per 0.001° cell)")
    return (minx, miny, maxx, maxy)


def previous_reverse(x, y):
    """The query shape before (kept here as the baseline): a `cell BETWEEN` range per cell column, ORDER BY the
    squared degree distance in SQL, then the row again with its grid and community joined."""
    from django.db.models import F, Q

    from chengguan.geo.models import Address, cell_key

    centre = cell_key(x, y)
    for ring in (1, 3, 8):
        where = Q()
        for dx in range(-ring, ring + 1):
            column = centre + dx * 1_000_000
            where |= Q(cell__gte=column - ring, cell__lte=column + ring)
        found = (Address.objects.filter(where).exclude(level="road")
                 .annotate(d2=(F("lng") - x) * (F("lng") - x) + (F("lat") - y) * (F("lat") - y))
                 .order_by("d2").values_list("id", flat=True).first())
        if found is not None:
            return Address.objects.select_related("unit_grid", "community").get(pk=found)
    return None


def naive_reverse(x, y):
    """The nearest over the whole table, in the same metric (longitude scaled by cos(latitude))."""
    import math

    k = math.cos(math.radians(y))
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM geo_address WHERE level <> 'road' "
                       "ORDER BY (lng - %s) * (lng - %s) * %s + (lat - %s) * (lat - %s), id LIMIT 1",
                       [x, x, k * k, y, y])
        row = cursor.fetchone()
    return row[0] if row else None


def ms(fn, points):
    out = []
    for x, y in points:
        t0 = time.perf_counter()
        fn(x, y)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def reverse_bench(n, rng):
    from django.test import Client

    from chengguan.geo import search
    from chengguan.org.models import User

    minx, miny, maxx, maxy = load_addresses(n, rng)
    points = list(zip(rng.uniform(minx + 0.02, maxx - 0.02, 400).tolist(),
                      rng.uniform(miny + 0.02, maxy - 0.02, 400).tolist(), strict=True))
    agree = sum(search.nearest_id(x, y) == naive_reverse(x, y) for x, y in points[:40])
    client = Client()
    client.force_login(User.objects.create(username="bench-reverse"))

    def api(x, y):
        response = client.get("/api/v1/geo/reverse", {"lng": f"{x:.7f}", "lat": f"{y:.7f}"})
        assert response.status_code == 200, response.content

    rows = []
    for label, fn in (("ours: search.nearest_id() (the query)", search.nearest_id),
                      ("ours: search.reverse() (query + row)", search.reverse),
                      ("ours: GET /api/v1/geo/reverse (whole answer)", api),
                      ("previous query shape (ranges + ORDER BY + joined get)", previous_reverse)):
        ms(fn, points[:30])  # warm
        t = ms(fn, points)
        rows.append((label, f"p50 {percentile(t, 50):.2f} ms, p99 {percentile(t, 99):.2f} ms"))
        if label.startswith("ours: search.reverse"):
            ours50 = percentile(t, 50)
    naive = ms(naive_reverse, points[:20])
    rows.append(("naive: nearest over the whole table (20 points)",
                 f"p50 {percentile(naive, 50):.1f} ms, p99 {percentile(naive, 99):.1f} ms "
                 f"(×{percentile(naive, 50) / ours50:,.0f} search.reverse at p50)"))
    rows.append(("agrees with naive", f"{agree}/40 points"))
    report(f"Reverse lookup, {connection.vendor}, {n:,} addresses, {len(points)} points", rows)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=200_000)
    parser.add_argument("--skip-demo", action="store_true")
    parser.add_argument("--addresses", type=int, default=1_000_000, help="for the reverse lookup (0: skip it)")
    parser.add_argument("--reverse-only", action="store_true", help="only the demo grids and the reverse lookup")
    args = parser.parse_args()
    rng = np.random.default_rng(42)
    print(f"machine: {os.cpu_count()} CPUs; numpy {np.__version__}, shapely {shapely.__version__}")
    if not args.skip_demo:
        setup_test_environment()
        if connection.vendor == "sqlite":
            connection.settings_dict.setdefault("TEST", {})["NAME"] = "/tmp/bench_geocode.sqlite3"
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            if args.reverse_only:
                demo_city_load()
            else:
                demo_city(args.points, rng)
            if args.addresses:
                reverse_bench(args.addresses, rng)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        if args.reverse_only:
            return
    geoms, bounds = synthetic_city()
    bench_index(
        "Synthetic city: 100,489 jittered quadrilaterals of ~10,000 m²", geoms, bounds, args.points, rng
    )


if __name__ == "__main__":
    main()
