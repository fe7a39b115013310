"""Benchmark: the full-process record (hash chain) — append and verify rates.

    python bench/audit_chain.py [N]

Creates a throw-away test database (migrations included), appends N records (default 5000) through
`audit_append` (row lock on the head, hash, insert, head update) and, as the baseline in the same run, inserts
the same N rows with `bulk_create` and no chaining; then times `audit_verify` over the chain.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengguan.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402


def main(n: int):
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        from chengguan.enforcement.audit import audit_append, audit_verify
        from chengguan.enforcement.models import AuditRecord

        payload = {"case": "汴城管立字〔2026〕第0001号", "from": "notified", "to": "decided", "fine": "5000.00",
                   "reason": "事实清楚，证据确凿"}
        now = timezone.now()
        t0 = time.perf_counter()
        with transaction.atomic():
            AuditRecord.objects.bulk_create(
                AuditRecord(seq=10**9 + i, at=now, subject_type="bench", subject_id=str(i), act="decide",
                            payload=payload, prev_hash="0" * 64, hash=f"{i:064x}")
                for i in range(n)
            )
        base = time.perf_counter() - t0
        AuditRecord.objects.filter(subject_type="bench").delete()

        t0 = time.perf_counter()
        for i in range(n):
            audit_append(actor=None, subject_type="enforcement.case", subject_id=i, act="decide", payload=payload)
        chained = time.perf_counter() - t0

        t0 = time.perf_counter()
        result = audit_verify()
        verify = time.perf_counter() - t0
        assert result.ok and result.checked == n

        print(f"database: {connection.vendor}, records: {n}")
        print(f"baseline: bulk insert without chaining    {n / base:>10.0f} records/s")
        print(f"audit_append (one transaction each)      {n / chained:>10.0f} records/s "
              f"({chained / n * 1e3:.2f} ms per append)")
        print(f"audit_verify                             {n / verify:>10.0f} records/s "
              f"({verify:.2f} s for the chain)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
