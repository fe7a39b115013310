"""Writing a backup: one snapshot of every table, the media files and the manifest."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from chengguan import __version__
from chengguan.core.mediastore import (
    local_media_root,
    media_storage,
    storage_digest,
    storage_files,
)

from .common import (
    BATCH,
    FORMAT,
    _applied_migrations,
    _serialize_fields,
    _sha256_file,
    backed_up_models,
    dumps,
    media_files,
)


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
                files[path.relative_to(media_root).as_posix()] = {
                    "sha256": _sha256_file(path),
                    "size": path.stat().st_size,
                }
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
