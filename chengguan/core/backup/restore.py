"""Restoring a backup: check the manifest and migrations, stage the media, load every table in one
transaction, move the media into place, verify the audit chain."""

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
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from chengguan.core.mediastore import (
    local_media_root,
    media_storage,
    upload_media,
)

from .common import BATCH, FORMAT, STAGING_PREFIX, BackupError, _applied_migrations, backed_up_models


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
        raise BackupError(
            "not a Chengguan backup: manifest.json is missing or unreadable", field="file"
        ) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"unsupported backup format {manifest.get('format')!r} (expected {FORMAT})", field="file"
        )
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
                raise BackupError(
                    f"media files stored under other names: {', '.join(wrong[:5])}", field="file"
                )
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
            raise BackupError(
                f"media file {rel} is listed but missing from the backup", field="file"
            ) from exc
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
            raise BackupError(
                f"media file {rel} is damaged (SHA-256 differs from the manifest)", field="file"
            )
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
        raise BackupError(
            f"table {label} in the backup is damaged (row count or SHA-256 differs)", field="file"
        )
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
