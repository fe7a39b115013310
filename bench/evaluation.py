"""Benchmark: evaluation reports over a year of a large city, on PostgreSQL, beside DuckDB in the same run.

    pip install -e '.[bench]'          # duckdb
    python bench/evaluation.py                    # 5,000,000 cases (≈ 10–15 min on 2 cores)
    python bench/evaluation.py --cases 200000     # a quick run
    python bench/evaluation.py --keep             # keep the database chengguan_bench_rollups afterwards
    python bench/evaluation.py --reuse            # time again on a kept database (no seeding)

It creates its own database (`chengguan_bench_rollups`, or `$CHENGGUAN_BENCH_DB`, on CHENGGUAN_BENCH_PG, default
postgresql://postgres@127.0.0.1:5432), migrates it, adds a city (10 districts × 10 streets × 10 communities,
20 unit grids each, 60 disposal departments, 600 supervisors), generates a year of case facts and their step
facts with `generate_series` (deterministic; the fact triggers of the rollups fire as for any writer), and then
times, warm, median of 5:

- the monthly department report (November) and the yearly region report (by district) through the real
  indicator code (`chengguan.evaluation.reports.party_report`, the same code the pages and the API call), first
  from the facts (`CHENGGUAN_EVALUATION_ROLLUPS=0`), then from the rollups of a past year (a report of last
  year): cold (every month computed and stored), warm (every month stored), with two stale months (a case fact of
  March and a step fact of November written before each run, as a live event on an old case does);
- the running year, today being 31 December (December, a twelfth of the year's cases, is the current month: its
  30 closed days come from the daily rollups, today from the facts): the monthly department report of December
  (from the facts — what the current month cost before the daily rollups —, cold: the 30 days computed, warm,
  and with three recent days written before each run, as live events on the last days' cases do) and the yearly
  region report (warm, the same three days written). Every rollup report is checked equal to the fact report;
- the same aggregations in DuckDB over a Parquet export of the same facts (the columns these reports read),
  exported in the same run; the PostgreSQL/DuckDB ratios are printed;
- the cost of the fact triggers: 200,000 case facts inserted in one statement, and 2,000 one-row updates (a live
  event's statements), with the triggers enabled and disabled, median of 3, on PostgreSQL; and the same on a
  SQLite table with the fact table's columns and the migration's row triggers.

The database is dropped at the end unless --keep is given. The PostgreSQL server's settings are left as
they are (shared_buffers, work_mem, parallel workers): the figures are what a default install gives.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# the database: CHENGGUAN_BENCH_DB (default chengguan_bench_rollups), so that two runs can be kept side by side
BENCH_DB = os.environ.get("CHENGGUAN_BENCH_DB", "chengguan_bench_rollups")
SERVER = os.environ.get("CHENGGUAN_BENCH_PG", "postgresql://postgres@127.0.0.1:5432")
DISTRICTS, STREETS, COMMUNITIES, GRIDS = 10, 10, 10, 20
DEPARTMENTS, SUPERVISORS, OPERATORS, SHIFT_LEADERS, DISPATCHERS = 60, 600, 20, 10, 10
MATTERS = 20
WORKERS = max(2, os.cpu_count() or 2)


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def setup_django() -> None:
    os.environ["CHENGGUAN_DATABASE_URL"] = f"{SERVER}/{BENCH_DB}"
    os.environ.setdefault("CHENGGUAN_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengguan.settings")
    os.environ.setdefault("CHENGGUAN_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def step(label):
    class Timer:
        def __enter__(self):
            self.t0 = time.perf_counter()
            print(f"  {label} …", end="", flush=True)
            return self

        def __exit__(self, *exc):
            self.seconds = time.perf_counter() - self.t0
            print(f" {self.seconds:.1f} s", flush=True)

    return Timer()


# ---- the city ---------------------------------------------------------------------------------------------


def make_city() -> dict:
    from django.contrib.auth.hashers import make_password  # noqa: F401 - users get an unusable password
    from django.db import connection

    from chengguan.catalog.models import MatterType
    from chengguan.grids.models import UnitGrid
    from chengguan.org.models import Department, Region, User

    city = Region.objects.create(code="990000000000", name="基准市", level="city")
    districts, streets, communities = [], [], []
    for d in range(DISTRICTS):
        district = Region.objects.create(
            code=f"99{d + 1:02d}00000000", name=f"第{d + 1}区", level="district", parent=city
        )
        districts.append(district)
        for s in range(STREETS):
            street = Region.objects.create(
                code=f"{district.code[:6]}{s + 1:03d}000",
                name=f"{district.name}{s + 1}街道",
                level="street",
                parent=district,
            )
            streets.append(street)
            communities += [
                Region(
                    code=f"{street.code[:9]}{c + 1:03d}",
                    name=f"{street.name}{c + 1}社区",
                    level="community",
                    parent=street,
                )
                for c in range(COMMUNITIES)
            ]
    communities = Region.objects.bulk_create(communities)
    with connection.cursor() as cur:
        cur.execute(
            "UPDATE org_region c SET path = p.path || c.id || '/' FROM org_region p "
            "WHERE c.parent_id = p.id AND c.level = 'community'"
        )
    grids = []
    for c in communities:
        for g in range(GRIDS):
            x, y = 100 + (c.pk % 100) * 0.01 + g * 0.0005, 30 + (c.pk // 100) * 0.01
            ring = [[x, y], [x + 0.0005, y], [x + 0.0005, y + 0.0005], [x, y + 0.0005], [x, y]]
            grids.append(
                UnitGrid(
                    code=f"{c.code}{g + 1:03d}",
                    community=c,
                    geometry={"type": "Polygon", "coordinates": [ring]},
                )
            )
    UnitGrid.objects.bulk_create(grids, batch_size=5000)
    departments = Department.objects.bulk_create(
        [
            Department(code=f"BD{i:03d}", name=f"处置单位{i + 1:02d}", kind="disposal")
            for i in range(DEPARTMENTS)
        ]
    )
    with connection.cursor() as cur:
        cur.execute("UPDATE org_department SET path = '/' || id || '/' WHERE code LIKE 'BD%'")

    def people(prefix, n):
        return User.objects.bulk_create(
            [User(username=f"{prefix}{i:04d}", full_name=f"{prefix}{i:04d}", password="!") for i in range(n)]
        )

    return {
        "city": city,
        "districts": districts,
        "departments": departments,
        "supervisors": people("sup", SUPERVISORS),
        "operators": people("op", OPERATORS),
        "shift_leaders": people("sl", SHIFT_LEADERS),
        "dispatchers": people("dp", DISPATCHERS),
        "matters": list(MatterType.objects.order_by("code").values_list("pk", "major_code")[:MATTERS]),
    }


LOOKUPS = """
CREATE TEMP TABLE bench_comm AS
  SELECT row_number() OVER (ORDER BY c.id) - 1 AS idx, c.id AS community_id, s.id AS street_id, s.parent_id AS district_id,
         (SELECT min(g.id) FROM grids_unitgrid g WHERE g.community_id = c.id) AS grid0
  FROM org_region c JOIN org_region s ON s.id = c.parent_id WHERE c.level = 'community';
CREATE UNIQUE INDEX ON bench_comm (idx);
CREATE TEMP TABLE bench_matter (idx int PRIMARY KEY, id bigint, major varchar(2));
"""

# u(k): a deterministic pseudo-uniform number in [0, 1) per case g and attribute k (no random(): repeatable,
# and safe in parallel workers).
U = "(mod(g::bigint * {m} + {k}, 1000003)::float8 / 1000003)"


def u(k: int, m: int = 2654435761) -> str:
    return U.format(m=m, k=k * 7919)


CASES_SQL = f"""
INSERT INTO evaluation_casefact (
  case_id, source, channel, matter_id, major_code, district_id, street_id, community_id, unit_grid_id,
  responsibility_grid_id, area_class, reporter_id, department_id, state, reported_at, reported_on, filed_at,
  first_dispatched_at, closed_at, closed_on, is_public, need_verify, verify_confirmed, accepted, rejected, merged,
  self_handled, filed, voided, filed_valid, valid, dispatched, handled, handled_overdue, reworked, extended,
  hung_up, hung_up_now, returned, rectified, need_close, closed, closed_on_time, supervised, rework_count,
  extension_count, hang_up_count, return_count, urge_count)
SELECT g, x.source, '', m.id, m.major, c.district_id, c.street_id, c.community_id, c.grid0 + mod(g, {GRIDS}),
  NULL, 'B', CASE WHEN x.source = 'supervisor' THEN %(sup0)s + mod(g, {SUPERVISORS}) END,
  CASE WHEN x.kind = 'dispatched' THEN %(dept0)s + mod(g * 13, {DEPARTMENTS}) END,
  CASE WHEN x.kind = 'rejected' THEN 'rejected' WHEN x.kind = 'voided' THEN 'voided'
       WHEN x.hung = 1 THEN 'hung_up' WHEN x.closed = 1 THEN 'closed' ELSE 'dispatched' END,
  x.at, (x.at AT TIME ZONE 'Asia/Shanghai')::date,
  CASE WHEN x.kind IN ('dispatched', 'voided') THEN x.at + interval '20 minutes' END,
  CASE WHEN x.kind = 'dispatched' THEN x.at + interval '30 minutes' END,
  CASE WHEN x.closed = 1 THEN x.at + interval '2 days' END,
  CASE WHEN x.closed = 1 THEN ((x.at + interval '2 days') AT TIME ZONE 'Asia/Shanghai')::date END,
  x.public, x.public, x.public * (x.kind <> 'rejected')::int, (x.kind <> 'rejected')::int,
  (x.kind = 'rejected')::int, 0, (x.kind = 'self')::int, (x.kind IN ('dispatched', 'voided'))::int,
  (x.kind = 'voided')::int, (x.kind = 'dispatched')::int, (x.kind IN ('dispatched', 'self'))::int,
  (x.kind = 'dispatched')::int, x.handled, x.handled * x.overdue, x.rework, x.extended, x.hung, x.hung,
  0, greatest(x.closed, (x.kind = 'self')::int), (x.kind IN ('dispatched', 'self'))::int * (1 - x.hung),
  x.closed, x.closed * (1 - x.overdue), 0, x.rework, x.extended, x.hung, 0, 0
FROM (
  SELECT g,
    timestamptz '2026-01-01 00:00+08' + (g - 1) * (interval '365 days' / %(n)s) AS at,
    CASE WHEN {u(1)} < 0.60 THEN 'supervisor' WHEN {u(1)} < 0.75 THEN 'citizen' WHEN {u(1)} < 0.85 THEN 'hotline'
         WHEN {u(1)} < 0.95 THEN 'camera' ELSE 'department' END AS source,
    CASE WHEN {u(1)} >= 0.60 AND {u(1)} < 0.85 THEN 1 ELSE 0 END AS public,
    CASE WHEN {u(2)} < 0.05 THEN 'rejected' WHEN {u(2)} < 0.08 THEN 'voided'
         WHEN {u(2)} < 0.13 AND {u(1)} < 0.60 THEN 'self' ELSE 'dispatched' END AS kind,
    ({u(3)} < 0.95)::int AS handled, ({u(4)} < 0.12)::int AS overdue, ({u(5)} < 0.06)::int AS rework,
    ({u(6)} < 0.05)::int AS extended, ({u(7)} < 0.02 AND {u(3)} >= 0.95)::int AS hung,
    ({u(3)} < 0.95 AND {u(8)} < 0.97)::int AS closed,
    mod(g * 7919, %(ncomm)s) AS comm, mod(g * 31, {MATTERS}) AS matter
  FROM generate_series(1::bigint, %(n)s::bigint) AS g
) x
JOIN bench_comm c ON c.idx = x.comm
JOIN bench_matter m ON m.idx = x.matter
"""

# One INSERT per step kind (much cheaper than a LATERAL VALUES list evaluated for every case): (seq, step,
# round, user, role, department, start offset, duration, time limit, start action, end action, ended, late,
# faulted, extension count, opens an assignment, included when). Offsets are from reported_at.
SUP = f"%(sup0)s + mod(f.case_id, {SUPERVISORS})"
STEPS = [
    (
        1,
        "accept",
        1,
        f"%(op0)s + mod(f.case_id, {OPERATORS})",
        "operator",
        "NULL",
        "0",
        "10 min",
        "30 min",
        "report",
        "CASE WHEN f.rejected = 1 THEN 'reject' WHEN f.is_public = 1 THEN 'request_verification' "
        "WHEN f.self_handled = 1 THEN 'self_handle' ELSE 'accept' END",
        "1",
        "0",
        "0",
        "0",
        0,
        "true",
    ),
    (
        2,
        "verify",
        1,
        SUP,
        "supervisor",
        "NULL",
        "10 min",
        "40 min",
        "60 min",
        "request_verification",
        "'verify'",
        "1",
        "0",
        "0",
        "0",
        0,
        "f.is_public = 1",
    ),
    (
        3,
        "file",
        1,
        f"%(sl0)s + mod(f.case_id, {SHIFT_LEADERS})",
        "shift_leader",
        "NULL",
        "15 min",
        "5 min",
        "30 min",
        "accept",
        "'file'",
        "1",
        "0",
        "f.voided",
        "0",
        0,
        "f.filed = 1",
    ),
    (
        4,
        "dispatch",
        1,
        f"%(dp0)s + mod(f.case_id, {DISPATCHERS})",
        "dispatcher",
        "NULL",
        "20 min",
        "10 min",
        "30 min",
        "file",
        "CASE WHEN f.voided = 1 THEN 'void' ELSE 'dispatch' END",
        "1",
        "0",
        "0",
        "0",
        0,
        "f.filed = 1",
    ),
    (
        5,
        "handle",
        1,
        "NULL",
        "",
        "f.department_id",
        "30 min",
        "CASE WHEN f.handled_overdue = 1 THEN interval '4 days' ELSE interval '1 day' END",
        "3 days",
        "dispatch",
        "CASE WHEN f.hung_up = 1 THEN 'hang_up' WHEN f.handled = 1 THEN 'reply' ELSE '' END",
        "greatest(f.handled, f.hung_up)",
        "f.handled_overdue",
        "f.reworked",
        "f.extended",
        1,
        "f.dispatched = 1",
    ),
    (
        6,
        "check",
        1,
        SUP,
        "supervisor",
        "NULL",
        "1 day 30 min",
        "30 min",
        "60 min",
        "reply",
        "CASE WHEN f.reworked = 1 THEN 'check_fail' ELSE 'check_pass' END",
        "1",
        "0",
        "0",
        "0",
        0,
        "f.handled = 1",
    ),
    (
        7,
        "handle",
        2,
        "NULL",
        "",
        "f.department_id",
        "1 day 1 hour",
        "1 day",
        "3 days",
        "check_fail",
        "'reply'",
        "1",
        "0",
        "0",
        "0",
        0,
        "f.reworked = 1 AND f.handled = 1",
    ),
    (
        8,
        "check",
        2,
        SUP,
        "supervisor",
        "NULL",
        "2 days 1 hour",
        "30 min",
        "60 min",
        "reply",
        "'check_pass'",
        "1",
        "0",
        "0",
        "0",
        0,
        "f.reworked = 1 AND f.handled = 1",
    ),
    (
        9,
        "close",
        1,
        f"%(sl0)s + mod(f.case_id, {SHIFT_LEADERS})",
        "shift_leader",
        "NULL",
        "2 days",
        "10 min",
        "30 min",
        "check_pass",
        "'close'",
        "1",
        "0",
        "0",
        "0",
        0,
        "f.closed = 1",
    ),
]
STEP_COLUMNS = """case_id, seq, step, round, user_id, role, department_id, district_id, street_id, community_id,
  matter_id, is_public, started_at, started_on, ended_at, deadline, limit_amount, limit_unit, start_action,
  end_action, ended, on_time, overdue, faulted, extension_count, urge_count, supervised, assignment, a_handled,
  a_on_time, a_overdue, a_reworked, a_extended, a_hung_up, a_hung_now, a_returned, a_closed, a_closed_on_time"""


def _interval(text: str) -> str:
    return text if text.startswith("CASE") else f"interval '{text}'"


def step_sql(spec) -> str:
    (
        seq,
        name,
        rnd,
        user,
        role,
        dept,
        start,
        took,
        limit,
        start_action,
        end_action,
        ended,
        late,
        faulted,
        ext,
        a,
        when,
    ) = spec
    start_at = f"(f.reported_at + {_interval(start)})"
    assignment = ", ".join(
        [
            f"{a}",
            f"{a} * f.handled",
            f"{a} * f.handled * (1 - f.handled_overdue)",
            f"{a} * f.handled_overdue",
            f"{a} * f.reworked",
            f"{a} * f.extended",
            f"{a} * f.hung_up",
            f"{a} * f.hung_up_now",
            "0",
            f"{a} * f.closed",
            f"{a} * f.closed_on_time",
        ]
    )
    return f"""INSERT INTO evaluation_stepfact ({STEP_COLUMNS})
SELECT f.case_id, {seq}, '{name}', {rnd}, {user}, '{role}', {dept}, f.district_id, f.street_id, f.community_id,
  f.matter_id, f.is_public, {start_at}, ({start_at} AT TIME ZONE 'Asia/Shanghai')::date,
  CASE WHEN {ended} = 1 THEN {start_at} + {_interval(took)} END, {start_at} + {_interval(limit)}, 1, 'working_days',
  '{start_action}', {end_action}, {ended}, {ended} * (1 - {late}), {ended} * {late}, {faulted}, {ext}, 0, 0,
  {assignment}
FROM evaluation_casefact f WHERE ({when}) AND f.case_id BETWEEN %(lo)s AND %(hi)s"""


def drop_indexes(cur, table) -> list[str]:
    """Drop the secondary indexes, unique constraints and foreign keys of a table; return what to recreate."""
    cur.execute(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('f', 'u')",
        [table],
    )
    recreate = []
    for name, kind, definition in cur.fetchall():
        cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        if kind == "u":  # foreign keys stay dropped: the bench has facts but no case rows
            recreate.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    cur.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s AND indexname NOT LIKE '%%pkey'",
        [table],
    )
    for name, definition in cur.fetchall():
        cur.execute(f'DROP INDEX "{name}"')
        recreate.append(definition)
    return recreate


def insert_steps(ids: dict, lo: int, hi: int) -> None:
    """One range of cases, on this thread's own connection (INSERT … SELECT does not run in parallel)."""
    from django.db import connection

    try:
        with connection.cursor() as cur:
            for spec in STEPS:
                cur.execute(step_sql(spec), {**ids, "lo": lo, "hi": hi})
    finally:
        connection.close()


def generate(n: int, dims: dict) -> dict:
    from django.db import connection

    ids = {
        "sup0": dims["supervisors"][0].pk,
        "op0": dims["operators"][0].pk,
        "sl0": dims["shift_leaders"][0].pk,
        "dp0": dims["dispatchers"][0].pk,
        "dept0": dims["departments"][0].pk,
        "n": n,
        "ncomm": DISTRICTS * STREETS * COMMUNITIES,
    }
    out = {}
    with connection.cursor() as cur:
        recreate = drop_indexes(cur, "evaluation_stepfact") + drop_indexes(cur, "evaluation_casefact")
        # A throw-away database: skip the write-ahead log while loading (reads are the same as on logged tables).
        cur.execute("ALTER TABLE evaluation_stepfact SET UNLOGGED")
        cur.execute("ALTER TABLE evaluation_casefact SET UNLOGGED")
        # …and their change log, so that the trigger cost below compares commits without a WAL flush either way
        cur.execute("ALTER TABLE evaluation_factchange SET UNLOGGED")
        cur.execute(LOOKUPS)
        cur.executemany(
            "INSERT INTO bench_matter VALUES (%s, %s, %s)",
            [(i, pk, major) for i, (pk, major) in enumerate(dims["matters"])],
        )
        with step(f"case facts ({n:,})") as t:
            cur.execute(CASES_SQL, ids)
        out["cases_s"] = t.seconds
        with step(f"step facts ({WORKERS} connections)") as t:
            chunk = 500_000
            ranges = [(lo, min(lo + chunk - 1, n)) for lo in range(1, n + 1, chunk)]
            with ThreadPoolExecutor(WORKERS) as pool:
                list(pool.map(lambda r: insert_steps(ids, *r), ranges))
        out["steps_s"] = t.seconds
        with step("indexes") as t:
            for sql in recreate:
                cur.execute(sql)
        out["index_s"] = t.seconds
        with step("vacuum analyze") as t:
            cur.execute("VACUUM ANALYZE evaluation_casefact")
            cur.execute("VACUUM ANALYZE evaluation_stepfact")
        cur.execute("SELECT count(*) FROM evaluation_stepfact")
        out["steps"] = cur.fetchone()[0]
        cur.execute(
            "SELECT pg_total_relation_size('evaluation_casefact'), pg_total_relation_size('evaluation_stepfact')"
        )
        out["bytes"] = cur.fetchone()
    return out


# ---- timing -----------------------------------------------------------------------------------------------


def median_of(fn, runs=5, before=None):
    """Median wall time of `runs` calls after a warm-up (`before()` runs untimed ahead of each call)."""
    fn()  # warm-up
    times = []
    for _ in range(runs):
        if before:
            before()
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def timed(fn):
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


NOW = datetime(2026, 12, 31, 16, 0, tzinfo=UTC)

DEPT_COLUMNS = (
    "step, started_on, department_id, ended, deadline, assignment, a_handled, a_on_time, a_overdue, a_reworked, "
    "a_extended, a_hung_up, a_hung_now, a_returned, a_closed, a_closed_on_time"
)
REGION_COLUMNS = (
    "reported_on, district_id, source, is_public, filed_valid, valid, need_close, closed, closed_on_time, "
    "dispatched, handled, rectified, handled_overdue"
)
DUCK_DEPT = """
SELECT department_id, sum(assignment), sum(a_returned), sum(a_hung_now), sum(a_handled), sum(a_on_time),
  sum(a_overdue), sum(a_reworked), sum(a_extended), sum(a_hung_up), sum(a_closed), sum(a_closed_on_time),
  count(*) FILTER (WHERE ended = 0 AND deadline < TIMESTAMPTZ '2026-12-31 16:00:00+00')
FROM steps WHERE step = 'handle' AND department_id IS NOT NULL
  AND started_on >= DATE '2026-11-01' AND started_on < DATE '2026-12-01'
GROUP BY department_id
"""
DUCK_CURRENT = DUCK_DEPT.replace("'2026-12-01'", "'2027-01-01'").replace("'2026-11-01'", "'2026-12-01'")
DUCK_REGION = """
SELECT district_id, count(*), count(*) FILTER (WHERE source IN ('supervisor', 'camera', 'department', 'leader')),
  sum(is_public), sum(filed_valid), sum(filed_valid) FILTER (WHERE is_public = 1), sum(valid), sum(need_close),
  sum(closed), sum(closed_on_time), sum(dispatched), sum(handled), sum(rectified),
  sum(need_close) FILTER (WHERE is_public = 1), sum(closed) FILTER (WHERE is_public = 1), sum(handled_overdue)
FROM cases WHERE reported_on >= DATE '2026-01-01' AND reported_on < DATE '2027-01-01'
GROUP BY district_id
"""


def export_parquet(directory: Path) -> dict:
    """The facts these reports read, out of PostgreSQL as CSV (COPY) and into Parquet with DuckDB."""
    import duckdb
    from django.db import connection

    sources = {
        "steps": f"SELECT {DEPT_COLUMNS} FROM evaluation_stepfact WHERE step = 'handle'",
        "cases": f"SELECT {REGION_COLUMNS} FROM evaluation_casefact",
    }
    out = {}
    raw = connection.connection  # psycopg 3
    for name, sql in sources.items():
        csv_path, parquet_path = directory / f"{name}.csv", directory / f"{name}.parquet"
        with step(f"export {name} → Parquet") as t:
            with (
                raw.cursor() as cur,
                open(csv_path, "wb") as fh,
                cur.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy,
            ):
                for data in copy:
                    fh.write(data)
            duckdb.sql(
                f"COPY (SELECT * FROM read_csv_auto('{csv_path}')) TO '{parquet_path}' (FORMAT parquet)"
            )
            csv_path.unlink()
        out[name] = parquet_path
        out[f"{name}_s"] = t.seconds
    return out


def _touch_old_months() -> None:
    """A live event on an old case: one case fact of March and one step fact of November written."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "UPDATE evaluation_casefact SET urge_count = urge_count WHERE case_id = "
            "(SELECT case_id FROM evaluation_casefact WHERE reported_on = '2026-03-10' LIMIT 1)"
        )
        cur.execute(
            "UPDATE evaluation_stepfact SET urge_count = urge_count WHERE id = "
            "(SELECT id FROM evaluation_stepfact WHERE step = 'handle' AND started_on = '2026-11-10' LIMIT 1)"
        )


def _touch_recent_days() -> None:
    """Live events on the last days' cases: a case fact and a handle step fact of 28, 29 and 30 December written."""
    from django.db import connection

    with connection.cursor() as cur:
        for day in ("2026-12-28", "2026-12-29", "2026-12-30"):
            cur.execute(
                "UPDATE evaluation_casefact SET urge_count = urge_count WHERE case_id = "
                "(SELECT case_id FROM evaluation_casefact WHERE reported_on = %s LIMIT 1)",
                [day],
            )
            cur.execute(
                "UPDATE evaluation_stepfact SET urge_count = urge_count WHERE id = "
                "(SELECT id FROM evaluation_stepfact WHERE step = 'handle' AND started_on = %s LIMIT 1)",
                [day],
            )


def time_reports(n_cases: int) -> dict:
    from chengguan.evaluation import rollups
    from chengguan.evaluation.access import Viewer
    from chengguan.evaluation.models import FactChange, RollupDay, RollupDayRow, RollupMonth, RollupRow
    from chengguan.evaluation.periods import parse_period
    from chengguan.evaluation.reports import party_report

    everyone = Viewer(None)
    month, year, december = parse_period("2026-11"), parse_period("2026"), parse_period("2026-12")
    # The bench's year is over (a report of last year): every month may be stored. The running year is timed
    # at the end, today being 31 December (December's closed days stored per day, today read from the facts).
    rollups.today = lambda: date(2027, 1, 1)

    def dept():
        return party_report("department", month, everyone, now=NOW)

    def current():
        return party_report("department", december, everyone, now=NOW)

    def region():
        return party_report("region", year, everyone, level="district", now=NOW)

    out = {}
    os.environ["CHENGGUAN_EVALUATION_ROLLUPS"] = "0"
    out["facts_dept"], out["dept"] = median_of(dept)
    out["facts_region"], out["region"] = median_of(region)
    out["facts_current"], out["current"] = median_of(current)
    os.environ["CHENGGUAN_EVALUATION_ROLLUPS"] = "1"
    RollupRow.objects.all().delete()
    RollupMonth.objects.all().delete()
    RollupDayRow.objects.all().delete()
    RollupDay.objects.all().delete()
    FactChange.objects.all().delete()
    out["cold_dept"], cold_dept = timed(dept)
    out["cold_region"], cold_region = timed(region)
    out["warm_dept"], warm_dept = median_of(dept)
    out["warm_region"], warm_region = median_of(region)
    out["stale_dept"], _r = median_of(dept, before=_touch_old_months)
    out["stale_region"], _r = median_of(region, before=_touch_old_months)
    for got in (cold_dept, warm_dept):
        assert same(got, out["dept"]), "the rollup department report differs from the facts'"
    for got in (cold_region, warm_region):
        assert same(got, out["region"]), "the rollup region report differs from the facts'"
    out["stored_rows"] = RollupRow.objects.count()
    rollups.today = lambda: date(2026, 12, 31)
    out["cold_current"], cold_current = timed(current)
    out["cold_running"], cold_running = timed(region)
    out["warm_current"], warm_current = median_of(current)
    out["warm_running"], warm_running = median_of(region)
    out["stale_current"], stale_current = median_of(current, before=_touch_recent_days)
    out["stale_running"], stale_running = median_of(region, before=_touch_recent_days)
    for got in (cold_current, warm_current, stale_current):
        assert same(got, out["current"]), "the current month's rollup report differs from the facts'"
    for got in (cold_running, warm_running, stale_running):
        assert same(got, out["region"]), "the running year's rollup report differs from the facts'"
    out["stored_days"] = RollupDayRow.objects.count()
    return out


def same(a, b) -> bool:
    def flat(report):
        return sorted((r.key, r.values, r.score, r.rank) for r in report.rows), report.totals

    return flat(a) == flat(b)


def trigger_cost(rows: int = 200_000, updates: int = 2_000) -> dict:
    """Insert `rows` case facts in one statement and run `updates` one-row updates, triggers on and off."""
    from django.db import connection, transaction

    with connection.cursor() as cur:
        cur.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'evaluation_casefact' "
            "AND column_name <> 'case_id' ORDER BY ordinal_position"
        )
        cols = ", ".join(r[0] for r in cur.fetchall())
    insert = (
        f"INSERT INTO evaluation_casefact (case_id, {cols}) SELECT case_id + 1000000000, {cols} "
        f"FROM evaluation_casefact WHERE case_id <= {rows}"
    )
    results = {"on": {"insert": [], "update": []}, "off": {"insert": [], "update": []}}
    for _round in range(3):
        for mode in ("on", "off"):
            with connection.cursor() as cur:
                if mode == "off":
                    cur.execute("ALTER TABLE evaluation_casefact DISABLE TRIGGER USER")
                try:
                    t0 = time.perf_counter()
                    with transaction.atomic():
                        cur.execute(insert)
                    results[mode]["insert"].append(time.perf_counter() - t0)
                    t0 = time.perf_counter()
                    for i in range(updates):  # one transaction each, as a live event
                        with transaction.atomic():
                            cur.execute(
                                "UPDATE evaluation_casefact SET urge_count = urge_count + 1 WHERE case_id = %s",
                                [1_000_000_000 + 1 + (i * 97) % rows],
                            )
                    results[mode]["update"].append((time.perf_counter() - t0) / updates)
                    cur.execute("DELETE FROM evaluation_casefact WHERE case_id > 1000000000")
                finally:
                    if mode == "off":
                        cur.execute("ALTER TABLE evaluation_casefact ENABLE TRIGGER USER")
                cur.execute("DELETE FROM evaluation_factchange")
    return {mode: {k: statistics.median(v) for k, v in r.items()} for mode, r in results.items()}


def sqlite_trigger_cost(rows: int = 200_000) -> dict:
    """The migration's SQLite row triggers on a table with the case facts' columns, rows inserted in batches of
    2,000 (as `bulk_create` does), triggers on and off, median of 3."""
    import importlib
    import sqlite3

    migration = importlib.import_module("chengguan.evaluation.migrations.0008_rollup_days")
    flags = [f"f{i}" for i in range(40)]
    out = {}
    for mode in ("on", "off"):
        times = []
        for _round in range(3):
            db = sqlite3.connect(":memory:")
            db.execute(
                "CREATE TABLE evaluation_casefact (case_id integer PRIMARY KEY, reported_on date, district_id int, "
                + ", ".join(f"{f} smallint" for f in flags)
                + ")"
            )
            db.execute("CREATE INDEX d ON evaluation_casefact (reported_on, district_id)")
            db.execute("CREATE TABLE evaluation_factchange (id integer PRIMARY KEY, month date, day date)")
            db.execute("CREATE INDEX m ON evaluation_factchange (month)")
            db.execute("CREATE INDEX fd ON evaluation_factchange (day)")
            if mode == "on":
                for sql in migration.sqlite_triggers("evaluation_casefact", "reported_on"):
                    db.execute(sql)
            data = [
                (i, f"2026-{1 + i * 12 // rows:02d}-{1 + i % 28:02d}", i % 10, *[i % 2] * 40)
                for i in range(rows)
            ]
            sql = f"INSERT INTO evaluation_casefact VALUES ({', '.join('?' * 43)})"
            t0 = time.perf_counter()
            for lo in range(0, rows, 2000):
                with db:
                    db.executemany(sql, data[lo : lo + 2000])
            times.append(time.perf_counter() - t0)
            db.close()
        out[mode] = statistics.median(times)
    return out


def run(n: int, keep: bool, reuse: bool, triggers: bool = True) -> None:
    if not reuse:
        admin_sql(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        admin_sql(f"CREATE DATABASE {BENCH_DB}")
    try:
        setup_django()
        from django.core.management import call_command
        from django.db import connection

        print(
            f"database {BENCH_DB} on {SERVER}; PostgreSQL {connection.cursor().connection.info.server_version}"
        )
        if reuse:
            with step("migrate (what the kept database lacks)"):
                call_command("migrate", verbosity=0)
        else:
            with step("migrate"):
                call_command("migrate", verbosity=0)
            with step("city (regions, grids, departments, people)"):
                dims = make_city()
            figures = generate(n, dims)
            gib = [b / 2**30 for b in figures["bytes"]]
            print(
                f"facts: {n:,} cases, {figures['steps']:,} steps; {gib[0]:.2f} GiB + {gib[1]:.2f} GiB with "
                f"indexes; generated in {figures['cases_s'] + figures['steps_s'] + figures['index_s']:.0f} s"
            )
        with step("reports: facts, rollups cold, warm and with a stale month"):
            r = time_reports(n)
        with tempfile.TemporaryDirectory(prefix="bench-eval-") as tmp:
            files = export_parquet(Path(tmp))
            import duckdb

            duck = duckdb.connect()
            duck.execute(f"CREATE VIEW steps AS SELECT * FROM read_parquet('{files['steps']}')")
            duck.execute(f"CREATE VIEW cases AS SELECT * FROM read_parquet('{files['cases']}')")
            duck_dept, duck_dept_rows = median_of(lambda: duck.execute(DUCK_DEPT).fetchall())
            duck_current, duck_current_rows = median_of(lambda: duck.execute(DUCK_CURRENT).fetchall())
            duck_region, duck_region_rows = median_of(lambda: duck.execute(DUCK_REGION).fetchall())
        check_same(r["dept"], duck_dept_rows, r["region"], duck_region_rows)
        check_same(r["current"], duck_current_rows, r["region"], duck_region_rows)
        if triggers:
            with step("trigger cost (PostgreSQL, SQLite)"):
                pg_cost = trigger_cost(min(200_000, n))
                lite_cost = sqlite_trigger_cost()
        print()
        print(f"{'report (median of 5; cold: one run)':<64} {'PostgreSQL':>11} {'DuckDB':>9} {'ratio':>7}")
        past, running = "past year: ", "running year (today 31 Dec): "
        for label, dk, rows in [
            ("monthly department report (2026-11)", duck_dept, [
                (past + "facts", "facts_dept"),
                (past + "rollups, warm", "warm_dept"),
                (past + "rollups, March + November written", "stale_dept"),
                (past + "rollups, cold", "cold_dept"),
            ]),
            ("monthly department report of the current month (2026-12)", duck_current, [
                (running + "facts (as before)", "facts_current"),
                (running + "rollups, warm", "warm_current"),
                (running + "rollups, 28–30 Dec written", "stale_current"),
                (running + "rollups, cold", "cold_current"),
            ]),
            ("yearly region report by district (2026)", duck_region, [
                (past + "facts", "facts_region"),
                (past + "rollups, warm", "warm_region"),
                (past + "rollups, March + November written", "stale_region"),
                (past + "rollups, cold", "cold_region"),
                (running + "rollups, warm", "warm_running"),
                (running + "rollups, 28–30 Dec written", "stale_running"),
                (running + "rollups, December's days cold", "cold_running"),
            ]),
        ]:  # fmt: skip
            print(label)
            for how, key in rows:
                pg = r[key]
                print(f"  {how:<62} {pg * 1000:>8.1f} ms {dk * 1000:>6.1f} ms {pg / dk:>6.2f}×")
        print(f"rollup rows stored: {r['stored_rows']:,} monthly, {r['stored_days']:,} daily")
        for what, ok in [
            ("past year", r["warm_dept"] <= 2 * duck_dept and r["warm_region"] <= 2 * duck_region
             and r["warm_region"] < 0.5),
            ("running year", r["warm_current"] <= 2 * duck_current and r["warm_current"] < 0.5
             and r["warm_running"] <= 2 * duck_region and r["warm_running"] < 0.5),
        ]:  # fmt: skip
            print(f"aim: ≤ 2× DuckDB and < 0.5 s (warm rollups), {what} — {'met' if ok else 'NOT met'}")
        if not triggers:
            return
        ins = {k: pg_cost[k]["insert"] for k in ("on", "off")}
        upd = {k: pg_cost[k]["update"] * 1000 for k in ("on", "off")}
        print(
            f"triggers, PostgreSQL: insert {min(200_000, n):,} case facts {ins['on']:.2f} s with, "
            f"{ins['off']:.2f} s without ({ins['on'] / ins['off']:.2f}×); one-row update in its own transaction "
            f"{upd['on']:.3f} ms with, {upd['off']:.3f} ms without (+{upd['on'] - upd['off']:.3f} ms)"
        )
        print(
            f"triggers, SQLite: insert 200,000 rows in batches of 2,000 {lite_cost['on']:.2f} s with, "
            f"{lite_cost['off']:.2f} s without ({lite_cost['on'] / lite_cost['off']:.2f}×)"
        )
    finally:
        from django.db import connections

        connections.close_all()
        if keep or reuse:
            print(f"kept database {BENCH_DB}")
        else:
            admin_sql(f"DROP DATABASE IF EXISTS {BENCH_DB}")


def check_same(dept, duck_dept_rows, region, duck_region_rows) -> None:
    """The two engines must agree, or the comparison means nothing."""
    pg = {r.key: r.values["assigned"] for r in dept.rows}
    duck = {row[0]: row[1] for row in duck_dept_rows}
    assert pg == duck, "department reports differ between PostgreSQL and DuckDB"
    pg = {r.key: r.values["reported"] for r in region.rows if r.values["reported"]}
    duck = {row[0]: row[1] for row in duck_region_rows}
    assert pg == duck, "region reports differ between PostgreSQL and DuckDB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5_000_000)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--reuse", action="store_true", help="time on the kept database, without seeding")
    parser.add_argument("--no-triggers", action="store_true", help="leave out the trigger cost")
    args = parser.parse_args()
    run(args.cases, args.keep, args.reuse, not args.no_triggers)


if __name__ == "__main__":
    main()
