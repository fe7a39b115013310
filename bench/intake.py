"""Benchmark: case intake through a real server, and the sweeper over 1,000,000 open cases (PostgreSQL).

    python bench/intake.py [--seconds 15] [--clients 8] [--workers 2] [--open-cases 1000000]

1. Creates a throw-away PostgreSQL database (`bench_intake`, migrations included) with the test city and its
   grids, starts gunicorn on it (`--workers` processes), and drives it with `--clients` concurrent clients for
   `--seconds` each: first `GET /healthz` (a trivial endpoint of the same server: one `SELECT 1`), then
   `POST /api/v1/cases` (a supervisor's report: token auth, geocoding, number allocation under a row lock,
   the deadline, the case and its event row). Prints requests/s and p50/p99 latency of both and their ratio.
2. Inserts `--open-cases` open cases with SQL `generate_series` (5 % overdue, 1 % past escalation) and times one
   sweeper pass (`chengguan tick`) with the other apps' `case_event_recorded` receivers disconnected (the
   sweeper's own cost), then a second pass (nothing left to do), beside a naive baseline that reads every open
   case's deadline in Python to find the overdue ones. `--subscribers` re-arms the same work and times it
   again with the receivers (evaluation facts, public webhooks) connected.
"""

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("CHENGGUAN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
if not DB_URL.startswith("postgres"):
    sys.exit("bench/intake.py needs PostgreSQL: set CHENGGUAN_DATABASE_URL=postgresql://…")
os.environ["CHENGGUAN_DATABASE_URL"] = DB_URL
os.environ["CHENGGUAN_TEST_DATABASE_NAME"] = "bench_intake"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengguan.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from loadgen import drive, pct, start_server  # noqa: E402


def build_city():
    """The `city` fixture of the test suite (two districts, personas) with its grids."""
    from chengguan import conftest
    from chengguan.grids.testing import make_grids

    city = conftest.city.__wrapped__(None)
    make_grids(city)
    return city


def bench_intake(args, city):
    from chengguan.org.services import token_create

    _token, key = token_create(user=city["supervisor"])
    with tempfile.TemporaryDirectory() as var_dir:
        proc, port = start_server(DB_URL, connection.settings_dict["NAME"], args.workers, var_dir, settings="chengguan.settings")
        try:
            auth = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

            def health(rng):
                return "GET", "/healthz", None, {}

            def report(rng):
                body = {
                    "source": "supervisor",
                    "matter_code": "06010",
                    "lng": rng.uniform(114.3005, 114.3195),  # district A: the supervisor's grids
                    "lat": rng.uniform(34.8005, 34.8195),
                    "description": "bench: 暴露垃圾",
                    "address": "西门大街",
                }
                return "POST", "/api/v1/cases", json.dumps(body, ensure_ascii=False).encode(), auth

            drive(port, 2, args.clients, health)  # warm-up: workers import everything, build the grid index
            drive(port, 2, args.clients, report)
            h_rate, h_err, h_lat = drive(port, args.seconds, args.clients, health)
            r_rate, r_err, r_lat = drive(port, args.seconds, args.clients, report)
        finally:
            proc.terminate()
            proc.wait(10)
    print(
        f"server: gunicorn, {args.workers} sync workers; {args.clients} concurrent clients; {args.seconds} s each"
    )
    print(
        f"  GET /healthz (baseline)   {h_rate:8.1f} req/s   p50 {pct(h_lat, 0.5):6.1f} ms   p99 {pct(h_lat, 0.99):6.1f} ms   errors {h_err}"
    )
    print(
        f"  POST /api/v1/cases        {r_rate:8.1f} cases/s p50 {pct(r_lat, 0.5):6.1f} ms   p99 {pct(r_lat, 0.99):6.1f} ms   errors {r_err}"
    )
    print(
        f"  ratio intake / baseline   {r_rate / h_rate:8.2f} (throughput), {statistics.median(r_lat) / statistics.median(h_lat):.1f}× the median latency"
    )


def insert_open_cases(n, city):
    """n open cases by generate_series: 94 % on time, 5 % overdue, 1 % past their escalation point."""
    from chengguan.cases.models import Case
    from chengguan.catalog.models import MatterType
    from chengguan.grids.models import UnitGrid

    ug = UnitGrid.objects.get(code="410202001001006")
    matter = MatterType.objects.get(code="06010")
    template = {
        "source": "'supervisor'", "channel": "''", "external_id": "''", "matter_id": str(matter.pk),
        "severity": "'normal'", "description": "'bench'", "lng": "114.3075", "lat": "34.8075", "address": "''",
        "unit_grid_id": str(ug.pk), "community_id": str(city.community_a1.pk), "street_id": str(city.street_a.pk),
        "district_id": str(city.district_a.pk), "area_class": "'B'", "reporter_name": "''", "reporter_phone": "''",
        "reported_at": "now() - interval '1 day'", "created_at": "now() - interval '1 day'",
        "state": "CASE WHEN i % 2 = 0 THEN 'dispatched' ELSE 'reported' END",
        "current_department_id": f"CASE WHEN i % 2 = 0 THEN {city.sanitation.pk} ELSE NULL END",
        "is_open": "true", "step": "CASE WHEN i % 2 = 0 THEN 'handle' ELSE 'accept' END",
        "step_started_at": "now() - interval '1 day'",
        "deadline": "CASE WHEN i % 100 < 5 THEN now() - interval '1 hour' ELSE now() + interval '2 days' END",
        "escalate_at": "CASE WHEN i % 100 = 0 THEN now() - interval '10 minutes' ELSE now() + interval '5 days' END",
        "limit_amount": "3", "limit_unit": "'working_days'", "overdue_notified": "false", "escalated": "false",
        "deadline_provisional": "false",
        "supervised": "false", "urge_count": "0", "rework_count": "0", "extension_count": "0",
        "hang_up_count": "0", "return_count": "0", "number": "'B' || lpad(i::text, 8, '0')",
    }  # fmt: skip
    table = Case._meta.db_table
    columns = ", ".join(template)
    values = ", ".join(template.values())
    started = time.monotonic()
    with connection.cursor() as cursor:
        for lo in range(1, n + 1, 250_000):
            hi = min(n, lo + 250_000 - 1)
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {values} FROM generate_series({lo}, {hi}) AS i"
            )
        cursor.execute(f"ANALYZE {table}")
    return time.monotonic() - started


def bench_sweeper(args, city):
    from django.utils import timezone

    from chengguan.cases.models import Case, CaseEvent, Notification
    from chengguan.cases.services.sweeper import sweep
    from chengguan.cases.signals import case_event_recorded, case_events_written

    seconds = insert_open_cases(args.open_cases, city)
    print(f"sweeper: {args.open_cases:,} open cases inserted in {seconds:.1f} s")
    now = timezone.now()
    started = time.monotonic()
    rows = Case.objects.filter(is_open=True).values_list("pk", "deadline").iterator(chunk_size=20_000)
    overdue = sum(1 for _pk, deadline in rows if deadline and deadline < now)
    naive = time.monotonic() - started

    receivers = case_event_recorded.receivers
    in_transaction = case_events_written.receivers  # the evaluation facts
    case_event_recorded.receivers = []  # the sweeper's own work, without other apps' subscribers
    case_events_written.receivers = []
    case_event_recorded.sender_receivers_cache.clear()
    case_events_written.sender_receivers_cache.clear()
    try:
        started = time.monotonic()
        alone = sweep(now=now)
        own = time.monotonic() - started
    finally:
        case_event_recorded.receivers = receivers
        case_events_written.receivers = in_transaction
        case_event_recorded.sender_receivers_cache.clear()
        case_events_written.sender_receivers_cache.clear()
    print(
        f"  baseline: read every open case's deadline in Python      {naive:7.2f} s  ({overdue:,} overdue found, nothing written)"
    )
    print(
        f"  tick, the sweeper alone (events, inbox rows)             {own:7.2f} s  ({alone['urged']:,} urged, {alone['escalated']:,} escalated)"
    )
    if args.subscribers:
        CaseEvent.objects.filter(actor_role="system").delete()  # re-arm the same work for the full run
        Notification.objects.all().delete()
        Case.objects.filter(overdue_notified=True).update(overdue_notified=False, urge_count=0)
        Case.objects.filter(escalated=True).update(escalated=False, supervised=False)
        started = time.monotonic()
        full = sweep(now=now)
        took = time.monotonic() - started
        print(
            f"  tick with the apps' event subscribers ({len(receivers) + len(in_transaction)} receivers)   {took:7.2f} s  ({full['urged']:,} urged, {full['escalated']:,} escalated)"
        )
    started = time.monotonic()
    again = sweep(now=now)
    second = time.monotonic() - started
    print(
        f"  tick again (nothing new: the partial indexes)            {second:7.3f} s  ({again['urged']} urged, {again['escalated']} escalated)"
    )
    print(f"  events written {CaseEvent.objects.count():,}, notifications {Notification.objects.count():,}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--open-cases", type=int, default=1_000_000)
    parser.add_argument("--skip-server", action="store_true")
    parser.add_argument("--skip-sweeper", action="store_true")
    parser.add_argument(
        "--subscribers",
        action="store_true",
        help="also time the tick with other apps' event receivers connected",
    )
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False, keepdb=False)
    try:
        city = build_city()
        if not args.skip_server:
            bench_intake(args, city)
        if not args.skip_sweeper:
            bench_sweeper(args, city)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
