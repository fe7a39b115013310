"""Races and faults with real processes on PostgreSQL: concurrent actions on one case / enforcement case (one
wins, the others get a clear conflict), two sweepers at once (each job done once), kill -9 of the server while
cases are being posted and of an import mid-way (nothing acknowledged lost, nothing half-written)."""

import json
import multiprocessing
import os
import signal
import subprocess
import threading
import time
import uuid
from http.client import HTTPConnection
from pathlib import Path

import pytest
from django.db import connection

from .figures import add, record
from .procs import cli, cli_env, free_port, fresh_database, run_cli, run_python
from .racers import racer

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="process races need PostgreSQL (row locks, SKIP LOCKED); SQLite serialises every writer",
    ),
    pytest.mark.django_db,  # (so that the test database, the template of the race database, is set up)
]
ROUNDS = 3


@pytest.fixture(scope="module")
def race_db(migrated_template, tmp_path_factory):
    """A separate database with the city, open cases and clues, shared by the tests of this module."""
    if migrated_template.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    tmp = tmp_path_factory.mktemp("race")
    with fresh_database(migrated_template, tmp, prefix="cg_race") as url:
        env = cli_env(url, tmp / "media")
        out = tmp / "world.json"
        run_python(
            f"from chengguan.tests_system.world import setup; setup({str(out)!r}, overdue=60, race_rounds={ROUNDS})",
            env, timeout=300,
        )
        yield env, json.loads(out.read_text()), tmp


def race(env, jobs_per_racer):
    """Start one process per racer; every round they act at the same instant. Returns {round: [outcomes]}."""
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(len(jobs_per_racer))
    results = ctx.Queue()
    procs = [ctx.Process(target=racer, args=(env, jobs, barrier, results, i)) for i, jobs in enumerate(jobs_per_racer)]
    for p in procs:
        p.start()
    rounds = {}
    expected = sum(len(j) for j in jobs_per_racer)
    for _ in range(expected):
        round_no, _index, outcome = results.get(timeout=180)
        rounds.setdefault(round_no, []).append(outcome)
    for p in procs:
        p.join(30)
        assert p.exitcode == 0
    return rounds


def query(env, code: str):
    done = run_python("import json\n" + code, env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def assert_one_winner(outcomes):
    winners = [o for o in outcomes if o["ok"]]
    losers = [o for o in outcomes if not o["ok"]]
    assert len(winners) == 1, outcomes
    for lost in losers:
        assert lost["status"] == 409 and lost["error"] == "Conflict", lost  # a clear conflict, never a crash
        assert lost["detail"]


def test_it_lets_exactly_one_of_four_processes_act_on_one_case(race_db):
    env, world, _tmp = race_db
    depts = world["departments"]
    filed_jobs = [  # per racer: what it does to the filed case of each round
        ("dispatcher", "dispatch", {"department_id": depts["sanitation"]}),
        ("dispatcher", "dispatch", {"department_id": depts["roads"]}),
        ("shift_leader", "void", {"reason": "重复立案"}),
        ("shift_leader", "void", {"reason": "误立案"}),
    ]
    reported_jobs = [
        ("operator", "accept", {}),
        ("operator", "reject", {"reason": "不属于城管范围"}),
        ("operator", "request_verification", {}),
        ("operator", "accept", {}),
    ]
    jobs = []
    for racer_no in range(4):
        mine = [("case", world["filed"][r], *filed_jobs[racer_no]) for r in range(ROUNDS)]
        mine += [("case", world["reported"][r], *reported_jobs[racer_no]) for r in range(ROUNDS)]
        jobs.append(mine)
    rounds = race(env, jobs)
    assert len(rounds) == 2 * ROUNDS
    for outcomes in rounds.values():
        assert_one_winner(outcomes)
    add("races: case race runs (4 processes each)", len(rounds))
    counts = query(env, f"""
from chengguan.cases.models import CaseEvent
def n(i, acts):
    return CaseEvent.objects.filter(case_id=i, action__in=acts).count()
print(json.dumps([n(i, ["dispatch", "void"]) for i in {world["filed"]}]
                 + [n(i, ["accept", "reject", "request_verification"]) for i in {world["reported"]}]))
""")
    assert counts == [1] * (2 * ROUNDS)


def test_it_lets_exactly_one_process_act_on_one_enforcement_case(race_db):
    env, world, _tmp = race_db
    dismiss = {"reason": "经核查不属实", "resolution": "management"}
    jobs = [
        [("enforcement", clue, "officer", "dismiss_clue", dismiss) for clue in world["clues"]],
        [("enforcement", clue, "officer2", "dismiss_clue", dismiss) for clue in world["clues"]],
        [("enforcement", clue, "officer", "dismiss_clue", dismiss) for clue in world["clues"]],
    ]
    rounds = race(env, jobs)
    for outcomes in rounds.values():
        assert_one_winner(outcomes)
    add("races: enforcement race runs (3 processes each)", len(rounds))
    checked = query(env, f"""
from chengguan.enforcement.models import CaseEvent
from chengguan.enforcement.audit import audit_verify
counts = [CaseEvent.objects.filter(case_id=i, act="dismiss_clue").count() for i in {world["clues"]}]
print(json.dumps({{"counts": counts, "audit_ok": audit_verify().ok}}))
""")
    assert checked == {"counts": [1] * ROUNDS, "audit_ok": True}


def test_it_does_each_sweeper_job_once_with_three_sweepers_at_once(race_db):
    env, world, _tmp = race_db
    procs = [subprocess.Popen(cli("tick"), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(3)]
    outputs = [p.communicate(timeout=180) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    urged = sum(int(out.split("cases: ")[1].split(" urged")[0]) for out, _err in outputs)
    checked = query(env, f"""
from django.db.models import Count
from chengguan.cases.models import CaseEvent
ids = {world["overdue"]}
rows = (CaseEvent.objects.filter(case_id__in=ids, actor_role="system")
        .values("case_id", "action").annotate(n=Count("pk")))
print(json.dumps({{"max": max((r["n"] for r in rows), default=0), "urged": sum(1 for r in rows if r["action"] == "urge"),
                  "escalated": sum(1 for r in rows if r["action"] == "supervise")}}))
""")
    assert checked["max"] == 1, checked  # no job done twice
    assert checked["urged"] == len(world["overdue"]) and checked["escalated"] == len(world["overdue"]), (
        checked, [out for out, _err in outputs])
    assert urged >= len(world["overdue"])
    again = run_cli(["tick"], env)
    assert "cases: 0 urged, 0 escalated" in again.stdout
    add("races: sweeper race runs (3 ticks at once)", 1)


# --- crashes ---------------------------------------------------------------------------------------------


def _db_name(env) -> str:
    return env["CHENGGUAN_DATABASE_URL"].rsplit("/", 1)[1]


def _pg_admin():
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(dbname="postgres", user=s.get("USER") or None, password=s.get("PASSWORD") or None,
                           host=s.get("HOST") or None, port=s.get("PORT") or None, autocommit=True)


def _open_transactions(admin, dbname) -> int:
    return admin.execute(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND xact_start IS NOT NULL "
        "AND pid <> pg_backend_pid()", [dbname],
    ).fetchone()[0]


class Server:
    def __init__(self, env, tmp: Path):
        self.env, self.port, self.log = env, free_port(), tmp / f"server-{uuid.uuid4().hex[:6]}.log"
        self.proc = None

    def start(self):
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(cli("runserver", "--noreload", f"127.0.0.1:{self.port}"),
                                         env=self.env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/healthz")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        raise AssertionError("server did not start:\n" + self.log.read_text()[-2000:])

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def request(self, method, path, body=None, headers=None, timeout=20):
        conn = HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()


def test_it_loses_no_acknowledged_case_when_the_server_is_killed(race_db):
    env, world, tmp = race_db
    headers = {"Authorization": f"Bearer {world['tokens']['supervisor']}", "Content-Type": "application/json"}
    acknowledged, unanswered, crashes = {}, [], 0

    def body(i):
        return {"matter_code": "06010", "lng": 114.3075, "lat": 34.8075, "description": f"崩溃测试{i}",
                "address": "西门大街"}

    def post_until_dead(server, start):
        i = start
        while True:
            key = f"crash-{i}"
            try:
                status, raw = server.request("POST", "/api/v1/cases", body(i), {**headers, "Idempotency-Key": key})
            except OSError:
                unanswered.append((key, i))
                return i + 1
            assert status == 201, raw[:300]
            acknowledged[key] = json.loads(raw)["id"]
            i += 1

    server = Server(env, tmp).start()
    i = 0
    for _round in range(2):
        target = len(acknowledged) + 8
        done = {}
        worker = threading.Thread(target=lambda s=server, start=i, d=done: d.setdefault("i", post_until_dead(s, start)))
        worker.start()
        while len(acknowledged) < target and worker.is_alive():
            time.sleep(0.05)
        server.kill9()  # mid-stream: a request is usually in flight
        crashes += 1
        worker.join(30)
        i = done["i"]
        server = Server(env, tmp).start()
        # the client retries what got no answer, with the same key: created once at most
        for key, n in list(unanswered):
            status, raw = server.request("POST", "/api/v1/cases", body(n), {**headers, "Idempotency-Key": key})
            assert status in (200, 201), raw[:300]
            acknowledged[key] = json.loads(raw)["id"]
        unanswered.clear()
    try:
        for key, case_id in acknowledged.items():
            status, raw = server.request("GET", f"/api/v1/cases/{case_id}", headers=headers)
            assert status == 200, f"acknowledged case {case_id} ({key}) is gone"
    finally:
        server.kill9()
    state = query(env, """
from chengguan.tests_system.world import integrity
from chengguan.cases.models import Case
data = integrity()
data["crash_cases"] = Case.objects.filter(description__startswith="崩溃测试").count()
print(json.dumps(data))
""")
    assert state["cases_without_events"] == 0 and state["duplicate_numbers"] == 0 and state["audit_ok"], state
    assert state["crash_cases"] == len(acknowledged), "a retried request created a second case"
    add("crashes: server kill -9 runs", crashes)
    record("crashes: acknowledged cases checked after kill -9", len(acknowledged))


def _regions_geojson(path: Path, streets: int = 3, per_street: int = 400) -> int:
    features = []
    for s in range(streets):
        street = f"410202{900 + s:03d}000"
        features.append({"type": "Feature", "geometry": None, "properties": {"code": street, "name": f"测试街道{s}"}})
        for c in range(1, per_street + 1):
            features.append({"type": "Feature", "geometry": None,
                             "properties": {"code": street[:9] + f"{c:03d}", "name": f"测试社区{s}-{c}"}})
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False))
    return len(features)


def test_it_leaves_nothing_half_written_when_an_import_is_killed(race_db):
    env, _world, tmp = race_db
    dbname = _db_name(env)
    path = tmp / "regions.geojson"
    features = _regions_geojson(path)
    count = "from chengguan.org.models import Region\nprint(json.dumps(Region.objects.count()))"
    before = query(env, count)
    with _pg_admin() as admin:
        proc = subprocess.Popen(cli("grids", "import", str(path), "--kind", "regions"), env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline, seen = time.monotonic() + 120, False
        while time.monotonic() < deadline and proc.poll() is None:
            if _open_transactions(admin, dbname):
                seen = True
                time.sleep(0.5)  # well inside the import's transaction
                break
            time.sleep(0.05)
        finished_first = proc.poll() is not None
        if not finished_first:
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        for _ in range(100):  # the server notices the dead client and rolls back
            if not _open_transactions(admin, dbname):
                break
            time.sleep(0.1)
        assert not _open_transactions(admin, dbname)
    assert seen and not finished_first, f"the import ({features} features) finished before it could be killed"
    assert query(env, count) == before, "a killed import left rows behind"
    # and the same import, left alone, goes through completely
    run_cli(["grids", "import", str(path), "--kind", "regions"], env, timeout=300)
    assert query(env, count) == before + features
    add("crashes: import kill -9 runs", 1)
