"""`chengguan monthly_report`: the 月度分析报告 of a month and region as .docx.

chengguan monthly_report --month 2026-11 --region 410202000000 --output 2026-11.docx
chengguan monthly_report --all          # last month, every district, into the media storage (as the worker)
"""

from django.core.management.base import BaseCommand, CommandError

from chengguan.org.models import Region

from ...monthly import build, monthly_job


class Command(BaseCommand):
    help = "The monthly analysis report (月度分析报告) of a month and region as a Word document."

    def add_arguments(self, parser):
        parser.add_argument("--month", default="", help="YYYY-MM")
        parser.add_argument("--region", default="", help="region code (a district, street or the city)")
        parser.add_argument("--output", default="", help="the .docx file to write")
        parser.add_argument("--all", action="store_true", help="last month for every district, kept in media")

    def handle(self, *args, **opts):
        if opts["all"]:
            for name in monthly_job():
                self.stdout.write(name)
            return
        try:
            year, month = (int(p) for p in opts["month"].split("-"))
            assert 1 <= month <= 12
        except (ValueError, AssertionError) as exc:
            raise CommandError("--month must be YYYY-MM") from exc
        region = Region.objects.filter(code=opts["region"]).first()
        if region is None:
            raise CommandError(f"--region: no region with code {opts['region']!r}")
        if not opts["output"]:
            raise CommandError("--output: name the .docx file to write")
        with open(opts["output"], "wb") as fh:
            fh.write(build(region, year, month))
        self.stdout.write(opts["output"])
