"""`chengguan audit verify`: walk the full-process record and report any edited or deleted record."""

from django.core.management.base import BaseCommand, CommandError

from chengguan.enforcement.audit import audit_verify


class Command(BaseCommand):
    help = "Verify the tamper-evident full-process record (hash chain); exits non-zero on any problem."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="check every record's hash and link, and the chain's head")
        verify.add_argument("--files", action="store_true", help="also re-hash the stored files")

    def handle(self, *args, action, files=False, **options):
        result = audit_verify(check_files=files)
        for problem in result.problems:
            self.stderr.write(f"TAMPERED: {problem}")
        summary = f"{result.checked} records checked"
        if files:
            summary += f", {result.files_checked} files re-hashed"
        summary += f"; head #{result.head_seq} {result.head_hash}"
        if not result.ok:
            raise CommandError(f"audit chain broken ({len(result.problems)} problems); {summary}")
        self.stdout.write(f"audit chain intact: {summary}")
