"""`chengguan demo`: migrate, load the demo city (Kaifeng) once, print one login per role, serve."""

import importlib
import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_PASSWORD = "Demo@2026"


def demo_loaders():
    """Each app may have a `demo.py` with `load(*, stdout)`; they run in LOCAL_APPS order and are idempotent. A demo
    module may declare `RUN_BEFORE = "chengguan.<app>"` to run before that app's demo (its data is needed there)
    while the app itself stays later in LOCAL_APPS (which also orders the translations: the first app's word wins)."""
    loaders = []
    for app in settings.LOCAL_APPS:
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
            continue
        loaders.append((app, module))
    for app, module in list(loaders):
        before = getattr(module, "RUN_BEFORE", None)
        if before and before in [a for a, _m in loaders]:
            loaders.remove((app, module))
            loaders.insert([a for a, _m in loaders].index(before), (app, module))
    for app, module in loaders:
        yield app, module.load


class Command(BaseCommand):
    help = "Set up var/, migrate, load the demo city of Kaifeng (once) and start the server."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-server", action="store_true", help="load the data and exit")

    def handle(self, *args, port, host, no_server, **options):
        settings.MEDIA_ROOT.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("database ready: " + str(settings.DATABASES["default"]["NAME"]))
        # The demo's own sweep sends hundreds of notices through the logging channel; they belong in the inboxes,
        # not on the newcomer's terminal.
        notify_log = logging.getLogger("chengguan.cases.notify")
        level = notify_log.level
        notify_log.setLevel(logging.WARNING)
        try:
            for _app, load in demo_loaders():
                with transaction.atomic():
                    load(stdout=self.stdout)
        finally:
            notify_log.setLevel(level)
        self.print_logins()
        if not no_server:
            self.stdout.write(f"\nChengguan is running at http://{host}:{port}/  (Ctrl-C stops it)\n")
            call_command("runserver", f"{host}:{port}", use_reloader=False, insecure_serving=True)

    def print_logins(self):
        from chengguan.org.models import Role

        self.stdout.write("\nDemo logins (username / password):")
        for role in Role:
            self.stdout.write(f"  {role.value:<20} {DEMO_PASSWORD}   {role.label}")
