"""`chengguan grids import|export|generate|check`: the grid layer from and to GeoJSON, generated, checked."""

import json
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chengguan.core.coords import CRS_CHOICES
from chengguan.core.errors import DomainError
from chengguan.org.models import Region

from ...checks import check_grids
from ...geojson_io import KINDS, ImportFailed, export, import_collection, read_collection


def _region(code: str | None) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code.ljust(12, "0") if len(code) in (6, 9) else code).first()
    if region is None:
        raise CommandError(f"no region with code {code}")
    return region


class Command(BaseCommand):
    help = "Unit grids: import/export GeoJSON, generate a lattice over a region, check coverage."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{import,export,generate,check}")

        p = sub.add_parser(
            "import", help="import regions, unit grids or responsibility grids (all or nothing)"
        )
        p.add_argument("file", help="a GeoJSON FeatureCollection ('-' reads standard input)")
        p.add_argument("--kind", choices=KINDS, help="what the file holds (detected when omitted)")
        p.add_argument("--crs", choices=CRS_CHOICES, help="coordinate system of the file (default gcj02)")
        p.add_argument("--dry-run", action="store_true", help="validate only, change nothing")

        p = sub.add_parser("export", help="export as a GeoJSON FeatureCollection")
        p.add_argument("--kind", choices=KINDS, required=True)
        p.add_argument("--region", help="only this region's subtree (6-, 9- or 12-digit code)")
        p.add_argument("--crs", choices=CRS_CHOICES, default="gcj02")
        p.add_argument("-o", "--output", help="file to write (default: standard output)")

        p = sub.add_parser("generate", help="cover a region's communities with square cells")
        p.add_argument("--region", required=True, help="region code (6-, 9- or 12-digit)")
        p.add_argument("--cell-area", type=float, default=10_000, help="cell area in m² (default 10000)")
        p.add_argument(
            "--min-fraction",
            type=float,
            default=0.2,
            help="clipped parts smaller than this fraction of a cell join a neighbour (default 0.2)",
        )
        p.add_argument("--replace", action="store_true", help="delete the region's existing unit grids first")
        p.add_argument("--land-use", default="", help="land-use class for every new grid")
        p.add_argument("--management-level", default="", help="management level for every new grid")

        p = sub.add_parser(
            "check", help="report gaps, overlaps, grids crossing communities, invalid geometry"
        )
        p.add_argument("--region", help="only this region's subtree")
        p.add_argument(
            "--tolerance", type=float, default=1.0, help="ignore areas below this many m² (default 1)"
        )
        p.add_argument(
            "--min-width",
            type=float,
            default=0.1,
            help="ignore slivers thinner than this many metres (default 0.1)",
        )
        p.add_argument("--json", dest="as_json", action="store_true", help="print the report as JSON")
        p.add_argument("--limit", type=int, default=20, help="lines shown per problem kind (default 20)")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"do_{action}")(**options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def do_import(self, *, file, kind, crs, dry_run, **_):
        text = sys.stdin.read() if file == "-" else self._read(file)
        try:
            result = import_collection(read_collection(text), kind=kind, crs=crs, dry_run=dry_run)
        except ImportFailed as exc:
            for line in exc.errors[:200]:
                self.stderr.write(f"  {line}")
            if len(exc.errors) > 200:
                self.stderr.write(f"  … and {len(exc.errors) - 200} more")
            raise CommandError(f"import failed with {len(exc.errors)} error(s); nothing was changed") from exc
        verb = "would import" if dry_run else "imported"
        self.stdout.write(f"{verb} {result.kind}: {result.created} new, {result.updated} updated")

    def _read(self, file):
        try:
            return Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc

    def do_export(self, *, kind, region, crs, output, **_):
        data = export(kind, region=_region(region), crs=crs)
        text = json.dumps(data, ensure_ascii=False)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"wrote {len(data['features'])} {kind} to {output}")
        else:
            self.stdout.write(text)

    def do_generate(self, *, region, cell_area, min_fraction, replace, land_use, management_level, **_):
        from ...services import unit_grids_generate

        target = _region(region)
        started = time.monotonic()
        grids = unit_grids_generate(
            actor=None,
            region=target,
            cell_area_m2=cell_area,
            min_fraction=min_fraction,
            replace=replace,
            land_use=land_use,
            management_level=management_level,
        )
        communities = len({g.community_id for g in grids})
        self.stdout.write(
            f"generated {len(grids)} unit grids in {communities} communities of {target.name} "
            f"({time.monotonic() - started:.1f} s)"
        )

    def do_check(self, *, region, tolerance, min_width, as_json, limit, **_):
        report = check_grids(region=_region(region), tolerance_m2=tolerance, min_width_m=min_width)
        if as_json:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, indent=1))
        else:
            self._print_report(report, limit)
        if not report.ok:
            raise CommandError("the grid layer has problems (see above)", returncode=1)

    def _print_report(self, report, limit):
        w = self.stdout.write
        w(f"{report.grids} unit grids in {report.communities} communities")
        sections = [
            ("invalid geometries", report.invalid, lambda r: f"{r[0]}: {r[1]}"),
            (
                f"overlapping pairs ({report.overlap_m2:,.1f} m² in all)",
                report.overlaps,
                lambda r: f"{r[0]} × {r[1]}: {r[2]:,.1f} m²",
            ),
            (
                "grids reaching outside their community",
                report.crossing,
                lambda r: f"{r[0]} ({r[1]}): {r[2]:,.1f} m²",
            ),
            (
                f"communities not fully covered ({report.uncovered_m2:,.1f} m² uncovered)",
                report.uncovered,
                lambda r: f"{r[0]}: {r[1]:,.1f} m²",
            ),
        ]
        for title, rows, fmt in sections:
            w(f"{len(rows)} {title}")
            for row in rows[:limit]:
                w(f"  {fmt(row)}")
            if len(rows) > limit:
                w(f"  … and {len(rows) - limit} more")
        if report.without_boundary:
            w(f"note: {len(report.without_boundary)} communities have no boundary and were not compared")
        w("OK" if report.ok else "PROBLEMS FOUND")
