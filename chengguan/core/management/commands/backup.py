"""`chengguan backup --output DIR|FILE`: database, media files and the audit chain in one .tar.gz."""

from django.core.management.base import BaseCommand, CommandError

from chengguan.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Back up the whole instance (every table, media files, audit chain) into one .tar.gz file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            required=True,
            help="a directory (a dated file name is chosen) or the file to write (.tar.gz)",
        )

    def handle(self, *args, output, **options):
        try:
            create_backup(output, stdout=self.stdout)
        except (BackupError, OSError) as exc:
            raise CommandError(f"backup failed: {exc}") from exc
