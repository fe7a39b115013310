"""`chengguan sensing listen|import|simulate|jobs`: the MQTT listener, the device import, the demo vendor and
sensor fleet, and the sensing jobs run once by hand."""

import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chengguan.core.errors import DomainError


class Command(BaseCommand):
    help = "Sensing: listen to MQTT readings, import devices, simulate a vendor and a sensor fleet."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        listen = sub.add_parser("listen", help="subscribe to <prefix>/<device_id>/reading and ingest")
        listen.add_argument("--host", default="127.0.0.1")
        listen.add_argument("--port", type=int, default=1883)
        listen.add_argument("--prefix", default="chengguan/sensors")
        listen.add_argument("--username", default="")
        listen.add_argument("--password", default="")
        imp = sub.add_parser("import", help="import cameras and sensors from CSV or GeoJSON")
        imp.add_argument("file")
        imp.add_argument("--crs", default="gcj02")
        sim = sub.add_parser("simulate", help="play a vendor and a sensor fleet against the demo city")
        sim.add_argument("--minutes", type=int, default=60, help="simulated minutes of readings")
        sim.add_argument("--mqtt", default="", help="host:port to publish readings to instead of ingesting")
        sim.add_argument("--prefix", default="chengguan/sensors")
        sub.add_parser("jobs", help="run the offline sweep, the rollups and the check expiry once")

    def handle(self, *args, action, **opts):
        try:
            getattr(self, f"_{action}")(**opts)
        except DomainError as exc:
            raise CommandError(f"{exc.field}: {exc.message}" if exc.field else exc.message) from exc

    def _listen(self, *, host, port, prefix, username, password, **_):
        from ...mqtt import Listener

        logging.basicConfig(level=logging.INFO)
        self.stdout.write(f"listening on mqtt://{host}:{port}/{prefix}/+/reading")
        Listener(host=host, port=port, prefix=prefix, username=username, password=password).run_forever()

    def _import(self, *, file, crs, **_):
        from ...devices import devices_import

        path = Path(file)
        if not path.exists():
            raise CommandError(f"{file}: no such file")
        fmt = "geojson" if path.suffix.lower() in (".geojson", ".json") else "csv"
        devices = devices_import(text=path.read_text(encoding="utf-8-sig"), fmt=fmt, crs=crs)
        self.stdout.write(f"{len(devices)} devices imported")

    def _simulate(self, *, minutes, mqtt, prefix, **_):
        from ...simulate import simulate

        simulate(minutes=minutes, mqtt=mqtt, prefix=prefix, stdout=self.stdout)

    def _jobs(self, **_):
        from ...monitor import expire_checks, offline_sweep, rollup_due

        self.stdout.write(f"offline: {offline_sweep()}, rollups: {rollup_due()}, expired checks: {expire_checks()}")
