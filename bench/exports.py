"""Benchmark: the case Excel export (20,000 and 500,000 rows) beside the plain SQL read of the same rows.

    python bench/exports.py                      # 20,000 and 500,000 rows on SQLite (≈ 2 min)
    python bench/exports.py --rows 20000         # one size
    python bench/exports.py --quick              # only the SQL read and the platform's export
    CHENGGUAN_BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/chengguan_bench_exports python bench/exports.py

It creates its own database (a temporary SQLite file unless CHENGGUAN_BENCH_DATABASE_URL names a PostgreSQL
database, which it then drops and creates), migrates it, adds one district with one grid and N cases with
their 受理 and 派遣 events (generated in SQL), and then measures, each in a fresh process so that the peak
memory is the measurement's own:

- `sql`: the plain SQL read — the export's SELECT (the same columns and joins), every row fetched;
- `export`: the real export (`chengguan.cases.exports.write_cases` into `chengguan.core.office.xlsx.Book`, the
  platform's streaming writer) to a file, the step times included;
- `xlsxwriter`: the same rows through XlsxWriter's constant-memory mode (`pip install -e '.[bench]'`);
- `openpyxl`: the same rows through openpyxl's write-only mode — the two libraries the layer was measured
  against and did not choose (both ~10 µs per cell).

Each measurement runs several times (`--repeat`, default 5; 3 for ≥ 50,000 rows), interleaved with the others;
it prints the medians of wall seconds, CPU seconds and the peak memory growth of the process (MB), and the ratio
of each export's median to the SQL read's median.
Targets (issue #16): ≤ 1 s for 20,000 rows, ≤ 30 s for 500,000 rows, memory flat between the two sizes.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(url: str) -> None:
    os.environ["CHENGGUAN_DATABASE_URL"] = url
    os.environ.setdefault("CHENGGUAN_SECRET_KEY", "bench-only-not-a-secret")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengguan.settings")
    os.environ.setdefault("CHENGGUAN_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- data ---------------------------------------------------------------------------------------------------
def build(n: int) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from chengguan.cases.models import Case, CaseEvent
    from chengguan.catalog.models import MatterType
    from chengguan.grids.models import UnitGrid
    from chengguan.org.models import Department, Region, User

    call_command("migrate", verbosity=0)
    city = Region.objects.create(code="990000000000", name="基准市", level="city")
    district = Region.objects.create(code="990100000000", name="第一区", level="district", parent=city)
    street = Region.objects.create(code="990100001000", name="第一街道", level="street", parent=district)
    community = Region.objects.create(code="990100001001", name="第一社区", level="community", parent=street)
    ring = [[114.3, 34.79], [114.31, 34.79], [114.31, 34.8], [114.3, 34.8], [114.3, 34.79]]
    grid = UnitGrid.objects.create(code="990100001001001", community=community,
                                   geometry={"type": "Polygon", "coordinates": [ring]})  # fmt: skip
    dept = Department.objects.create(code="BD001", name="市政设施维护中心", kind="disposal")
    user = User.objects.create(username="bench", full_name="基准用户", password="!")
    now = timezone.now()
    matter = MatterType.objects.order_by("code").first()
    template = Case.objects.create(
        number="T-0", source="citizen", matter=matter, description="人行道上有暴露垃圾，影响通行，请尽快处理。",
        lng=114.305, lat=34.795, address="西门大街 12 号南侧", unit_grid=grid, community=community, street=street,
        district=district, reporter_name="张三", reporter_phone="13912341234", reported_at=now, created_at=now,
        state="dispatched", step="handle", step_started_at=now, deadline=now, limit_amount=2,
        limit_unit="working_days", current_department=dept, filed_at=now,
    )  # fmt: skip
    cols = [f.column for f in Case._meta.concrete_fields if f.column != "id"]
    exprs = {
        "number": "'B' || seq.n",
        "reported_at": "reported_at",
        "description": "description || seq.n",
    }
    select = ", ".join(f"{exprs.get(c, c)}" for c in cols)
    series = (
        "WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < %s)"
        if connection.vendor == "sqlite"
        else "WITH seq(n) AS (SELECT generate_series(1, %s))"
    )
    ev_cols = [f.column for f in CaseEvent._meta.concrete_fields if f.column not in ("id", "case_id", "action")]
    ev_defaults = {"payload": "'{}'", "reason": "''", "actor_role": "''", "actor_name": "''",
                   "from_state": "''", "step": "''", "limit_unit": "''", "ended_step": "''"}  # fmt: skip
    with connection.cursor() as cur:
        cur.execute(
            f"{series} INSERT INTO cases_case ({', '.join(cols)}) SELECT {select} FROM cases_case, seq "
            f"WHERE cases_case.id = %s",
            [n, template.pk],
        )
        cur.execute("DELETE FROM cases_case WHERE id = %s", [template.pk])
        for action, to_state, dept_id in (("accept", "accepted", None), ("dispatch", "dispatched", dept.pk)):
            values = {"at": "c.reported_at", "to_state": f"'{to_state}'", "department_id": str(dept_id or "NULL"),
                      "actor_id": str(user.pk)}  # fmt: skip
            sel = ", ".join(values.get(c, ev_defaults.get(c, "NULL")) for c in ev_cols)
            cur.execute(
                f"INSERT INTO cases_caseevent (case_id, action, {', '.join(ev_cols)}) "
                f"SELECT c.id, '{action}', {sel} FROM cases_case c"
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


# -- measurements (each in its own process) -----------------------------------------------------------------
def queryset():
    from chengguan.cases.models import Case

    return Case.objects.order_by("-reported_at", "-pk")


def measure_sql() -> int:
    from django.db import connection

    from chengguan.cases.exports import FIELDS

    sql, params = queryset().values(*FIELDS).query.sql_with_params()
    n = 0
    with connection.cursor() as cur:
        cur.execute(sql, params)
        while rows := cur.fetchmany(2000):
            n += len(rows)
    return n


def measure_export(path: str) -> int:
    from django.utils import timezone

    from chengguan.cases.exports import columns, write_cases
    from chengguan.core.office.xlsx import Book

    with open(path, "wb") as f:
        book = Book(user=None, now=timezone.now(), file=f)
        sheet = book.sheet(name="案件列表", title="案件列表", columns=columns())
        n = write_cases(sheet, queryset(), now=book.now)
        book.close()
    return n


def measure_xlsxwriter(path: str) -> int:
    import xlsxwriter
    from django.utils import timezone

    from chengguan.cases.exports import columns, write_cases
    from chengguan.core.office.xlsx import local_naive

    wb = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False})
    ws = wb.add_worksheet("案件列表")
    fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    ws.write_row(0, 0, [str(c.label) for c in columns()])

    class Shim:
        row = 0

        def append(self, values):
            self.row += 1
            for c, v in enumerate(values):
                if v is None or v == "":
                    continue
                if hasattr(v, "tzinfo"):
                    ws.write_datetime(self.row, c, local_naive(v), fmt)
                elif isinstance(v, str):
                    ws.write_string(self.row, c, v)
                elif isinstance(v, bool):
                    ws.write_boolean(self.row, c, v)
                else:
                    ws.write_number(self.row, c, v)

    n = write_cases(Shim(), queryset(), now=timezone.now())
    wb.close()
    return n


def measure_openpyxl(path: str) -> int:
    from django.utils import timezone
    from openpyxl import Workbook

    from chengguan.cases.exports import columns, write_cases
    from chengguan.core.office.xlsx import local_naive

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("案件列表")
    ws.append([str(c.label) for c in columns()])

    class Shim:
        def append(self, values):
            ws.append([local_naive(v) if hasattr(v, "tzinfo") else v for v in values])

    n = write_cases(Shim(), queryset(), now=timezone.now())
    wb.save(path)
    return n


def child(kind: str, url: str) -> None:
    setup_django(url)
    from django.db import connection

    connection.ensure_connection()
    base = rss_mb()
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "out.xlsx")
        t, cpu = time.perf_counter(), time.process_time()
        n = {"sql": measure_sql, "export": lambda: measure_export(path),
             "xlsxwriter": lambda: measure_xlsxwriter(path), "openpyxl": lambda: measure_openpyxl(path)}[kind]()  # fmt: skip
        seconds, cpu = time.perf_counter() - t, time.process_time() - cpu
        size = Path(path).stat().st_size if kind != "sql" else 0
    print(json.dumps({"rows": n, "seconds": seconds, "cpu": cpu, "peak_mb": peak_mb() - base, "file_mb": size / 2**20}))


def run_child(kind: str, url: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, "--url", url], capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"{kind} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def database(n: int, tmp: str) -> str:
    pg = os.environ.get("CHENGGUAN_BENCH_DATABASE_URL")
    if not pg:
        return f"sqlite:///{tmp}/bench-{n}.sqlite3"
    import psycopg

    server, name = pg.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return pg


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--quick", action="store_true", help="only the SQL read and the platform's export")
    parser.add_argument("--repeat", type=int, help="runs of each measurement (default 5, 3 for ≥ 50,000 rows)")
    parser.add_argument("--child")
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.url)
    sizes = args.rows or [20_000, 500_000]
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            url = database(n, tmp)
            t = time.perf_counter()
            subprocess.run([sys.executable, __file__, "--child", "build", "--url", url, "--rows", str(n)],
                           check=True)  # fmt: skip
            print(f"\n{n:,} cases ({url.split(':')[0]}), built in {time.perf_counter() - t:.1f} s", flush=True)
            kinds = ("sql", "export") if args.quick else ("sql", "export", "xlsxwriter", "openpyxl")
            repeat = args.repeat or (5 if n <= 50_000 else 3)
            print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; each measurement {repeat}×, "
                  "interleaved (sql, export, … then again), medians; the ratios are of the medians", flush=True)
            runs = {kind: [] for kind in kinds}
            for _round in range(repeat):  # interleaved, so that the machine's load falls on every kind alike
                for kind in kinds:
                    runs[kind].append(run_child(kind, url))
            print(f"{'measurement':<12} {'rows':>9} {'wall s':>8} {'× SQL':>7} {'CPU s':>8} {'× SQL':>7} "
                  f"{'peak MB':>8} {'file MB':>8}   wall s of each run", flush=True)  # fmt: skip
            med = {kind: {k: statistics.median(r[k] for r in rs) for k in ("seconds", "cpu", "peak_mb", "file_mb")}
                   for kind, rs in runs.items()}  # fmt: skip
            for kind in kinds:
                m, sql, rows = med[kind], med["sql"], runs[kind][0]["rows"]
                each = " ".join(f"{r['seconds']:.2f}" for r in runs[kind])
                print(f"{kind:<12} {rows:>9,} {m['seconds']:>8.2f} {m['seconds'] / sql['seconds']:>7.1f} "
                      f"{m['cpu']:>8.2f} {m['cpu'] / sql['cpu']:>7.1f} {m['peak_mb']:>8.1f} {m['file_mb']:>8.1f}"
                      f"   {each}", flush=True)  # fmt: skip

if __name__ == "__main__":
    if "--child" in sys.argv and "build" in sys.argv:
        url = sys.argv[sys.argv.index("--url") + 1]
        setup_django(url)
        build(int(sys.argv[sys.argv.index("--rows") + 1]))
    else:
        main()
