"""The tamper-evident full-process record (全过程记录).

Any app may append: `audit_append(actor=..., subject_type="cases.case", subject_id=42, act="dispatch",
payload={...}, files=[file_entry(path, sha256)])`. Each record's hash is the SHA-256 of a canonical JSON of
its columns and the previous record's hash; appends lock the single head row, so concurrent appends queue up
and the chain stays linear. `audit_verify()` (the `chengguan audit verify` command) walks the chain and
reports any edited record (its hash no longer matches), any deleted record (a gap in the sequence or a broken
link) and records removed from the end (the head names a later record). Publish the head hash now and then
(it is printed by the command) so that even a rewrite of the whole chain would show.
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from .models import AuditHead, AuditRecord

GENESIS = "0" * 64


def sha256_file(fileobj) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: fileobj.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def file_entry(path: str, sha256: str, name: str = "") -> dict:
    return {"path": path, "sha256": sha256, "name": name or path.rsplit("/", 1)[-1]}


def _plain(value):
    """JSON-only values (Decimal, dates → str) so that what is hashed is exactly what the database returns."""
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def compute_hash(*, seq, at, subject_type, subject_id, act, actor_id, actor_name, payload, files, prev_hash) -> str:
    body = {
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "subject_type": subject_type,
        "subject_id": str(subject_id),
        "act": act,
        "actor_id": actor_id,
        "actor_name": actor_name,
        "payload": payload,
        "files": files,
        "prev_hash": prev_hash,
    }
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_hash(record: AuditRecord) -> str:
    return compute_hash(
        seq=record.seq,
        at=record.at,
        subject_type=record.subject_type,
        subject_id=record.subject_id,
        act=record.act,
        actor_id=record.actor_id,
        actor_name=record.actor_name,
        payload=record.payload,
        files=record.files,
        prev_hash=record.prev_hash,
    )


def audit_append(*, actor, subject_type: str, subject_id, act: str, payload: dict | None = None,
                 files: list[dict] | None = None, at=None) -> AuditRecord:
    """Append one record at the end of the chain (inside the caller's transaction if there is one)."""
    at = at or timezone.now()
    with transaction.atomic():
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        if head is None:
            head = AuditHead.objects.create(pk=1)
        record = AuditRecord(
            seq=head.seq + 1,
            at=at,
            subject_type=subject_type,
            subject_id=str(subject_id),
            act=act,
            actor=actor,
            actor_name=str(actor) if actor else "",
            payload=_plain(payload or {}),
            files=_plain(files or []),
            prev_hash=head.hash,
        )
        record.hash = record_hash(record)
        record.save()
        head.seq, head.hash = record.seq, record.hash
        head.save(update_fields=["seq", "hash"])
    return record


@dataclass
class VerifyResult:
    checked: int = 0
    files_checked: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    problems: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def audit_verify(*, check_files: bool = False) -> VerifyResult:
    result = VerifyResult()
    expected_seq, prev_hash = 1, GENESIS
    for record in AuditRecord.objects.order_by("seq").iterator(chunk_size=2000):
        if record.seq != expected_seq:
            missing = f"#{expected_seq}" if record.seq == expected_seq + 1 else f"#{expected_seq}–#{record.seq - 1}"
            result.problems.append(f"record {missing} is missing (deleted)")
        if record.prev_hash != prev_hash:
            result.problems.append(f"record #{record.seq} does not link to the record before it")
        if record_hash(record) != record.hash:
            result.problems.append(f"record #{record.seq} was edited: its content no longer matches its hash")
        if check_files:
            result.files_checked += _check_files(record, result.problems)
        result.checked += 1
        expected_seq, prev_hash = record.seq + 1, record.hash
    head = AuditHead.objects.filter(pk=1).first()
    result.head_seq, result.head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if result.head_seq != expected_seq - 1 or result.head_hash != prev_hash:
        result.problems.append(
            f"the chain ends at #{expected_seq - 1} but its head names #{result.head_seq}: "
            "records at the end were deleted or the head was altered"
        )
    return result


def _check_files(record: AuditRecord, problems: list) -> int:
    checked = 0
    for entry in record.files:
        path, expected = entry.get("path", ""), entry.get("sha256", "")
        if not path:
            continue
        checked += 1
        if not default_storage.exists(path):
            problems.append(f"record #{record.seq}: file {path} is missing")
            continue
        with default_storage.open(path, "rb") as fh:
            if sha256_file(fh) != expected:
                problems.append(f"record #{record.seq}: file {path} was changed (SHA-256 differs)")
    return checked


def records_for(subject_type: str, subject_id) -> list[AuditRecord]:
    return list(AuditRecord.objects.filter(subject_type=subject_type, subject_id=str(subject_id)).order_by("seq"))
