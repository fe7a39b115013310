"""`chengguan tick`: the sweeper. Run it every minute from cron (or with `--every 60` as a service).

Each app may provide `tick.py` with `run(*, now, stdout)`; they run in app order, each on its own. The work is
idempotent and safe with two sweepers at once (rows are claimed with compare-and-set under SKIP LOCKED).
"""

import importlib
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone


def tick_runners():
    for app in settings.LOCAL_APPS:
        try:
            module = importlib.import_module(f"{app}.tick")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.tick":
                raise
            continue
        yield app, module.run


class Command(BaseCommand):
    help = "Sweep deadlines: urge overdue steps, escalate long-overdue ones (run every minute)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=float, default=0, help="repeat every N seconds until stopped")

    def handle(self, *args, every, **options):
        while True:
            started = time.monotonic()
            now = timezone.now()  # one time for the whole pass
            for _app, run in tick_runners():
                run(now=now, stdout=self.stdout)
            if not every:
                return
            time.sleep(max(0.0, every - (time.monotonic() - started)))
