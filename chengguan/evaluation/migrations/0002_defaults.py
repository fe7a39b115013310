from django.db import migrations


def load_defaults(apps, schema_editor):
    from chengguan.evaluation.defaults import load

    load(apps)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]

    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
