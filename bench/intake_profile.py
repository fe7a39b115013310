"""The live write path in process: milliseconds, statements and (with --profile) the cProfile of one request.

    [CHENGGUAN_BENCH_DB=bench_profile_mine] CHENGGUAN_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
        python bench/intake_profile.py [--requests 500] [--profile "POST /api/v1/cases"] [--top 40]

Seeds the same throw-away PostgreSQL database as bench/http_load.py (the test city, 1,000 Open311 cases,
ANALYZE) and sends the same requests through Django's full handler and middleware (`django.test.Client`, the
production settings of bench/floor_settings.py), one endpoint after the other, `--requests` each after a warm-up:
prints per endpoint the median and p90 milliseconds per request, the mean CPU milliseconds of this process (the
Python a web worker spends, without the wait for the database), their ratios to `GET /healthz` and the
statements one request runs. `--profile NAME` profiles that endpoint's requests (CPU time) and prints the `--top`
functions by cumulative and by own time.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("CHENGGUAN_BENCH_DB", "bench_profile")
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.floor_settings"
os.environ.setdefault("CHENGGUAN_SECRET_KEY", "bench-only-not-a-secret")
os.environ["CHENGGUAN_ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("CHENGGUAN_LOG_LEVEL", "WARNING")

from bench import http_load  # noqa: E402, I001  (sets the database up like the load bench; django.setup())
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def send(client, make, rng):
    method, path, body, headers = make(rng)
    extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items() if k != "Content-Type"}
    if method == "GET":
        response = client.get(path, **extra)
    else:
        response = client.generic(
            method, path, body or b"", content_type=headers.get("Content-Type", ""), **extra
        )
    if response.status_code not in (200, 201):
        sys.exit(f"{method} {path}: {response.status_code} {response.content[:300]!r}")
    return response


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--seed-cases", type=int, default=1000)
    parser.add_argument("--profile", default="")
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--sql", action="store_true", help="print the statements of one request per endpoint")
    parser.add_argument("--only", default="", help="only the endpoints whose name contains this (and /healthz)")
    args = parser.parse_args()
    import random

    from chengguan.core import pipeline

    run_pipeline = pipeline.run
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False, keepdb=False)
    try:
        bearer, key = http_load.seed(args.seed_cases)
        plan = http_load.endpoints(bearer, key)
        client = Client()
        rng = random.Random(5)
        results = {}
        for name, make in plan.items():
            if args.only and args.only not in name and name != "GET /healthz":
                continue
            for _ in range(20):  # warm-up: imports, the grid index, the memos
                send(client, make, rng)
            statements = []

            def count(execute, sql, *rest, seen=statements):
                seen.append(sql)
                return execute(sql, *rest)

            from chengguan.core import pipeline

            def pipelined(connection_, sent, *, seen=statements, **kwargs):
                seen.extend(sql for sql, _params in sent)  # sent in one round trip, each counted
                return run_pipeline(connection_, sent, **kwargs)

            pipeline.run = pipelined
            try:
                with connection.execute_wrapper(count):
                    send(client, make, rng)  # (request_started empties connection.queries: count them here)
            finally:
                pipeline.run = run_pipeline
            if args.sql:
                print(name, *statements, sep="\n  ")
            # CPU time of this process (the Python a worker spends), not the wait for the database server
            profiler = cProfile.Profile(time.process_time) if name == args.profile else None
            times, cpu = [], []
            for _ in range(args.requests):
                t, c = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                send(client, make, rng)
                if profiler:
                    profiler.disable()
                times.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
            times.sort()
            results[name] = (
                statistics.median(times),
                times[int(0.9 * len(times))],
                statistics.mean(cpu),
                len(statements),
            )
            if profiler:
                stats = pstats.Stats(profiler).strip_dirs()
                stats.sort_stats("cumulative").print_stats(args.top)
                stats.sort_stats("tottime").print_stats(args.top)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)
    health, health_cpu = results["GET /healthz"][0], results["GET /healthz"][2]
    print(
        f"in process (django.test.Client, production middleware), PostgreSQL; {args.requests} requests each"
    )
    print(
        f"  {'endpoint':32} {'ms p50':>8} {'ms p90':>8} {'×healthz':>9} {'CPU ms':>7} {'×healthz':>9} {'statements':>10}"
    )
    for name, (p50, p90, cpu, n) in results.items():
        print(
            f"  {name:32} {p50:8.2f} {p90:8.2f} {p50 / health:9.1f} {cpu:7.2f} {cpu / health_cpu:9.1f} {n:10d}"
        )


if __name__ == "__main__":
    main()
