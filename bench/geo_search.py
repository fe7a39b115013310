"""Benchmark: address search and reverse lookup over 1,000,000 addresses, beside a naive `icontains` scan.

    python bench/geo_search.py [--addresses 1000000] [--queries 400] [--baseline 30]
    CHENGGUAN_DATABASE_URL=postgresql://... CHENGGUAN_TEST_DATABASE_NAME=bench_geo python bench/geo_search.py

Creates a throw-away test database (SQLite: a file in /tmp, not memory; PostgreSQL: the test database name),
fills it with a synthetic gazetteer (3,600 roads in 12 districts, house numbers, buildings of compounds,
POIs) through `services.build_address` (the importer's own row builder: tokens, initials, cell), and times
in the same run, p50/p99 in ms:
* `search.search()` for a mix of the query forms callers use: full address, partial (two characters of the
  road and the number), district + road with a space, pinyin initials + number, POI name, a one-character
  typo, and an unknown address;
* the naive baseline: `Address.objects.filter(full__icontains=q)[:10]` (a table scan) on a sample;
* `search.reverse()` at random points.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengguan.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

CHARS = "东西南北中新华建民和平安康宁胜利文化人光明兴隆长春永福寿金银龙凤花园青山河湖海江桥门城关前后大小"
SUFFIX = ["路", "街", "大街", "大道", "巷"]
DISTRICTS = ["龙亭区", "顺河回族区", "鼓楼区", "禹王台区", "祥符区", "城乡一体化示范区", "尉氏县", "杞县", "通许县",
             "兰考县", "新区", "东区"]  # fmt: skip
COMPOUNDS = ["花园", "家园", "小区", "佳苑", "新村", "华府"]
POI_KINDS = [("学校", "小学"), ("学校", "中学"), ("医院", "医院"), ("商场", "购物中心"), ("商场", "农贸市场")]


def generate(n, rng):
    """Rows of cleaned values (as the importer passes them) until n addresses."""
    roads = [a + b + s for a in CHARS for b in CHARS if a != b for s in SUFFIX[:1]][:3600]
    rng.shuffle(roads)
    roads[0] = "夷山大街"
    out = []
    x0, y0 = 114.20, 34.70
    per_road = max(1, n // len(roads))
    for r, road in enumerate(roads):
        district = DISTRICTS[r % len(DISTRICTS)]
        bx, by = x0 + (r % 60) * 0.004, y0 + (r // 60) * 0.003
        made = 0
        number = 0
        while made < per_road:
            number += 1
            lng, lat = bx + number * 0.00003, by + (number % 2) * 0.0002
            out.append({"district": district, "road": road, "number": str(number), "level": "house", "lng": lng, "lat": lat})
            made += 1
            if number % 5 == 0:
                name = road[:2] + COMPOUNDS[number % len(COMPOUNDS)]
                for b in range(1, 7):
                    out.append({"district": district, "road": road, "number": str(number), "building": str(b),
                                "name": name, "poi_kind": "小区", "level": "building", "lng": lng, "lat": lat + b * 1e-5})
                made += 6
            if number % 37 == 0:
                kind, suffix = POI_KINDS[number % len(POI_KINDS)]
                out.append({"district": district, "road": road, "name": f"{road[:2]}{number}{suffix}",
                            "poi_kind": kind, "level": "poi", "lng": lng, "lat": lat - 0.0001})
                made += 1
    return out[:n]


def load(rows):
    from chengguan.geo.models import Address
    from chengguan.geo.services import build_address

    started = time.perf_counter()
    batch = []
    for values in rows:
        batch.append(build_address(values, lng=values["lng"], lat=values["lat"], location=None))
        if len(batch) == 20_000:
            Address.objects.bulk_create(batch)
            batch = []
    Address.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE geo_address")
    return time.perf_counter() - started


def queries(rows, count, rng):
    from chengguan.geo.text import initials

    houses = [r for r in rows if r["level"] == "house"]
    pois = [r for r in rows if r["level"] == "poi"] or [r for r in rows if r.get("name")]
    forms = []
    for i in range(count):
        h = rng.choice(houses)
        kind = i % 7
        if kind == 0:
            forms.append(("full", f"{h['district']}{h['road']}{h['number']}号"))
        elif kind == 1:
            forms.append(("partial", f"{h['road'][:2]}{h['number']}"))
        elif kind == 2:
            forms.append(("district+road", f"{h['district'][:2]} {h['road']}"))
        elif kind == 3:
            forms.append(("initials", f"{initials(h['road'])}{h['number']}"))
        elif kind == 4:
            forms.append(("poi", rng.choice(pois)["name"]))
        elif kind == 5:
            road = h["road"]
            typo = road[0] + rng.choice([c for c in "丁丙戊己庚辛" if c != road[1]]) + road[2:]
            forms.append(("typo", f"{typo}{h['number']}号"))
        else:
            forms.append(("unknown", f"火星{rng.randint(1, 99)}路{rng.randint(1000, 9999)}号"))
    return forms


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed(fn, items):
    out = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - t) * 1000)
    return out


def run(args):
    from chengguan.geo import search
    from chengguan.geo.models import Address

    rng = random.Random(14)
    rows = generate(args.addresses, rng)
    if args.reuse and Address.objects.count() == len(rows):
        seconds = 0.0  # the same deterministic rows are already there (--keep of an earlier run)
    else:
        Address.objects.all().delete()
        seconds = load(rows)
    total = Address.objects.count()
    print(f"engine: {connection.vendor}; addresses: {total:,}; loaded in {seconds:.0f} s")
    forms = queries(rows, args.queries, rng)
    for _kind, q in forms[:20]:  # warm the caches the way a running server has them
        search.search(q)
    found_by_kind: dict = {}
    per_kind: dict = {}
    for kind, q in forms:
        t = time.perf_counter()
        result = search.search(q)
        per_kind.setdefault(kind, []).append((time.perf_counter() - t) * 1000)
        found_by_kind.setdefault(kind, []).append(bool(result))
    every = [v for values in per_kind.values() for v in values]
    print(f"\nsearch.search(), {len(every)} queries: p50 {pct(every, 50):.1f} ms, p99 {pct(every, 99):.1f} ms")
    for kind, values in per_kind.items():
        hits = sum(found_by_kind[kind])
        print(f"  {kind:<14} p50 {pct(values, 50):6.1f} ms  p99 {pct(values, 99):6.1f} ms  found {hits}/{len(values)}")
    sample = [q for _k, q in forms[: args.baseline]]
    ours = timed(search.search, sample)  # before the scans below evict the caches
    naive = timed(lambda q: list(Address.objects.filter(full__icontains=q)[:10]), sample)
    print(f"\nnaive full__icontains, same {len(sample)} queries: p50 {pct(naive, 50):.1f} ms, p99 {pct(naive, 99):.1f} ms"
          f"  (ours on them: p50 {pct(ours, 50):.1f} ms; ratio of p50 {pct(naive, 50) / max(pct(ours, 50), 1e-6):.0f}x)")
    near = [(r["lng"] + rng.uniform(-3e-4, 3e-4), r["lat"] + rng.uniform(-3e-4, 3e-4)) for r in rng.sample(rows, 300)]
    anywhere = [(rng.uniform(114.20, 114.44), rng.uniform(34.70, 34.88)) for _ in range(300)]
    for label, points in (("within 30 m of an address", near), ("anywhere in the box (mostly empty)", anywhere)):
        timed(lambda p: search.reverse(p[0], p[1], "gcj02"), points[:20])  # warm
        rev = timed(lambda p: search.reverse(p[0], p[1], "gcj02"), points)
        print(f"search.reverse(), {len(points)} points {label}: p50 {pct(rev, 50):.2f} ms, p99 {pct(rev, 99):.2f} ms")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--addresses", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=420)
    parser.add_argument("--baseline", type=int, default=30, help="queries for the naive scan")
    parser.add_argument("--keep", action="store_true", help="keep the test database for --reuse")
    parser.add_argument("--reuse", action="store_true", help="reuse a kept database (skips the 1M inserts)")
    args = parser.parse_args()
    setup_test_environment()
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = "/tmp/bench_geo_search.sqlite3"
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=not args.reuse, keepdb=args.reuse)
    try:
        run(args)
    finally:
        if not args.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
