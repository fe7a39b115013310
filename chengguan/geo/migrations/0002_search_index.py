"""The search index of the gazetteer, in each engine's own kind: an FTS5 table kept by triggers on SQLite,
a GIN index over the tokens as a tsvector on PostgreSQL (see chengguan/geo/search.py)."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE geo_address_fts USING fts5(search, content='geo_address', content_rowid='id', prefix='1 2')",
    "CREATE TRIGGER geo_address_fts_ai AFTER INSERT ON geo_address BEGIN "
    "INSERT INTO geo_address_fts(rowid, search) VALUES (new.id, new.search); END",
    "CREATE TRIGGER geo_address_fts_ad AFTER DELETE ON geo_address BEGIN "
    "INSERT INTO geo_address_fts(geo_address_fts, rowid, search) VALUES ('delete', old.id, old.search); END",
    "CREATE TRIGGER geo_address_fts_au AFTER UPDATE OF search ON geo_address BEGIN "
    "INSERT INTO geo_address_fts(geo_address_fts, rowid, search) VALUES ('delete', old.id, old.search); "
    "INSERT INTO geo_address_fts(rowid, search) VALUES (new.id, new.search); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS geo_address_fts_ai",
    "DROP TRIGGER IF EXISTS geo_address_fts_ad",
    "DROP TRIGGER IF EXISTS geo_address_fts_au",
    "DROP TABLE IF EXISTS geo_address_fts",
]
POSTGRES = [
    "CREATE INDEX geo_address_search_gin ON geo_address "
    "USING gin (array_to_tsvector(string_to_array(search, ' ')))",
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS geo_address_search_gin"]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        )
    ]
