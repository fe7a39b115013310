"""Benchmark: sensor readings ingested in batches, and alarm-to-case latency under that load.

    python bench/sensing.py [--sensors 1000] [--batch 10000] [--batches 30] [--crossings 2]
    CHENGGUAN_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/sensing.py

Creates a throw-away test database (migrations included; PostgreSQL: the monthly-partitioned readings table)
with the test city, its grids and `--sensors` manhole-cover tilt sensors whose alarms open cases. Each batch is
a JSON body of `--batch` readings (ISO times), as `POST /api/v1/sensing/readings` receives it; `--crossings`
sensors per batch cross the threshold (debounced), so each batch also files and dispatches that many cases
through the cases services. One process, one core: figures are per core.

Prints: readings/s through `json.loads` + `readings_ingest` (validation, storage, rollup marks, the threshold
machine, sensor state, cases), and beside it, in the same run, a plain load of the same rows with no checks —
PostgreSQL `COPY` into an unpartitioned table of the same columns, SQLite `executemany` INSERT (SQLite has no
COPY) — and the p50/p99 alarm-to-case latency: from the batch's arrival to the commit of its cases.
"""

import argparse
import io
import json
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengguan.settings_test")
if os.environ.get("CHENGGUAN_DATABASE_URL", "").startswith("postgres"):
    os.environ.setdefault("CHENGGUAN_TEST_DATABASE_NAME", "bench_sensing")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def build(n_sensors: int):
    from chengguan import conftest
    from chengguan.grids.testing import make_grids
    from chengguan.sensing.models import Sensor
    from chengguan.sensing.testing import make_fleet

    city = conftest.city.__wrapped__(None)
    make_grids(city)
    fleet = make_fleet(city)
    rnd = random.Random(7)
    Sensor.objects.bulk_create(
        Sensor(device_id=f"S{i:06d}", name=f"井盖{i}", type=fleet["cover_type"],
               lng=rnd.uniform(114.301, 114.339), lat=rnd.uniform(34.801, 34.819), community=city.community_a1)
        for i in range(n_sensors)
    )


def batches(n_sensors, size, count, crossings, start):
    per_sensor = max(size // n_sensors, 1)
    for k in range(count):
        hot = {(k * crossings + j) % n_sensors for j in range(crossings)}
        rows = []
        for i in range(n_sensors):
            for j in range(per_sensor):
                at = start + timedelta(seconds=k * per_sensor + j)
                value = 30.0 if i in hot and j >= per_sensor - 2 else 2.0 + (j % 3) * 0.5
                rows.append({"device_id": f"S{i:06d}", "at": at.isoformat(), "value": value})
        yield json.dumps({"readings": rows}).encode(), rows


def plain_load(all_rows, sensor_pk) -> list[float]:
    """The baseline: the same rows loaded with no validation or logic at all; seconds per batch."""
    spent = []
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("CREATE UNLOGGED TABLE bench_copy (sensor_id bigint, at timestamptz, value double precision)")
            for rows in all_rows:
                t0 = time.perf_counter()
                buf = io.StringIO()
                buf.writelines(f"{sensor_pk[r['device_id']]}\t{r['at']}\t{r['value']!r}\n" for r in rows)
                with cur.cursor.copy("COPY bench_copy (sensor_id, at, value) FROM STDIN") as copy:
                    copy.write(buf.getvalue())
                spent.append(time.perf_counter() - t0)
            return spent
        cur.execute("CREATE TABLE bench_copy (sensor_id integer, at datetime, value real)")
        for rows in all_rows:
            t0 = time.perf_counter()
            cur.executemany("INSERT INTO bench_copy VALUES (%s, %s, %s)",
                            [(sensor_pk[r["device_id"]], r["at"], r["value"]) for r in rows])
            spent.append(time.perf_counter() - t0)
        return spent


def main(args):
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        from chengguan.cases.models import Case
        from chengguan.sensing.models import Reading, Sensor
        from chengguan.sensing.readings import readings_ingest

        build(args.sensors)
        start = timezone.now() - timedelta(days=1)
        bodies = list(batches(args.sensors, args.batch, args.batches, args.crossings, start))
        total = sum(len(rows) for _b, rows in bodies)
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")  # autovacuum is off on the shared machine
        latencies, per_batch = [], []
        cpu0 = time.process_time()
        for body, _rows in bodies:
            t0 = time.perf_counter()
            with transaction.atomic():
                out = readings_ingest(rows=json.loads(body)["readings"])
            done = time.perf_counter()
            per_batch.append(done - t0)
            latencies += [done - t0] * len(out.cases)
        spent, cpu = sum(per_batch), time.process_time() - cpu0
        cases = Case.objects.count()
        stored = Reading.objects.count()
        sensor_pk = dict(Sensor.objects.values_list("device_id", "pk"))
        base_batches = plain_load([rows for _b, rows in bodies], sensor_pk)
        baseline = sum(base_batches)
        size = len(bodies[0][1])
        med, base_med = statistics.median(per_batch), statistics.median(base_batches)
        print(f"engine: {connection.vendor}; {args.sensors} sensors, {len(bodies)} batches of "
              f"{len(bodies[0][1])} readings; {stored} stored, {cases} cases filed and dispatched")
        print(f"ingest (json.loads + readings_ingest): median batch {size / med:,.0f} readings/s per core; "
              f"overall {total / spent:,.0f}/s ({spent:.2f} s for {total:,}); per CPU second of this process "
              f"{total / cpu:,.0f}/s" + (" (the server's CPU not counted)" if connection.vendor == "postgresql" else ""))
        what = "COPY" if connection.vendor == "postgresql" else "executemany INSERT"
        print(f"baseline, plain {what} of the same rows: median batch {size / base_med:,.0f} rows/s; overall "
              f"{total / baseline:,.0f}/s ({baseline:.2f} s); ingest/baseline (medians) = {base_med / med:.2f}")
        if latencies:
            q = statistics.quantiles(latencies, n=100) if len(latencies) > 1 else latencies * 99
            print(f"alarm-to-case latency (batch arrival → case committed): p50 {statistics.median(latencies):.3f} s,"
                  f" p99 {q[98]:.3f} s over {len(latencies)} cases")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--sensors", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=10000)
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--crossings", type=int, default=2)
    main(parser.parse_args())
