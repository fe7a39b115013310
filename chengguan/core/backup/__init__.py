"""Backup and restore of a whole instance: every table, the media files and (as a table) the audit chain.

A backup is one `.tar.gz`:

    manifest.json              format, version, engine, applied migrations, per-table row count + SHA-256,
                               per-file SHA-256, the audit chain's head
    db/<app_label>.<model>.jsonl   one JSON object per row (Django's python serializer, full-precision
                               datetimes: the audit chain hashes microseconds)
    media/<path>               every file under MEDIA_ROOT

It is portable between SQLite and PostgreSQL. The database is read in one snapshot (a REPEATABLE READ, READ
ONLY transaction on PostgreSQL; SQLite's transaction). A restore goes into a migrated database at exactly the
backup's migrations, in one transaction: it empties the tables, loads every row with its primary key, resets
the id sequences and checks every foreign key; media files are unpacked and verified first and moved into
place only after the database commit. Then the audit chain is verified. See docs/backup.md.
"""

from .common import FORMAT, BackupError, backed_up_models, media_files
from .create import BackupResult, create_backup, default_name
from .restore import RestoreResult, read_manifest, restore_backup

__all__ = [
    "FORMAT",
    "BackupError",
    "BackupResult",
    "RestoreResult",
    "backed_up_models",
    "create_backup",
    "default_name",
    "media_files",
    "read_manifest",
    "restore_backup",
]
