"""What backing up and restoring share: the format, the encoder, the models in dependency order, digests."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, time
from pathlib import Path

from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder

from chengguan.core.errors import DomainError

FORMAT = "chengguan-backup/1"
EXCLUDED = {"sessions.session"}  # sign-ins are not data; restored users sign in again
# A model may leave the backup with a class attribute `backup_excluded = True`: a log that the database writes again
# while the rows are restored (evaluation's FactChange: its triggers log the months of the restored facts).
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
        if m._meta.managed
        and not m._meta.proxy
        and not m._meta.swapped
        and m._meta.label_lower not in EXCLUDED
        and not getattr(m, "backup_excluded", False)
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
