import threading

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from chengguan.enforcement.audit import audit_append, audit_verify, file_entry
from chengguan.enforcement.models import AuditHead, AuditRecord


def _chain(actor, n=5):
    return [audit_append(actor=actor, subject_type="cases.case", subject_id=i, act="dispatch",
                         payload={"n": i, "amount": "12.50"}) for i in range(1, n + 1)]


def test_it_links_records_and_verifies_an_intact_chain(city, capsys):
    records = _chain(city["operator"])
    assert [r.seq for r in records] == [1, 2, 3, 4, 5]
    assert records[1].prev_hash == records[0].hash and records[0].prev_hash == "0" * 64
    assert audit_verify().ok
    call_command("audit", "verify")
    assert "audit chain intact: 5 records checked" in capsys.readouterr().out


def test_it_finds_an_edited_record(city):
    _chain(city["operator"])
    AuditRecord.objects.filter(seq=3).update(payload={"n": 3, "amount": "1.00"})
    result = audit_verify()
    assert result.problems == ["record #3 was edited: its content no longer matches its hash"]
    with pytest.raises(CommandError, match="audit chain broken"):
        call_command("audit", "verify")


def test_it_finds_an_edit_that_recomputed_the_hash(city):
    from chengguan.enforcement.audit import record_hash

    _chain(city["operator"])
    record = AuditRecord.objects.get(seq=2)
    record.act = "void"
    AuditRecord.objects.filter(seq=2).update(act="void", hash=record_hash(record))
    assert "record #3 does not link to the record before it" in audit_verify().problems


def test_it_finds_a_deleted_record(city):
    _chain(city["operator"])
    AuditRecord.objects.filter(seq=2).delete()
    problems = audit_verify().problems
    assert "record #2 is missing (deleted)" in problems
    assert "record #3 does not link to the record before it" in problems


def test_it_finds_records_deleted_from_the_end(city):
    _chain(city["operator"])
    AuditRecord.objects.filter(seq__gte=4).delete()
    assert any("head names #5" in p for p in audit_verify().problems)


def test_records_cannot_be_changed_through_the_model(city):
    record = _chain(city["operator"], 1)[0]
    record.act = "other"
    with pytest.raises(RuntimeError):
        record.save()
    with pytest.raises(RuntimeError):
        record.delete()


def test_it_rehashes_files_on_request(city, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    path = default_storage.save("evidence/photo.jpg", __import__("io").BytesIO(b"jpeg bytes"))
    import hashlib

    audit_append(actor=city["officer"], subject_type="enforcement.case", subject_id=1, act="add_evidence",
                 files=[file_entry(path, hashlib.sha256(b"jpeg bytes").hexdigest())])
    assert audit_verify(check_files=True).ok
    (tmp_path / path).write_bytes(b"retouched")
    assert "file evidence/photo.jpg was changed" in audit_verify(check_files=True).problems[0]
    (tmp_path / path).unlink()
    assert "is missing" in audit_verify(check_files=True).problems[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_appends_keep_the_chain_linear():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers itself; the row lock matters on PostgreSQL")
    errors = []

    def append(i):
        try:
            for j in range(5):
                audit_append(actor=None, subject_type="t", subject_id=f"{i}-{j}", act="x")
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert AuditRecord.objects.count() == 20 and AuditHead.objects.get(pk=1).seq == 20
    assert audit_verify().ok
