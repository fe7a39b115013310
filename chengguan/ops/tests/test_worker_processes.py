"""Real `chengguan worker` processes against one database: each due run of a job happens once."""

import re
import signal
import subprocess
import time

import pytest

from chengguan.tests_system.procs import cli, cli_env, fresh_database, run_python

pytestmark = pytest.mark.django_db  # the test database is the template the processes' databases copy


@pytest.fixture
def env(migrated_template, tmp_path):
    with fresh_database(migrated_template, tmp_path, prefix="ops_worker") as url:
        yield cli_env(url, tmp_path / "media")


def rows(env) -> list[tuple]:
    code = (
        "from chengguan.ops.models import JobRun\n"
        "for r in JobRun.objects.order_by('job', 'due_at'):\n"
        "    print(r.job, r.due_at.isoformat(), r.worker, r.status)\n"
    )
    return [tuple(line.split()) for line in run_python(code, env).stdout.splitlines()]


def test_two_worker_processes_run_one_ticks_jobs_exactly_once(env):
    at = "2026-12-05T10:00:30+00:00"
    procs = [
        subprocess.Popen(cli("worker", "--once", "--now", at), env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    lines = [line for out, _err in outputs for line in out.splitlines()]
    for job, due in [("tick", "10:00:00"), ("public.webhooks", "10:00:30"), ("evaluation.facts_check", "19:30:00")]:
        mine = [line for line in lines if line.startswith(f"{job} due") and due in line]
        assert len(mine) == 2, lines  # both workers tried this due time
        assert sum(": ran in" in line for line in mine) == 1, mine
        assert sum("taken by another worker" in line for line in mine) == 1, mine
    found = rows(env)
    # every app's jobs were due at that moment (other apps declare theirs too): each ran once, and ran well
    assert {"evaluation.facts_check", "public.webhooks", "tick"} <= {r[0] for r in found}
    assert len(found) == len({(r[0], r[1]) for r in found}), found
    assert all(r[3] == "ok" for r in found), found


def test_running_workers_beat_share_the_due_runs_and_stop_cleanly_on_sigterm(env):
    procs = [
        subprocess.Popen(cli("worker", "--job", "tick", "--job", "public.webhooks"), env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    seen = []
    for p in procs:  # each has started ("worker host:pid: 2 jobs") and made its first pass over both jobs
        seen.append("".join(p.stdout.readline() for _ in range(3)))
    time.sleep(0.5)
    for p in procs:
        p.send_signal(signal.SIGTERM)
    outputs = [(first + out, err) for first, (out, err) in zip(seen, (p.communicate(timeout=60) for p in procs), strict=True)]
    assert [p.returncode for p in procs] == [0, 0], outputs
    ran = [m.groups() for out, _ in outputs for m in re.finditer(r"^(\S+) due (\S+ \S+) UTC: ran", out, re.M)]
    assert ran and len(ran) == len(set(ran)), ran  # never the same (job, due time) twice
    found = rows(env)
    # every run a worker reported is one row, and no (job, due time) has two rows; a due time that came up while
    # the workers were being stopped may have a row whose line was cut off with the process (seen under load)
    assert {(job, due.replace(" ", "T")) for job, due in ran} <= {(r[0], r[1][:19]) for r in found}, outputs
    assert len(found) == len({(r[0], r[1]) for r in found}) and all(r[3] == "ok" for r in found), found
    beats = run_python(
        "from chengguan.ops.models import WorkerHeartbeat as H\n"
        "print(H.objects.count(), H.objects.filter(stopped_at__isnull=False).count())",
        env,
    ).stdout.split()
    assert beats == ["2", "2"]
    assert all("stopped after" in out for out, _ in outputs)
