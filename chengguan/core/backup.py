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

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import uuid
import zlib
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from chengguan import __version__
from chengguan.core.errors import DomainError
from chengguan.core.mediastore import (
    local_media_root,
    media_storage,
    storage_digest,
    storage_files,
    upload_media,
)

FORMAT = "chengguan-backup/1"
EXCLUDED = {"sessions.session"}  # sign-ins are not data; restored users sign in again
BATCH = 1000
STAGING_PREFIX = ".restore-"


class BackupError(DomainError):
    code = "backup"


class _Encoder(DjangoJSONEncoder):
    """DjangoJSONEncoder rounds datetimes to milliseconds; keep every digit."""

    def default(self, o):
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def dumps(value) -> str:
    return json.dumps(value, cls=_Encoder, ensure_ascii=False, sort_keys=True)


def backed_up_models() -> list:
    """Every concrete table (auto-created many-to-many tables included), parents before children."""
    models = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped and m._meta.label_lower not in EXCLUDED
    ]
    return _dependency_order(models)


def _dependency_order(models: list) -> list:
    by_label = {m._meta.label_lower: m for m in models}
    deps = {}
    for m in models:
        deps[m] = {
            f.related_model._meta.concrete_model
            for f in m._meta.concrete_fields
            if f.is_relation and f.related_model is not None
        } & set(models) - {m}
    ordered, done = [], set()

    def visit(m, stack):
        if m in done or m in stack:
            return  # cycles are harmless: foreign keys are checked at commit
        for d in sorted(deps[m], key=lambda x: x._meta.label_lower):
            visit(d, stack | {m})
        done.add(m)
        ordered.append(m)

    for label in sorted(by_label):
        visit(by_label[label], set())
    return ordered


def _serialize_fields(model) -> list[str]:
    """Concrete local columns only; many-to-many rows travel in their own through tables."""
    names = []
    for f in model._meta.local_fields:
        if not f.serialize:
            continue
        names.append(f.name if f.remote_field is not None else f.attname)
    return names


def _applied_migrations(alias=DEFAULT_DB_ALIAS) -> list[list[str]]:
    recorder = MigrationRecorder(connections[alias])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(STAGING_PREFIX))
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                found.append(path)
    return found


@dataclass
class BackupResult:
    path: Path
    tables: int = 0
    rows: int = 0
    files: int = 0
    bytes: int = 0


def default_name(now=None) -> str:
    return f"chengguan-backup-{timezone.localtime(now or timezone.now()):%Y%m%d-%H%M%S}.tar.gz"


def create_backup(output: str | Path, *, stdout=None) -> BackupResult:
    as_directory = str(output).endswith(("/", os.sep))
    output = Path(output)
    if output.is_dir() or as_directory:
        output.mkdir(parents=True, exist_ok=True)
        output = output / default_name()
    output.parent.mkdir(parents=True, exist_ok=True)
    result = BackupResult(path=output)
    media_root = local_media_root()
    storage = media_storage()
    with tempfile.TemporaryDirectory(prefix="chengguan-backup-") as tmp:
        tmp = Path(tmp)
        (tmp / "db").mkdir()
        tables = _dump_database(tmp / "db")
        files = {}
        if media_root is not None:
            for path in media_files(media_root):
                files[path.relative_to(media_root).as_posix()] = {"sha256": _sha256_file(path), "size": path.stat().st_size}
        else:  # object storage (S3-compatible): the same manifest, read through the storage API
            for rel in storage_files(storage):
                files[rel] = storage_digest(storage, rel)
        manifest = {
            "format": FORMAT,
            "chengguan_version": __version__,
            "created_at": timezone.now().isoformat(),
            "engine": connections[DEFAULT_DB_ALIAS].vendor,
            "migrations": _applied_migrations(),
            "tables": tables,
            "media": files,
            "audit_head": _audit_head(),
        }
        partial = output.with_name(f".{output.name}.{uuid.uuid4().hex[:8]}.partial")
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                _add_bytes(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1).encode())
                for label in tables:
                    tar.add(tmp / "db" / f"{label}.jsonl", arcname=f"db/{label}.jsonl", recursive=False)
                for rel in files:
                    if media_root is not None:
                        tar.add(media_root / rel, arcname=f"media/{rel}", recursive=False)
                    else:
                        info = tarfile.TarInfo(f"media/{rel}")
                        info.size = files[rel]["size"]
                        info.mtime = int(timezone.now().timestamp())
                        with storage.open(rel, "rb") as fh:
                            tar.addfile(info, fh)
            os.replace(partial, output)  # a crash never leaves a half-written file under the final name
        finally:
            partial.unlink(missing_ok=True)
    result.tables = len(tables)
    result.rows = sum(t["rows"] for t in tables.values())
    result.files = len(files)
    result.bytes = output.stat().st_size
    if stdout:
        stdout.write(
            f"backup written: {output} ({result.tables} tables, {result.rows} rows, {result.files} media files, "
            f"{result.bytes / 1e6:.1f} MB)"
        )
    return result


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _dump_database(directory: Path) -> dict:
    connection = connections[DEFAULT_DB_ALIAS]
    serializer_class = serializers.get_serializer("python")
    tables = {}
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:  # one consistent view of every table while the city keeps working
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        for model in backed_up_models():
            label = model._meta.label_lower
            fields = _serialize_fields(model)
            digest, rows = hashlib.sha256(), 0
            with open(directory / f"{label}.jsonl", "w", encoding="utf-8") as out:
                batch = []
                for obj in model._base_manager.order_by("pk").iterator(chunk_size=2000):
                    batch.append(obj)
                    if len(batch) >= BATCH:
                        rows += _write_batch(out, serializer_class, batch, fields, digest)
                        batch = []
                if batch:
                    rows += _write_batch(out, serializer_class, batch, fields, digest)
            tables[label] = {"rows": rows, "sha256": digest.hexdigest()}
    return tables


def _write_batch(out, serializer_class, batch, fields, digest) -> int:
    for item in serializer_class().serialize(batch, fields=fields):
        line = dumps(item) + "\n"
        digest.update(line.encode("utf-8"))
        out.write(line)
    return len(batch)


def _audit_head() -> dict | None:
    try:
        head_model = apps.get_model("enforcement", "AuditHead")
    except LookupError:
        return None
    head = head_model._base_manager.filter(pk=1).first()
    return {"seq": head.seq, "hash": head.hash} if head else {"seq": 0, "hash": "0" * 64}


# ---------------------------------------------------------------------------------------------- restore


@dataclass
class RestoreResult:
    tables: int = 0
    rows: int = 0
    files: int = 0
    audit_checked: int | None = None
    audit_problems: list = field(default_factory=list)


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember("manifest.json")
        manifest = json.loads(tar.extractfile(member).read())
    except (KeyError, ValueError, AttributeError) as exc:
        raise BackupError("not a Chengguan backup: manifest.json is missing or unreadable", field="file") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unsupported backup format {manifest.get('format')!r} (expected {FORMAT})", field="file")
    return manifest


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and bool(path.parts)


def _target_is_empty() -> bool:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    return not user_model._base_manager.exists()


def restore_backup(path: str | Path, *, replace: bool = False, stdout=None) -> RestoreResult:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no such backup file: {path}", field="file")
    try:
        tar = tarfile.open(path, "r:gz")  # noqa: SIM115 - closed by the `with tar` below
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{path} is not a readable .tar.gz backup: {exc}", field="file") from exc
    try:
        with tar:
            result, staged = _restore_from(tar, replace)
    except (tarfile.TarError, EOFError, zlib.error, ValueError, DeserializationError) as exc:
        raise BackupError(f"the backup is damaged or unreadable: {exc}", field="file") from exc
    result.files = len(staged)
    _verify_audit(result)
    if stdout:
        stdout.write(
            f"restored {result.rows} rows in {result.tables} tables and {result.files} media files from {path}"
        )
        if result.audit_checked is not None:
            state = "intact" if not result.audit_problems else "BROKEN"
            stdout.write(f"audit chain {state}: {result.audit_checked} records checked")
    return result


def _restore_from(tar: tarfile.TarFile, replace: bool):
    manifest = read_manifest(tar)
    _check_migrations(manifest)
    if not replace and not _target_is_empty():
        raise BackupError(
            "the target database already holds users; restore into an empty migrated database, or pass "
            "--replace to erase everything in it first",
            field="database",
        )
    models = {m._meta.label_lower: m for m in backed_up_models()}
    unknown = sorted(set(manifest["tables"]) - set(models))
    if unknown:
        raise BackupError(f"the backup has tables this version does not know: {', '.join(unknown)}")
    media_root = local_media_root()
    if media_root is not None:
        media_root.mkdir(parents=True, exist_ok=True)
        staging = media_root / f"{STAGING_PREFIX}{uuid.uuid4().hex[:12]}"
    else:  # object storage: verify on local disk first, upload after the database commit
        staging = Path(tempfile.mkdtemp(prefix="chengguan-restore-"))
    try:
        staged = _stage_media(tar, manifest, staging)
        result = _load_database(tar, manifest, models)
        if media_root is not None:
            _move_media(staging, staged, media_root)
        else:
            wrong = upload_media(staging, staged, media_storage())
            if wrong:
                raise BackupError(f"media files stored under other names: {', '.join(wrong[:5])}", field="file")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result, staged


def _check_migrations(manifest: dict) -> None:
    here = {tuple(x) for x in _applied_migrations()}
    there = {tuple(x) for x in manifest["migrations"]}
    missing, newer = sorted(there - here), sorted(here - there)
    if missing or newer:
        parts = []
        if missing:
            parts.append("not applied here: " + ", ".join(f"{a}.{n}" for a, n in missing[:8]))
        if newer:
            parts.append("applied here but not in the backup: " + ", ".join(f"{a}.{n}" for a, n in newer[:8]))
        raise BackupError(
            "the database schema differs from the backup's; restore with the same Chengguan version into a database "
            "migrated to the same state, then upgrade (" + "; ".join(parts) + ")",
            field="migrations",
        )


def _stage_media(tar: tarfile.TarFile, manifest: dict, staging: Path) -> list[str]:
    expected = manifest.get("media", {})
    staged = []
    for rel, info in expected.items():
        name = f"media/{rel}"
        if not _safe_member_name(rel):
            raise BackupError(f"unsafe media path in the backup: {rel!r}", field="file")
        try:
            member = tar.getmember(name)
        except KeyError as exc:
            raise BackupError(f"media file {rel} is listed but missing from the backup", field="file") from exc
        if not member.isfile():
            raise BackupError(f"media entry {rel} is not a regular file", field="file")
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with tar.extractfile(member) as src, open(target, "wb") as dst:
            for chunk in iter(lambda src=src: src.read(1 << 20), b""):
                digest.update(chunk)
                dst.write(chunk)
        if digest.hexdigest() != info["sha256"]:
            raise BackupError(f"media file {rel} is damaged (SHA-256 differs from the manifest)", field="file")
        staged.append(rel)
    return staged


def _move_media(staging: Path, staged: list[str], media_root: Path) -> None:
    for rel in staged:
        target = media_root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / rel, target)


def _load_database(tar: tarfile.TarFile, manifest: dict, models: dict) -> RestoreResult:
    connection = connections[DEFAULT_DB_ALIAS]
    result = RestoreResult()
    ordered = [m for m in backed_up_models() if m._meta.label_lower in manifest["tables"]]
    with transaction.atomic():
        tables = [
            m._meta.db_table
            for m in apps.get_models(include_auto_created=True)
            if m._meta.managed and not m._meta.proxy and not m._meta.swapped
        ]
        if connection.vendor == "postgresql":
            # Settle foreign-key checks still pending in this transaction: TRUNCATE refuses to run over them.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        flush = connection.ops.sql_flush(no_style(), tables, reset_sequences=True, allow_cascade=True)
        connection.ops.execute_sql_flush(flush)
        for model in ordered:
            label = model._meta.label_lower
            expected = manifest["tables"][label]
            result.rows += _load_table(tar, model, expected)
            result.tables += 1
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), ordered):
                cursor.execute(sql)
        connection.check_constraints(table_names=[m._meta.db_table for m in ordered])
    return result


def _load_table(tar: tarfile.TarFile, model, expected: dict) -> int:
    label = model._meta.label_lower
    try:
        member = tar.getmember(f"db/{label}.jsonl")
        src = tar.extractfile(member)
    except KeyError as exc:
        raise BackupError(f"table {label} is listed but missing from the backup", field="file") from exc
    digest, rows, batch = hashlib.sha256(), 0, []
    multi_table = bool(model._meta.parents)
    with io.TextIOWrapper(src, encoding="utf-8") as lines:
        for line in lines:
            digest.update(line.encode("utf-8"))
            batch.append(json.loads(line))
            rows += 1
            if len(batch) >= BATCH:
                _insert(model, batch, multi_table)
                batch = []
    if batch:
        _insert(model, batch, multi_table)
    if rows != expected["rows"] or digest.hexdigest() != expected["sha256"]:
        raise BackupError(f"table {label} in the backup is damaged (row count or SHA-256 differs)", field="file")
    return rows


def _insert(model, items: list, multi_table: bool) -> None:
    objects = [d.object for d in serializers.deserialize("python", items, ignorenonexistent=False)]
    if multi_table:
        for obj in objects:  # bulk_create cannot write a child of multi-table inheritance
            obj.save_base(raw=True, force_insert=True)
    else:
        model._base_manager.bulk_create(objects, batch_size=BATCH)


def _verify_audit(result: RestoreResult) -> None:
    if not apps.is_installed("chengguan.enforcement"):
        return
    try:
        from chengguan.enforcement.audit import audit_verify
    except ImportError:
        return
    verified = audit_verify()
    result.audit_checked = verified.checked
    result.audit_problems = list(verified.problems)
