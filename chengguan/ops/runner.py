"""`chengguan worker`'s loop: claim each due run of each job once across every worker, run it, beat.

A claim is an INSERT of JobRun(job, due_at) under a unique constraint, so it holds across processes and
machines on PostgreSQL and SQLite alike: the first INSERT wins, the others get an IntegrityError and skip.
A worker remembers the due times it has already seen, so it asks the database only when a job becomes due.
"""

from __future__ import annotations

import io
import logging
import os
import socket
import time
import traceback
from datetime import datetime, timedelta

from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from .models import JobRun, WorkerHeartbeat
from .schedule import Job

log = logging.getLogger("chengguan.ops.worker")
HEARTBEAT_SECONDS = 10
OUTPUT_LIMIT = 4000


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(job: Job, due_at: datetime, worker: str, now: datetime) -> JobRun | None:
    """Take the run of `job` due at `due_at`, or None when another worker (or an earlier pass) has it."""
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job.name, due_at=due_at, worker=worker, started_at=now)
    except IntegrityError:
        return None


def execute(job: Job, run: JobRun) -> JobRun:
    """Call the job's function (no arguments) and record how it ended."""
    output = ""
    try:
        result = job.function()()
        output = "" if result is None else str(result)
        run.status = JobRun.Status.OK
    except Exception:  # noqa: BLE001 - one failing job must not stop the worker
        output = traceback.format_exc()
        run.status = JobRun.Status.FAILED
        log.error("job %s (due %s) failed:\n%s", job.name, run.due_at.isoformat(), output)
    run.output = output[-OUTPUT_LIMIT:]
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "output", "finished_at"])
    return run


class Worker:
    def __init__(self, jobs: list[Job], *, stdout=None, worker: str | None = None):
        self.jobs = jobs
        self.worker = worker or worker_id()
        self.stdout = stdout or io.StringIO()
        self.seen: dict[str, datetime] = {}  # job -> latest due time this worker has tried
        self.runs = 0
        self.started_at = timezone.now()
        self.last_beat = 0.0
        self.stopping = False

    def beat(self, *, stopped: bool = False) -> None:
        now = timezone.now()
        host, _, pid = self.worker.rpartition(":")
        WorkerHeartbeat.objects.update_or_create(
            worker=self.worker,
            defaults={
                "hostname": host[:150],
                "pid": int(pid) if pid.isdigit() else 0,
                "started_at": self.started_at,
                "seen_at": now,
                "stopped_at": now if stopped else None,
                "runs": self.runs,
            },
        )
        self.last_beat = time.monotonic()

    def run_due(self, now: datetime | None = None) -> list[tuple[str, str]]:
        """One pass: every job due at `now` and not yet seen is claimed and, if won, run.
        Returns [(job name, "ran" | "failed" | "taken")] for the jobs it tried."""
        now = now or timezone.now()
        done = []
        for job in self.jobs:
            if self.stopping:
                break
            due = job.due_at(now)
            if self.seen.get(job.name) == due:
                continue
            self.seen[job.name] = due
            run = claim(job, due, self.worker, timezone.now())
            if run is None:
                done.append((job.name, "taken"))
                self.stdout.write(f"{job.name} due {due:%Y-%m-%d %H:%M:%S} UTC: taken by another worker")
                continue
            started = time.monotonic()
            execute(job, run)
            self.runs += 1
            word = "ran" if run.status == JobRun.Status.OK else "failed"
            done.append((job.name, word))
            summary = run.output.strip().splitlines()[-1:] if run.output.strip() else []
            self.stdout.write(
                f"{job.name} due {due:%Y-%m-%d %H:%M:%S} UTC: {word} in {time.monotonic() - started:.2f} s"
                + (f" ({summary[0][:200]})" if summary else "")
            )
        return done

    def seconds_to_next(self, now: datetime) -> float:
        upcoming = [job.next_after(now) for job in self.jobs]
        if not upcoming:
            return HEARTBEAT_SECONDS
        return max(0.05, min((min(upcoming) - now).total_seconds(), HEARTBEAT_SECONDS))

    def loop(self) -> None:
        """Run until `stopping` is set (SIGTERM/SIGINT): passes at each due time, a heartbeat every 10 s."""
        self.beat()
        try:
            while not self.stopping:
                close_old_connections()
                self.run_due()
                if time.monotonic() - self.last_beat >= HEARTBEAT_SECONDS:
                    self.beat()
                until_beat = HEARTBEAT_SECONDS - (time.monotonic() - self.last_beat)
                pause = max(0.05, min(self.seconds_to_next(timezone.now()), until_beat))
                deadline = time.monotonic() + pause
                while not self.stopping and time.monotonic() < deadline:
                    time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
        finally:
            self.beat(stopped=True)


def last_heartbeat() -> dict | None:
    """For /healthz: the newest heartbeat of any worker, its age and how many workers beat in the last minute."""
    latest = WorkerHeartbeat.objects.order_by("-seen_at").first()
    if latest is None:
        return None
    now = timezone.now()
    alive = WorkerHeartbeat.objects.filter(
        seen_at__gte=now - timedelta(seconds=6 * HEARTBEAT_SECONDS), stopped_at__isnull=True
    ).count()
    return {
        "last_heartbeat": latest.seen_at.isoformat(),
        "age_seconds": round((now - latest.seen_at).total_seconds(), 1),
        "alive": alive,
    }
