"""`chengguan serve`: the production web server (gunicorn, static files by whitenoise), after start-up checks.

    chengguan serve --host 0.0.0.0 --port 8000            # workers and threads sized for this machine

It refuses to start, with one line per problem, when the secret is missing or weak, the allowed hosts are not
set, the database cannot be reached or migrations are pending. Static files are collected (hashed, gzipped)
the first time, so a reverse proxy is optional.
"""

import os
import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from chengguan.ops.checks import startup_problems
from chengguan.ops.staticfiles import manifest_exists


def default_workers() -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(2, min(2 * cores + 1, 12))


class Command(BaseCommand):
    help = "Run the production web server (gunicorn + whitenoise) after checking the settings and database."
    # Django's system checks import the URLs, hence the metrics module: they run in handle(), after the
    # metrics directory is set, so gunicorn's processes share their counters.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (0.0.0.0: every interface)")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=0, help="processes (default: 2 x cores + 1, at most 12)")
        parser.add_argument("--threads", type=int, default=4, help="threads per process")
        parser.add_argument("--timeout", type=int, default=60, help="seconds before a stuck request's worker is restarted")
        parser.add_argument("--check", action="store_true", help="only run the start-up checks, then exit")

    def handle(self, *args, host, port, workers, threads, timeout, check, **options):
        metrics_dir = _fresh_metrics_dir(port) if not check else None
        self.check()
        problems = startup_problems()
        if problems:
            for line in problems:
                self.stderr.write(f"chengguan serve: {line}")
            raise CommandError(f"not starting: {len(problems)} problem(s) above", returncode=2)
        if check:
            self.stdout.write("start-up checks passed")
            return
        if not manifest_exists():
            self.stdout.write("collecting static files (first start) ...")
            call_command("collectstatic", interactive=False, verbosity=0)
        workers = workers or default_workers()
        connections.close_all()  # no connection may cross the fork into the workers
        from chengguan.ops.gunicorn import run

        self.stdout.write(
            f"chengguan serve: http://{host}:{port}/ with {workers} workers x {threads} threads "
            f"(metrics in {metrics_dir})"
        )
        sys.stdout.flush()
        run(bind=f"{host}:{port}", workers=workers, threads=threads, timeout=timeout)


def _fresh_metrics_dir(port: int) -> Path:
    """Per-server directory where gunicorn's worker processes share their request counters (Prometheus
    multiprocess mode); emptied at each start, as the client library requires."""
    path = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR") or settings.VAR_DIR / "run" / f"metrics-{port}")
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
    from prometheus_client import values

    values.ValueClass = values.get_value_class()  # in case the client library was imported before
    return path
