"""The readings table. PostgreSQL: partitioned by month on `at` (partitions made on demand by
`chengguan.sensing.partitions`, a default partition catches the rest) with a BRIN index on `at`.
SQLite: one plain table. The primary key (sensor, time) makes a replayed reading a no-op."""

from django.db import migrations

PG = [
    """CREATE TABLE sensing_reading (
        sensor_id bigint NOT NULL,
        at timestamptz NOT NULL,
        value double precision NOT NULL,
        PRIMARY KEY (sensor_id, at)
    ) PARTITION BY RANGE (at)""",
    "CREATE TABLE sensing_reading_default PARTITION OF sensing_reading DEFAULT",
    "CREATE INDEX sensing_reading_at_brin ON sensing_reading USING brin (at)",
]
SQLITE = [
    """CREATE TABLE sensing_reading (
        sensor_id integer NOT NULL,
        at datetime NOT NULL,
        value real NOT NULL,
        PRIMARY KEY (sensor_id, at)
    ) WITHOUT ROWID""",
    "CREATE INDEX sensing_reading_at ON sensing_reading (at)",
]


def create(apps, schema_editor):
    statements = PG if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS sensing_reading")


class Migration(migrations.Migration):
    dependencies = [("sensing", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
