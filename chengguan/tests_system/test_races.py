"""Races and faults with real processes on PostgreSQL: concurrent actions on one case / enforcement case (one
wins, the others get a clear conflict), two sweepers at once (each job done once), kill -9 of the server while
cases are being posted and of an import mid-way (nothing acknowledged lost, nothing half-written)."""

import json
import multiprocessing
import subprocess

import pytest
from django.db import connection

from .figures import add
from .procs import cli, cli_env, fresh_database, run_cli, run_python
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
    assert checked["urged"] == len(world["overdue"]) and checked["escalated"] == len(world["overdue"])
    assert urged >= len(world["overdue"])
    again = run_cli(["tick"], env)
    assert "cases: 0 urged, 0 escalated" in again.stdout
    add("races: sweeper race runs (3 ticks at once)", 1)
