from django.core.management.base import BaseCommand

from chengguan.cases.uploads import expire_unattached


class Command(BaseCommand):
    help = "Delete uploaded photos never attached to a case (older than CASES_UNATTACHED_HOURS) and orphan files."

    def handle(self, *args, **options):
        result = expire_unattached()
        self.stdout.write(f"expired {result['expired']} unattached photos, removed {result['orphan_files']} "
                          "orphan files")
