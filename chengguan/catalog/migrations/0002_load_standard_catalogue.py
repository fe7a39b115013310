from django.db import migrations


def load(apps, schema_editor):
    from chengguan.catalog.loader import load_standard_catalogue

    load_standard_catalogue(apps.get_model("catalog", "ComponentType"), apps.get_model("catalog", "MatterType"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
