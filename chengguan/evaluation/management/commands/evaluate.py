"""`chengguan evaluate`: print or export a ranking, rebuild the fact tables, refresh the stale rollups,
or sweep red-light notices.

chengguan evaluate --period 2026-11 --party department --format json
chengguan evaluate --period 2026-Q4 --party region --level street --format xlsx --output q4.xlsx
chengguan evaluate rebuild
chengguan evaluate rollups
chengguan evaluate red-lights
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from chengguan.core.errors import DomainError

from ...access import Viewer
from ...export import workbook_bytes
from ...facts import facts_rebuild
from ...indicators import PARTIES, REGION_LEVELS
from ...periods import parse_period
from ...reports import party_report
from ...tables import as_json, report_table


class Command(BaseCommand):
    help = (
        "Evaluation rankings (json/xlsx), `rebuild` of the fact tables, `rollups` refresh of stale months, "
        "`red-lights` notice sweep."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "action", nargs="?", default="report", choices=["report", "rebuild", "rollups", "red-lights"]
        )
        parser.add_argument(
            "--period", default="", help="2026-11, 2026-W45, 2026-Q4, 2026, 2026-11-03 or a..b"
        )
        parser.add_argument("--party", default="department", choices=sorted(PARTIES))
        parser.add_argument("--level", default="district", choices=REGION_LEVELS, help="for --party region")
        parser.add_argument("--format", default="json", choices=["json", "xlsx"])
        parser.add_argument(
            "--output", default="", help="file to write (xlsx needs one unless stdout is a file)"
        )

    def handle(self, *args, action, period, party, level, format, output, **options):
        try:
            if action == "rebuild":
                n = facts_rebuild(stdout=self.stdout if options["verbosity"] > 1 else None)
                if options["verbosity"]:
                    self.stdout.write(f"facts rebuilt for {n} cases")
                return
            if action == "rollups":
                from ...rollups import refresh_all

                n = refresh_all()
                if options["verbosity"]:
                    self.stdout.write(f"rollups recomputed for {n} months and days")
                return
            if action == "red-lights":
                from ...services import red_light_sweep

                result = red_light_sweep(now=timezone.now())
                self.stdout.write(json.dumps(result))
                return
            self.report(period, party, level, format, output)
        except DomainError as exc:
            raise CommandError(f"{exc.field or 'error'}: {exc.message}") from exc

    def report(self, period, party, level, fmt, output):
        report = party_report(party, parse_period(period), Viewer(None), level=level)
        table = report_table(report)
        if fmt == "json":
            text = json.dumps(
                {"party": party, "period": report.period.code, "level": report.level, **as_json(table)},
                ensure_ascii=False,
                indent=2,
                default=str,
            )
            if output:
                with open(output, "w", encoding="utf-8") as fh:
                    fh.write(text + "\n")
            else:
                self.stdout.write(text)
            return
        data = workbook_bytes(table)
        if output:
            with open(output, "wb") as fh:
                fh.write(data)
            self.stdout.write(f"written {output}")
        elif not sys.stdout.isatty():
            sys.stdout.buffer.write(data)
        else:
            raise CommandError("--format xlsx needs --output FILE (or redirect stdout to a file)")
