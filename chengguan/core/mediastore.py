"""Media through Django's storage API, local disk or S3-compatible object storage alike (used by backup and
restore, which must cover both; see docs/operations.md *Shared media*)."""

import hashlib
from pathlib import Path

from django.conf import settings

STAGING_PREFIX = ".restore-"


def media_storage():
    from django.core.files.storage import default_storage

    return default_storage


def local_media_root() -> Path | None:
    """MEDIA_ROOT when media are on the local disk; None for object storage (CHENGGUAN_MEDIA_STORAGE=s3)."""
    from django.core.files.storage import FileSystemStorage

    return Path(settings.MEDIA_ROOT) if isinstance(media_storage(), FileSystemStorage) else None


def storage_files(storage, prefix: str = "") -> list[str]:
    """Every file name in a storage, recursively, sorted (names relative to the storage's root)."""
    dirs, files = storage.listdir(prefix)
    found = [f"{prefix}{name}" for name in files if name]
    for d in sorted(dirs):
        if d and not d.startswith(STAGING_PREFIX):
            found.extend(storage_files(storage, f"{prefix}{d}/"))
    return sorted(found)


def storage_digest(storage, name: str) -> dict:
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "size": size}


def upload_media(staging: Path, staged: list[str], storage) -> list[str]:
    """Put restored files into the storage under their exact names; returns the names it could not keep."""
    from django.core.files import File

    wrong = []
    for rel in staged:
        if storage.exists(rel):
            storage.delete(rel)
        with open(staging / rel, "rb") as fh:
            saved = storage.save(rel, File(fh, name=rel))
        if saved != rel:
            wrong.append(rel)
    return wrong
