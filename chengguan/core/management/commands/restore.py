"""`chengguan restore FILE`: load a backup into an empty, migrated database, then verify the audit chain."""

from django.core.management.base import BaseCommand, CommandError

from chengguan.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `chengguan backup` into an empty migrated database (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the backup .tar.gz")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="erase everything in the target database first (it normally must hold no users)",
        )

    def handle(self, *args, file, replace=False, **options):
        try:
            result = restore_backup(file, replace=replace, stdout=self.stdout)
        except (BackupError, OSError) as exc:
            raise CommandError(f"restore failed, nothing was changed: {exc}") from exc
        if result.audit_problems:
            for problem in result.audit_problems:
                self.stderr.write(f"TAMPERED: {problem}")
            raise CommandError("restored, but the audit chain does not verify: the backup was altered")
