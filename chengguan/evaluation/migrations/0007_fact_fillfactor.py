from django.db import migrations

# Room on each page for the sweeper's fact UPDATEs (urge_count, supervised: in no index) to be HOT on PostgreSQL
# (new pages only: an existing install rewrites the tables once with VACUUM FULL, docs/performance.md).
FILLFACTOR = 85
TABLES = ("evaluation_casefact", "evaluation_stepfact")


def fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} SET (fillfactor = {FILLFACTOR})")


def reset(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"ALTER TABLE {table} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0006_rollups")]

    operations = [migrations.RunPython(fillfactor, reset)]
