"""`chengguan geo import|clear-demo|stats`: the standard address gazetteer."""

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chengguan.core.coords import CRS_CHOICES
from chengguan.core.errors import DomainError

from ...models import Address, AddressImport
from ...services import addresses_import, demo_clear


class Command(BaseCommand):
    help = "Address gazetteer: import CSV/GeoJSON (all or nothing, or skipping bad rows), clear demo data."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import,clear-demo,stats}")
        p = sub.add_parser("import", help="import a CSV or GeoJSON file of addresses")
        p.add_argument("file")
        p.add_argument("--crs", choices=CRS_CHOICES, default="gcj02", help="coordinate system of the file")
        p.add_argument(
            "--on-error", choices=("fail", "skip"), default="fail",
            help="fail: any bad row refuses the file (default); skip: import the good rows",
        )
        p.add_argument("--reject-file", help="with --on-error skip: write the rejected rows here (CSV)")
        sub.add_parser("clear-demo", help="delete the generated demo gazetteer")
        sub.add_parser("stats", help="how many addresses, per import")

    def handle(self, *args, action, **opts):
        if action == "import":
            return self._import(opts)
        if action == "clear-demo":
            self.stdout.write(f"deleted {demo_clear()} demo addresses")
            return None
        self.stdout.write(f"{Address.objects.count()} addresses")
        for batch in AddressImport.objects.all():
            demo = " (demo)" if batch.is_demo else ""
            self.stdout.write(f"  {batch.at:%Y-%m-%d %H:%M} {batch.filename}{demo}: {batch.rows_imported} imported, "
                              f"{batch.rows_rejected} rejected")
        return None

    def _import(self, opts):
        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        try:
            batch, rejected = addresses_import(
                actor=None, data=path.read_bytes(), filename=path.name, crs=opts["crs"], on_error=opts["on_error"]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"imported {batch.rows_imported} addresses from {path.name}, rejected {len(rejected)}")
        if rejected:
            target = Path(opts["reject_file"] or f"{path}.rejected.csv")
            with target.open("w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(["line", "reason", "row"])
                writer.writerows(rejected)
            self.stdout.write(f"rejected rows (line, reason) written to {target}")
