from datetime import time

from django.db import migrations


def load(apps, schema_editor):
    WorkingHours = apps.get_model("core", "WorkingHours")
    if WorkingHours.objects.exists():
        return
    WorkingHours.objects.bulk_create(
        WorkingHours(weekday=day, start=start, end=end)
        for day in range(5)
        for start, end in ((time(8), time(12)), (time(14), time(18)))
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
