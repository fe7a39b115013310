"""Benchmark: the bulk import (`chengguan cases import --bulk`) on real 311 histories, beside the `bulk_create`
floor for the same rows, measured in the same run.

    python bench/bulk_import.py [--limit N] [--runs 3] [--chunk 5000]
    CHENGGUAN_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python bench/bulk_import.py

The San Francisco and Los Angeles samples are converted as in `bench/replay_311.py` (docs/case-exchange.md) into
one file for the test city. Each run, interleaved:

- **bulk import**: `chengguan.cases.bulk.bulk_import(file)` — validate the whole file, replay every line in memory
  with the live rules (grid placement, catalogue, routing, calendar deadlines, history rows), write in chunks
  with the evaluation facts (`cases_imported` receivers on: every rule) and a checkpoint per chunk;
- **floor**: the same case, event and dispatch rows (produced beforehand, untimed) written with plain
  `bulk_create` in chunks of the same size — no parsing, no rules, no facts, no checkpoint.

Printed: medians of cases/s for both and their ratio; the replaying import (`--replay`, slow) can be added.
The database is emptied between runs (and ANALYZEd on PostgreSQL).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("CHENGGUAN_TEST_DATABASE_NAME", "bench_bulk")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import replay_311 as replay  # noqa: E402  (sets up Django)
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def empty():
    from chengguan.cases.models import (
        Case,
        CaseCounter,
        CaseDepartment,
        CaseEvent,
        CaseRequest,
        ImportCheckpoint,
    )
    from chengguan.evaluation.models import CaseFact, StepFact

    with transaction.atomic():
        for model in (StepFact, CaseFact, CaseDepartment, CaseRequest, CaseEvent):
            model.objects.all()._raw_delete(connection.alias)
        Case.objects.update(merged_into=None)
        Case.objects.all()._raw_delete(connection.alias)
        CaseCounter.objects.all().delete()
        ImportCheckpoint.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def floor(path, chunk: int) -> float:
    """bulk_create the rows the import writes (made untimed by the same in-memory replay), in chunks."""
    from chengguan.cases.bulk import plan_import, simulate
    from chengguan.cases.bulk.simulate import EVENT_COLUMNS
    from chengguan.cases.exchange import parse_line
    from chengguan.cases.models import Case, CaseDepartment, CaseEvent, CaseRequest

    plan, world = plan_import(path)
    check = lambda *a: None  # noqa: E731 - merges are linked by the import only
    replayed = [simulate(parse_line(no, text), world, check) for no, text in sim_lines(path)]
    for r in replayed:  # model instances of the same rows, made untimed
        r.events = [CaseEvent(**dict(zip(EVENT_COLUMNS, e, strict=True))) for e in r.events]
    started = time.monotonic()
    for start in range(0, len(replayed), chunk):
        rows = replayed[start : start + chunk]
        with transaction.atomic():
            Case.objects.bulk_create([r.case for r in rows], batch_size=1000)
            requests = []
            for r in rows:
                for q in r.requests:
                    q.case_id = r.case.pk
                    requests.append(q)
            CaseRequest.objects.bulk_create(requests, batch_size=1000)
            events = []
            for r in rows:
                for e in r.events:
                    e.case_id = r.case.pk
                    if isinstance(e.payload.get("request_id"), CaseRequest):
                        e.payload["request_id"] = e.payload["request_id"].pk
                    events.append(e)
            CaseEvent.objects.bulk_create(events, batch_size=1000)
            CaseDepartment.objects.bulk_create(
                [CaseDepartment(case_id=r.case.pk, department_id=d, first_dispatched_at=at)
                 for r in rows for d, at in r.dispatched.items()], batch_size=1000)  # fmt: skip
    return time.monotonic() - started, len(replayed), sum(len(r.events) for r in replayed)


def sim_lines(path):
    with open(path, encoding="utf-8") as f:
        for no, text in enumerate(f, start=1):
            if text.strip():
                yield no, text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="at most N mapped rows per city")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--chunk", type=int, default=5000)
    parser.add_argument("--no-facts", action="store_true", help="leave the evaluation facts out of the import")
    parser.add_argument("--sequential", action="store_true",
                        help="also time the import validating first (overlap=False) in each run")  # fmt: skip
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="print the N costliest functions (CPU time, cProfile) of the first run's import")
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        from chengguan import conftest
        from chengguan.cases.bulk import bulk_import
        from chengguan.cases.signals import case_event_recorded, cases_imported
        from chengguan.grids.testing import make_grids

        city = conftest.city.__wrapped__(None)
        make_grids(city)
        signals = (case_event_recorded, cases_imported) if args.no_facts else (case_event_recorded,)
        for signal in signals:
            signal.receivers = []
            signal.sender_receivers_cache.clear()
        lines = []
        for path, convert in ((replay.DATA / "sf_311_sample.csv", replay.convert_sf),
                              (replay.DATA / "la_311_2020-01-01_03.csv", replay.convert_la)):  # fmt: skip
            lines += convert(path, args.limit)[0]
        tmp = Path(tempfile.mkdtemp()) / "311.jsonl"
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"database: {connection.vendor}; {len(lines):,} cases in the file; chunk {args.chunk}; "
              f"facts {'off' if args.no_facts else 'on'}")  # fmt: skip
        bulk_rates, floor_rates, ratios, seq_ratios = [], [], [], []
        for run in range(args.runs):
            empty()
            if args.profile and run == 0:
                profiler = cProfile.Profile()
                result = profiler.runcall(bulk_import, tmp, chunk=args.chunk)
                stats = pstats.Stats(profiler).strip_dirs()
                stats.sort_stats("tottime").print_stats(args.profile)
                stats.sort_stats("cumulative").print_stats(args.profile)
            else:
                result = bulk_import(tmp, chunk=args.chunk)
            took = result["seconds"]
            cases, events = result["cases"], result["events"] + result["cases"]
            if args.sequential:
                empty()
                seq = bulk_import(tmp, chunk=args.chunk, overlap=False)["seconds"]
                seq_ratios.append(seq / took)
            empty()
            base, base_cases, base_events = floor(tmp, args.chunk)
            assert base_cases == cases and base_events == events, (base_cases, cases, base_events, events)
            bulk_rates.append(cases / took)
            floor_rates.append(cases / base)
            ratios.append(took / base)
            print(f"run {run + 1}: bulk import {cases / took:8,.0f} cases/s ({cases:,} cases, {events:,} event rows, "
                  f"{took:.2f} s, of which validation {result['validated_seconds']:.2f} s)   "
                  f"floor {cases / base:8,.0f} cases/s ({base:.2f} s)"
                  + (f"   sequential {cases / seq:8,.0f} cases/s ({seq:.2f} s)" if args.sequential else ""))  # fmt: skip
        print(f"median: bulk import {statistics.median(bulk_rates):,.0f} cases/s, bulk_create floor "
              f"{statistics.median(floor_rates):,.0f} cases/s, import takes {statistics.median(ratios):.2f}× the floor"
              + (f"; validating first takes {statistics.median(seq_ratios):.2f}× the overlapped import"
                 if args.sequential else ""))  # fmt: skip
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
