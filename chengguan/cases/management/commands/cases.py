"""`chengguan cases import FILE` / `chengguan cases export [-o FILE]`: the case exchange format (JSON Lines).

Import replays the history in one transaction: a bad line is reported with its number and nothing is kept.
`--bulk` is the migration-scale path (validate the whole file, write in resumable chunks); a bundle (a directory
with manifest.json, or a .zip) is always imported that way, with its photos and links. `export --bundle PATH`
writes one.
`--on-error skip` keeps the good lines instead and writes each bad one (line, event, field, reason) to a reject
file. `--dry-run` replays and rolls back (a full validation). Export writes every case (or a date range).
"""

import io
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_date

from chengguan.cases.exchange import ExchangeError, export_cases, import_cases
from chengguan.cases.models import Case
from chengguan.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Import or export cases in the case exchange format (JSON Lines), e.g. to migrate off an old system."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        imp = sub.add_parser("import", help="replay a JSON Lines file (history kept, timestamps kept)")
        imp.add_argument("file", help="path, or - for standard input")
        imp.add_argument("--dry-run", action="store_true", help="replay everything, then roll back")
        imp.add_argument(
            "--on-error",
            choices=["stop", "skip"],
            default="stop",
            help="stop: a bad line imports nothing (default); skip: leave bad lines out and list them",
        )
        imp.add_argument(
            "--rejects", help="with --on-error skip: where to write the bad lines (default FILE.rejects.tsv)"
        )
        imp.add_argument(
            "--bulk",
            action="store_true",
            help="migration scale: validate the whole file, then write in chunks (resumable, docs/case-exchange.md)",
        )
        imp.add_argument("--chunk", type=int, default=5000, help="with --bulk: cases per transaction (5000)")
        exp = sub.add_parser("export", help="write cases as JSON Lines")
        exp.add_argument("-o", "--output", default="-", help="path, or - for standard output (default)")
        exp.add_argument("--since", help="cases registered on or after this date (YYYY-MM-DD)")
        exp.add_argument("--until", help="cases registered before this date (YYYY-MM-DD)")
        exp.add_argument(
            "--bundle",
            help="write an exchange bundle (JSON Lines + photos + hotline/Open311 links) to this directory or .zip",
        )
        exp.add_argument(
            "--mask-personal-data",
            action="store_true",
            help="write reporters' names and phones masked (default: in full, for a migration)",
        )

    def handle(self, *args, subcommand, **options):
        if subcommand == "import":
            if _is_bundle(options["file"]):
                return self.do_bulk(options["file"], options["dry_run"], options["on_error"], options["rejects"],
                                    options["chunk"], bundle=True)  # fmt: skip
            if options["bulk"]:
                return self.do_bulk(options["file"], options["dry_run"], options["on_error"], options["rejects"],
                                    options["chunk"])  # fmt: skip
            return self.do_import(
                options["file"], options["dry_run"], options["on_error"], options["rejects"]
            )
        if options.get("bundle"):
            if options["mask_personal_data"]:
                raise CommandError("a bundle is for a migration: --mask-personal-data applies to JSON Lines only")
            from chengguan.cases.bundle import export_bundle

            counts = export_bundle(options["bundle"], queryset=self.cases(options.get("since"), options.get("until")))
            self.stderr.write(f"{counts['cases']} cases with {counts['photos']} photos exported to {options['bundle']}")
            for name, count in counts["files"].items():
                self.stderr.write(f"{name}: {count} records")
            return None
        return self.do_export(
            options["output"], options.get("since"), options.get("until"), options["mask_personal_data"]
        )

    def do_import(self, path, dry_run, on_error="stop", rejects_path=None):
        if on_error == "skip" and not rejects_path:
            if path == "-":
                raise CommandError("--on-error skip with standard input needs --rejects FILE")
            rejects_path = f"{path}.rejects.tsv"
        started = time.monotonic()
        rejects = io.StringIO()
        try:
            stream = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
            with stream:
                result = import_cases(stream, dry_run=dry_run, on_error=on_error, rejects=rejects)
        except FileNotFoundError as exc:
            raise CommandError(f"no such file: {path}") from exc
        except ExchangeError as exc:
            raise CommandError(f"{exc.message} — nothing was imported") from exc
        seconds = time.monotonic() - started
        verb = "checked (dry run, rolled back)" if dry_run else "imported"
        self.stdout.write(f"{result['cases']} cases with {result['events']} events {verb} in {seconds:.1f} s")
        if on_error == "skip":
            with open(rejects_path, "w", encoding="utf-8") as out:
                out.write("line\tevent\tfield\treason\n" + rejects.getvalue())
            self.stdout.write(f"{result['rejected']} lines rejected, listed in {rejects_path}")

    def do_bulk(self, path, dry_run, on_error, rejects_path, chunk, bundle=False):
        from chengguan.cases.bulk import bulk_import
        from chengguan.cases.bundle import import_bundle

        if path == "-":
            raise CommandError("--bulk reads a file (it is hashed and read again on resume), not standard input")
        if on_error == "skip" and not rejects_path:
            rejects_path = f"{path}.rejects.tsv"
        tty = hasattr(self.stderr, "isatty") and self.stderr.isatty()

        def progress(done, total, seconds):
            rate = done / seconds if seconds else 0.0
            eta = (total - done) / rate if rate else 0.0
            line = f"{done:,}/{total:,} cases  {rate:,.0f} cases/s  ETA {_duration(eta)}"
            self.stderr.write(("\r" + line) if tty else line, ending="" if tty else "\n")
            self.stderr.flush()

        rejects = io.StringIO()
        try:
            run = import_bundle if bundle else bulk_import
            result = run(path, on_error=on_error, rejects=rejects, dry_run=dry_run, chunk=chunk, progress=progress)
        except FileNotFoundError as exc:
            raise CommandError(f"no such file: {path}") from exc
        except DomainError as exc:  # a bad line (ExchangeError), or a bundle's manifest or other files
            raise CommandError(f"{exc.message} — nothing was imported") from exc
        if tty:
            self.stderr.write("")
        if result["resumed_after_line"]:
            self.stdout.write(f"resumed after line {result['resumed_after_line']:,} (the last committed chunk)")
        verb = "checked (dry run, nothing written)" if dry_run else "imported"
        seconds = result.get("seconds", result["validated_seconds"])
        rate = result["cases"] / seconds if seconds else 0
        self.stdout.write(
            f"{result['cases']} cases with {result['events']} events {verb} in {seconds:.1f} s ({rate:,.0f} cases/s)"
        )
        for name, count in (result.get("files") or {}).items():
            self.stdout.write(f"{name}: {count} records restored")
        if on_error == "skip":
            with open(rejects_path, "w", encoding="utf-8") as out:
                out.write("line\tevent\tfield\treason\n" + rejects.getvalue())
            self.stdout.write(f"{result['rejected']} lines rejected, listed in {rejects_path}")

    def cases(self, since, until):
        qs = Case.objects.all()
        for value, lookup in ((since, "created_at__date__gte"), (until, "created_at__date__lt")):
            if value:
                day = parse_date(value)
                if day is None:
                    raise CommandError(f"not a date: {value}")
                qs = qs.filter(**{lookup: day})
        return qs

    def do_export(self, output, since, until, mask=False):
        qs = self.cases(since, until)
        if output == "-":
            count = export_cases(self.stdout, queryset=qs, mask_personal_data=mask)
        else:
            with open(output, "w", encoding="utf-8") as out:
                count = export_cases(out, queryset=qs, mask_personal_data=mask)
        self.stderr.write(f"{count} cases exported")


def _is_bundle(path: str) -> bool:
    from pathlib import Path

    return path.endswith(".zip") or (Path(path) / "manifest.json").is_file()


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    if seconds >= 60:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds} s"
