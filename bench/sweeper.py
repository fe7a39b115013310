"""Benchmark: one sweeper tick over 1,000,000 open cases on PostgreSQL, with the apps' event receivers, beside a
naive read of the same rows.

    CHENGGUAN_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/sweeper.py [--open-cases 1000000]

Creates a throw-away database (`bench_sweeper`) with the test city and its grids, makes two template cases through
the real services (one reported, one dispatched to sanitation, each with its evaluation fact rows), and clones them
server-side (`INSERT … SELECT … generate_series`, about a minute for 1M) into `--open-cases` open cases — half
awaiting acceptance, half at a department, 5 % overdue, 1 % past their escalation point — with their case and step
fact rows, so the evaluation receiver advances existing facts as it does in a live city. ANALYZE, then:

1. baseline: read every open case's deadline into Python (`values_list … iterator`) and count the overdue ones;
2. one sweeper tick (`chengguan tick`'s sweep) with every receiver connected (evaluation facts in the transaction,
   public webhooks/points/messages after commit, sensing checks);
3. a second tick (nothing left: it reads past the cases already flagged in the partial index).

It also prints how many of the tick's updates of the case and fact tables were HOT. A `bench_sweeper` seeded
before migrations cases 0010 / evaluation 0006 (fillfactor 85) has full pages: rewrite it once
(`VACUUM FULL cases_case; VACUUM FULL evaluation_casefact; VACUUM FULL evaluation_stepfact;`) or drop it.

`--keep` keeps the database afterwards and, when it already holds the seeded cases, reuses it: the previous
tick's events, notifications and flags are undone (facts and case counters reset), then VACUUM ANALYZE.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("CHENGGUAN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
if not DB_URL.startswith("postgres"):
    sys.exit("bench/sweeper.py needs PostgreSQL: set CHENGGUAN_DATABASE_URL=postgresql://…")
os.environ["CHENGGUAN_DATABASE_URL"] = DB_URL
os.environ["CHENGGUAN_TEST_DATABASE_NAME"] = "bench_sweeper"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengguan.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def templates():
    from chengguan import conftest
    from chengguan.cases.testing import Walker
    from chengguan.cases.workflow import State
    from chengguan.catalog.models import MatterType
    from chengguan.grids.testing import make_grids

    city = conftest.city.__wrapped__(None)
    make_grids(city)
    walker = Walker(city, MatterType.objects.get(code="06010"))
    return walker.to(State.REPORTED), walker.to(State.DISPATCHED)


def clone(template, n: int, tag: str) -> None:
    """n copies of the template case (numbers `tag` + 8 digits) and of its fact rows, server-side."""
    from chengguan.cases.models import Case
    from chengguan.evaluation.models import CaseFact, StepFact

    def columns(model, skip):
        return [f.column for f in model._meta.concrete_fields if f.column not in skip]

    case_cols = columns(Case, {"id", "number", "deadline", "escalate_at"})
    with connection.cursor() as cursor:
        for lo in range(1, n + 1, 200_000):
            hi = min(n, lo + 200_000 - 1)
            cursor.execute(
                f"INSERT INTO {Case._meta.db_table} (number, deadline, escalate_at, {', '.join(case_cols)}) "
                f"SELECT %s || lpad(i::text, 8, '0'), "
                "CASE WHEN i %% 100 < 5 THEN now() - interval '1 hour' ELSE now() + interval '2 days' END, "
                "CASE WHEN i %% 100 = 0 THEN now() - interval '10 minutes' ELSE now() + interval '5 days' END, "
                f"{', '.join('t.' + c for c in case_cols)} "
                f"FROM {Case._meta.db_table} t, generate_series({lo}, {hi}) AS i WHERE t.id = %s",
                [tag, template.pk],
            )
        fact_cols = columns(CaseFact, {"case_id"})
        cursor.execute(
            f"INSERT INTO {CaseFact._meta.db_table} (case_id, {', '.join(fact_cols)}) "
            f"SELECT c.id, {', '.join('f.' + c for c in fact_cols)} FROM {Case._meta.db_table} c "
            f"JOIN {CaseFact._meta.db_table} f ON f.case_id = %s WHERE c.number LIKE %s",
            [template.pk, tag + "%"],
        )
        step_cols = columns(StepFact, {"id", "case_id"})
        cursor.execute(
            f"INSERT INTO {StepFact._meta.db_table} (case_id, {', '.join(step_cols)}) "
            f"SELECT c.id, {', '.join('s.' + c for c in step_cols)} FROM {Case._meta.db_table} c "
            f"JOIN {StepFact._meta.db_table} s ON s.case_id = %s WHERE c.number LIKE %s",
            [template.pk, tag + "%"],
        )


def undo() -> None:
    """Undo a previous tick on a kept database: its events, notifications, case flags and fact counters."""
    from chengguan.cases.models import Case, CaseEvent, Notification
    from chengguan.evaluation.models import CaseFact, StepFact

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Notification._meta.db_table} WHERE kind IN ('urge', 'supervise')")
        cursor.execute(f"DELETE FROM {CaseEvent._meta.db_table} WHERE actor_role = 'system'")
        cursor.execute(
            f"UPDATE {Case._meta.db_table} SET overdue_notified = false, escalated = false, urge_count = 0, "
            "supervised = false WHERE overdue_notified OR escalated"
        )
        for model in (CaseFact, StepFact):
            cursor.execute(
                f"UPDATE {model._meta.db_table} SET urge_count = 0, supervised = 0 "
                "WHERE urge_count > 0 OR supervised > 0"
            )
        cursor.execute("VACUUM ANALYZE")


def hot_updates() -> dict:
    """Rows updated so far in the case and fact tables, and how many of those updates were HOT."""
    from chengguan.cases.models import Case
    from chengguan.evaluation.models import CaseFact, StepFact

    tables = [m._meta.db_table for m in (Case, CaseFact, StepFact)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_force_next_flush()")
        cursor.execute("SELECT 1")
        time.sleep(1.1)
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT relname, n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = ANY(%s)",
            [tables],
        )
        return {name: (n, hot) for name, n, hot in cursor.fetchall()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--open-cases", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the database; reuse it if already seeded")
    parser.add_argument("--profile", action="store_true", help="print the tick's cProfile (top 30)")
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False, keepdb=args.keep)
    try:
        from django.utils import timezone

        from chengguan.cases.models import Case, CaseEvent, Notification
        from chengguan.cases.services.sweeper import sweep
        from chengguan.cases.signals import case_event_recorded, case_events_written

        started = time.monotonic()
        if args.keep and Case.objects.filter(is_open=True).count() == args.open_cases + 2:
            undo()
        else:
            if Case.objects.exists():
                sys.exit("the kept database holds another number of cases: drop bench_sweeper or match it")
            reported, dispatched = templates()
            clone(reported, args.open_cases // 2, "SA")
            clone(dispatched, args.open_cases - args.open_cases // 2, "SB")
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(f"sweeper: {Case.objects.filter(is_open=True).count():,} open cases (with their fact rows) "
              f"seeded in {time.monotonic() - started:.1f} s")  # fmt: skip
        now = timezone.now()
        started = time.monotonic()
        rows = Case.objects.filter(is_open=True).values_list("pk", "deadline").iterator(chunk_size=20_000)
        overdue = sum(1 for _pk, deadline in rows if deadline and deadline < now)
        naive = time.monotonic() - started
        receivers = len(case_event_recorded.receivers) + len(case_events_written.receivers)
        events_before = CaseEvent.objects.count()
        if args.profile:
            import cProfile
            import pstats

            connection.force_debug_cursor = True
            connection.queries_log.clear()
            profiler = cProfile.Profile()
            profiler.enable()
        updates_before = hot_updates()
        started = time.monotonic()
        done = sweep(now=now)
        tick = time.monotonic() - started
        updates = {
            t: tuple(a - b for a, b in zip(n, updates_before[t], strict=True))
            for t, n in hot_updates().items()
        }
        if args.profile:
            profiler.disable()
            kinds = {}
            for q in connection.queries:  # statement time per kind: claim, facts, events, inbox, commit …
                words = q["sql"].replace('"', "").split()
                kind = " ".join(words[:3] if words[0] in ("INSERT", "UPDATE") else words[:1])
                kinds[kind] = kinds.get(kind, 0.0) + float(q["time"])
            for kind, seconds in sorted(kinds.items(), key=lambda kv: -kv[1])[:8]:
                print(f"  {seconds:7.3f} s  {kind}")
            pstats.Stats(profiler).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(30)
        started = time.monotonic()
        again = sweep(now=now)
        second = time.monotonic() - started
        print(
            f"  baseline: read every open case's deadline in Python   {naive:7.2f} s  ({overdue:,} overdue found)"
        )
        print(f"  tick with the apps' receivers ({receivers})              {tick:7.2f} s  "
              f"({done['urged']:,} urged, {done['escalated']:,} escalated)  ratio {tick / naive:.2f}× the read")  # fmt: skip
        print(f"  tick again (nothing new)                           {second:7.3f} s  ({again})")
        print("  rows updated by the tick (of them HOT): "
              + ", ".join(f"{t} {n:,} ({hot:,})" for t, (n, hot) in updates.items()))  # fmt: skip
        print(f"  events written {CaseEvent.objects.count() - events_before:,}, "
              f"notifications {Notification.objects.count():,}")  # fmt: skip
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=args.keep)


if __name__ == "__main__":
    main()
