import importlib

from django.db import migrations, models

# Daily rollups of the current month's closed days: the staleness log now names the day of every fact row written
# (and its month, which the monthly rollups read as before). The triggers of 0006 stay; their functions (PostgreSQL)
# or bodies (SQLite) log (month, day) instead of the month alone.
FACT_TABLES = (("evaluation_casefact", "reported_on"), ("evaluation_stepfact", "started_on"))
V0006 = importlib.import_module("chengguan.evaluation.migrations.0006_rollups")


def _pg_function(table, col):
    m = f"({col} - (extract(day from {col})::int - 1))"
    return f"""
CREATE OR REPLACE FUNCTION {table}_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO evaluation_factchange (month, day) SELECT DISTINCT {m}, {col} FROM new_rows;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO evaluation_factchange (month, day)
      SELECT {m}, {col} FROM new_rows UNION SELECT {m}, {col} FROM old_rows;
  ELSE
    INSERT INTO evaluation_factchange (month, day) SELECT DISTINCT {m}, {col} FROM old_rows;
  END IF;
  RETURN NULL;
END $$;
"""


def _sqlite_missing(ref, col):
    return f"NOT EXISTS (SELECT 1 FROM evaluation_factchange WHERE day = {ref}.{col})"


def _sqlite_log(ref, col):
    return (
        f"INSERT INTO evaluation_factchange (month, day) SELECT strftime('%Y-%m-01', {ref}.{col}), {ref}.{col} "
        f"WHERE {_sqlite_missing(ref, col)};"
    )


def sqlite_triggers(table, col):
    # The WHEN clause keeps the common case (the day is logged already) to one index probe per row.
    return [
        f"CREATE TRIGGER {table}_ins AFTER INSERT ON {table} WHEN {_sqlite_missing('NEW', col)} "
        f"BEGIN {_sqlite_log('NEW', col)} END",
        f"CREATE TRIGGER {table}_upd AFTER UPDATE ON {table} "
        f"WHEN {_sqlite_missing('OLD', col)} OR {_sqlite_missing('NEW', col)} "
        f"BEGIN {_sqlite_log('OLD', col)} {_sqlite_log('NEW', col)} END",
        f"CREATE TRIGGER {table}_del AFTER DELETE ON {table} WHEN {_sqlite_missing('OLD', col)} "
        f"BEGIN {_sqlite_log('OLD', col)} END",
    ]


def _drop_sqlite(schema_editor):
    for table, _col in FACT_TABLES:
        for op in ("ins", "upd", "del"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{op}")


def drop_sqlite(apps, schema_editor):
    # SQLite's triggers name evaluation_factchange in their bodies: drop them while its table is remade
    if schema_editor.connection.vendor == "sqlite":
        _drop_sqlite(schema_editor)


def log_days(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table, col in FACT_TABLES:
            schema_editor.execute(_pg_function(table, col))
    elif vendor == "sqlite":
        for table, col in FACT_TABLES:
            for sql in sqlite_triggers(table, col):
                schema_editor.execute(sql)


def log_months(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table, col in FACT_TABLES:  # 0006's functions (their CREATE TRIGGERs are not repeated)
            function = V0006._pg_function(table, col).split("CREATE TRIGGER")[0]
            schema_editor.execute(function.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION"))
    elif vendor == "sqlite":
        for table, col in FACT_TABLES:
            for sql in V0006._sqlite_triggers(table, col):
                schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0007_fact_fillfactor")]

    operations = [
        migrations.RunPython(drop_sqlite, log_months),
        migrations.AddField(model_name="factchange", name="day", field=models.DateField(null=True)),
        # a change logged before: its month's first day (the month stays stale; no day rollup exists yet)
        migrations.RunSQL("UPDATE evaluation_factchange SET day = month", migrations.RunSQL.noop),
        migrations.AlterField(model_name="factchange", name="day", field=models.DateField(db_index=True)),
        migrations.CreateModel(
            name="RollupDay",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=40)),
                ("day", models.DateField()),
                ("computed_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "verbose_name": "rollup day",
                "indexes": [models.Index(fields=["day"], name="rollupday_day")],
                "constraints": [models.UniqueConstraint(fields=("key", "day"), name="rollupday_key_day")],
            },
        ),
        migrations.CreateModel(
            name="RollupDayRow",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=40)),
                ("day", models.DateField()),
                ("source", models.PositiveSmallIntegerField()),
                ("member", models.BigIntegerField()),
                ("measures", models.JSONField()),
            ],
            options={
                "verbose_name": "rollup day row",
                "indexes": [
                    models.Index(fields=["key", "day"], name="rollupdayrow_key_day"),
                    models.Index(fields=["day"], name="rollupdayrow_day"),
                ],
            },
        ),
        migrations.RunPython(log_days, drop_sqlite),
    ]
