"""Canonical digests of a whole database and a media directory, to compare two instances row by row."""

import hashlib
import json
from pathlib import Path

from django.apps import apps


def _canonical(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value) if not isinstance(value, int | float | bool | type(None) | str | list | dict) else value


def database_digest(exclude=("sessions.session",)) -> dict:
    """{table label: {primary key: SHA-256 of the row's columns}} for every concrete table."""
    out = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.label_lower in exclude or getattr(model, "backup_excluded", False):
            continue
        columns = [f.attname for f in meta.concrete_fields]
        rows = {}
        for values in model._base_manager.order_by("pk").values_list(*columns).iterator(chunk_size=2000):
            record = dict(zip(columns, (_canonical(v) for v in values), strict=True))
            text = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
            rows[str(record[meta.pk.attname])] = hashlib.sha256(text.encode()).hexdigest()
        out[meta.label_lower] = rows
    return out


def media_digest(root) -> dict:
    root = Path(root)
    if not root.exists():
        return {}
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part.startswith(".restore-") for part in p.relative_to(root).parts)
    }


def diff(a: dict, b: dict) -> dict:
    """Per table: rows missing, extra or different between two database digests (empty when equal)."""
    problems = {}
    for table in sorted(set(a) | set(b)):
        x, y = a.get(table, {}), b.get(table, {})
        missing = sorted(set(x) - set(y))
        extra = sorted(set(y) - set(x))
        changed = sorted(k for k in set(x) & set(y) if x[k] != y[k])
        if missing or extra or changed:
            problems[table] = {"missing": missing[:5], "extra": extra[:5], "changed": changed[:5],
                               "count": len(missing) + len(extra) + len(changed)}
    return problems


if __name__ == "__main__":  # `chengguan shell -c` helper: write the digest of the configured database
    import sys

    from django.conf import settings

    Path(sys.argv[1]).write_text(
        json.dumps({"db": database_digest(), "media": media_digest(settings.MEDIA_ROOT)})
    )
