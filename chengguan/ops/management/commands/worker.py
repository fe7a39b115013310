"""`chengguan worker`: run the scheduled jobs the apps declare in their jobs.py (see docs/operations.md).

Run one or more workers, on one machine or several: each due run is claimed exactly once (a unique
(job, due time) row), so two workers never run the same tick twice, and a stopped worker's jobs are taken by
the others. `--once` runs what is due now and exits (for cron or a test); `--list` shows the jobs.
"""

import signal
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from chengguan.ops.runner import Worker
from chengguan.ops.schedule import discover


class Command(BaseCommand):
    help = "Run the background jobs (the minute tick, webhook deliveries, nightly checks, backups)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the jobs due now, then exit")
        parser.add_argument("--list", action="store_true", help="list the jobs and when they are next due")
        parser.add_argument("--job", action="append", default=[], help="only this job (repeatable)")
        parser.add_argument(
            "--now", default="", help="with --once: the time to run as of (ISO 8601), e.g. to redo a missed night"
        )

    def handle(self, *args, once, list, job, now, **options):
        jobs = discover()
        if job:
            unknown = sorted(set(job) - {j.name for j in jobs})
            if unknown:
                raise CommandError(f"no job named {', '.join(unknown)}; `chengguan worker --list` shows them")
            jobs = [j for j in jobs if j.name in job]
        if list:
            current = timezone.now()
            for j in jobs:
                nxt = timezone.localtime(j.next_after(current))
                self.stdout.write(f"{j.name:<28} {j.schedule:<26} next {nxt:%Y-%m-%d %H:%M:%S %Z}  {j.run}")
            return
        at = self._parse_now(now) if now else None
        if at is not None and not once:
            raise CommandError("--now only goes with --once")
        worker = Worker(jobs, stdout=self.stdout)
        if once:
            worker.beat()
            worker.run_due(at)
            worker.beat(stopped=True)
            return
        self.stdout.write(f"worker {worker.worker}: {len(jobs)} jobs ({', '.join(j.name for j in jobs)})")

        def stop(signum, frame):
            worker.stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        worker.loop()
        self.stdout.write(f"worker {worker.worker}: stopped after {worker.runs} runs")

    def _parse_now(self, value: str) -> datetime:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--now must be an ISO 8601 time like 2026-12-05T03:30:00+08:00, not {value!r}") from None
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
