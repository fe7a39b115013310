from django.db import migrations


def load(apps, schema_editor):
    from chengguan.catalog.defaults import load_defaults

    load_defaults(
        apps.get_model("catalog", "MatterType"),
        apps.get_model("catalog", "FilingCondition"),
        apps.get_model("catalog", "TimeLimit"),
        apps.get_model("catalog", "LegacyCode"),
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_rules")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
