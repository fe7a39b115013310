"""Benchmark and proof: the exchange bundle round-trips byte-identically at scale.

    python bench/bundle_roundtrip.py [--cases 100000]
    CHENGGUAN_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test python bench/bundle_roundtrip.py

Into a throw-away database with the test city: N synthetic cases with histories (closed, dispatched, awaiting
acceptance, merged duplicates, automatic urges, routed dispatches) are bulk-imported; every 100th gets a photo,
every 50th a hotline work order, every 50th an Open311 submission with a media_url, every 50th a rating and citizen
points, and as many Open311 address-only reports that never became a case (pending or discarded). Then: export the bundle (A) → empty the cases → import A → export
again (B). Prints each phase's time and whether A and B are byte-identical (exit status 1 if not). The evaluation
facts receiver is switched off (facts are not part of the exchange; bench/bulk_import.py measures them).
"""

import argparse
import filecmp
import json
import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengguan.settings_test")
os.environ.setdefault("CHENGGUAN_TEST_DATABASE_NAME", "bench_bundle")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
BOX = (114.3005, 34.8005, 114.3395, 34.8195)


def ev(action, role, at, **extra):
    return {"action": action, "at": at.isoformat(), "actor_role": role, "actor": "", "department": "", "reason": "",
            **extra}  # fmt: skip


def synthetic(n: int, path: Path) -> None:
    rng = random.Random(18)
    start = datetime(2025, 1, 6, 8, 0, tzinfo=TZ)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            at = start + timedelta(minutes=i * 3 + rng.randint(0, 2))
            lng = BOX[0] + rng.random() * (BOX[2] - BOX[0])
            lat = BOX[1] + rng.random() * (BOX[3] - BOX[1])
            kind = i % 10
            events = []
            if kind == 9 and i > 10:  # a duplicate of an earlier case that is still open (kind 8: stays reported)
                target = i - (i % 10) - 2 if (i - (i % 10) - 2) >= 0 else None
                events = [ev("merge", "operator", at + timedelta(minutes=4), target=f"SYN-{target:07d}")]
            elif kind != 8:
                events = [ev("accept", "operator", at + timedelta(minutes=5)),
                          ev("file", "shift_leader", at + timedelta(minutes=9)),
                          ev("dispatch", "dispatcher", at + timedelta(minutes=15), department="SANIT",
                             **({"suggested": True} if kind == 6 else {}))]  # fmt: skip
                if kind == 7:  # left with the department: the sweeper urged it (and set its flag)
                    events.append(ev("urge", "system", at + timedelta(days=3), department="SANIT",
                                     reason="超时自动催办", auto=True))  # fmt: skip
                if kind < 6:
                    events += [ev("reply", "department_handler", at + timedelta(hours=5), department="SANIT",
                                  reason="已处置"),
                               ev("check_pass", "supervisor", at + timedelta(hours=6)),
                               ev("close", "shift_leader", at + timedelta(hours=7))]  # fmt: skip
            record = {"number": f"SYN-{i:07d}", "source": rng.choice(["supervisor", "citizen", "hotline"]),
                      "matter_code": "06010", "lng": lng, "lat": lat, "crs": "gcj02", "address": f"测试路 {i} 号",
                      "description": "路边有暴露垃圾", "reported_at": at.isoformat(), "events": events}  # fmt: skip
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def decorate(n: int) -> None:
    """Photos, hotline work orders and Open311 submissions on some of the cases."""
    import hashlib

    from django.core.files.base import ContentFile

    from chengguan.cases.models import Attachment, Case
    from chengguan.cases.testing import png_bytes
    from chengguan.catalog.models import MatterType
    from chengguan.public.models import HotlineWorkOrder, Open311Submission, PointsEntry, Satisfaction
    from chengguan.public.services.hotline import hotline_system_create, subscriber_create
    from chengguan.public.services.open311 import open311_key_create

    matter = MatterType.objects.get(code="06010")
    system, _ = hotline_system_create(code="12345", name="热线", default_matter=matter)
    subscriber_create(system=system, name="回传", url="https://hotline.example.cn/hook")
    key, _ = open311_key_create(name="client")
    cases = list(Case.objects.order_by("pk").values_list("pk", "number", "created_at", "state"))
    orders, submissions, ratings, points = [], [], [], []
    with transaction.atomic():
        for i, (pk, _number, created, state) in enumerate(cases):
            if i % 100 == 0:
                data = png_bytes(((i // 100) % 256, (i // 25600) % 256, 7))
                a = Attachment(case_id=pk, kind="before", content_type="image/png", size=len(data),
                               sha256=hashlib.sha256(data).hexdigest(), width=8, height=8, uploaded_at=created)  # fmt: skip
                a.file.save(f"{a.sha256}.png", ContentFile(data), save=False)
                a.save()
            if i % 50 == 1:
                orders.append(HotlineWorkOrder(system=system, external_id=f"WO-{i}", case_id=pk, category="LJ",
                                               received_at=created, last_received_at=created))  # fmt: skip
            if i % 50 == 2:
                submissions.append(Open311Submission(key=key, token=f"{i:032x}", status="created", case_id=pk,
                                                     matter=matter, lat=34.81, long=114.31, description="垃圾",
                                                     media_url=f"https://img.example.org/{i}.jpg",
                                                     received_at=created))  # fmt: skip
                submissions.append(Open311Submission(key=key, token=f"p{i:031x}", case_id=None, matter=matter,
                                                     status="pending" if i % 100 == 2 else "discarded",
                                                     address_string=f"测试路 {i} 号", description="垃圾",
                                                     received_at=created,
                                                     discard_reason="" if i % 100 == 2 else "地址无法定位"))  # fmt: skip
            if state == "closed" and i % 50 < 10 and len(ratings) * 50 < len(cases):
                ratings.append(Satisfaction(case_id=pk, score="satisfied", channel="web",
                                            rated_at=created + timedelta(days=1)))  # fmt: skip
                points.append(PointsEntry(case_id=pk, phone=f"139{i:08d}", reason="file", points=10,
                                          at=created + timedelta(minutes=9)))  # fmt: skip
        HotlineWorkOrder.objects.bulk_create(orders, batch_size=1000)
        Open311Submission.objects.bulk_create(submissions, batch_size=1000)
        Satisfaction.objects.bulk_create(ratings, batch_size=1000)
        PointsEntry.objects.bulk_create(points, batch_size=1000)


def empty() -> None:
    from chengguan.cases.models import (
        Attachment,
        Case,
        CaseCounter,
        CaseDepartment,
        CaseEvent,
        ImportCheckpoint,
    )
    from chengguan.public.models import HotlineWorkOrder, Open311Submission, PointsEntry, Satisfaction

    with transaction.atomic():
        for model in (HotlineWorkOrder, Open311Submission, Satisfaction, PointsEntry, Attachment, CaseDepartment,
                      CaseEvent):  # fmt: skip
            model.objects.all()._raw_delete(connection.alias)
        Case.objects.update(merged_into=None)
        Case.objects.all()._raw_delete(connection.alias)
        CaseCounter.objects.all().delete()
        ImportCheckpoint.objects.all().delete()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=5000)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        from chengguan import conftest
        from chengguan.cases.bulk import bulk_import
        from chengguan.cases.bundle import export_bundle, import_bundle
        from chengguan.cases.signals import cases_imported
        from chengguan.grids.testing import make_grids

        city = conftest.city.__wrapped__(None)
        make_grids(city)
        cases_imported.receivers = []
        cases_imported.sender_receivers_cache.clear()
        work = Path(tempfile.mkdtemp())
        synthetic(args.cases, work / "synthetic.jsonl")
        t = time.monotonic()
        seeded = bulk_import(work / "synthetic.jsonl", chunk=args.chunk)
        print(f"database: {connection.vendor}; seeded {seeded['cases']:,} cases, {seeded['events']:,} events "
              f"by bulk import in {time.monotonic() - t:.0f} s ({seeded['cases'] / (time.monotonic() - t):,.0f} cases/s)")  # fmt: skip
        decorate(args.cases)
        t = time.monotonic()
        counts = export_bundle(work / "a")
        exported = time.monotonic() - t
        empty()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        t = time.monotonic()
        result = import_bundle(work / "a", chunk=args.chunk)
        imported = time.monotonic() - t
        t = time.monotonic()
        export_bundle(work / "b")
        again = time.monotonic() - t
        cmp = filecmp.dircmp(work / "a", work / "b")
        same = (not cmp.diff_files and not cmp.left_only and not cmp.right_only
                and all(filecmp.cmp(work / "a" / name, work / "b" / name, shallow=False)
                        for name in ("cases.jsonl", "manifest.json", *counts["files"]))
                and not filecmp.dircmp(work / "a" / "media", work / "b" / "media").diff_files)  # fmt: skip
        size = (work / "a" / "cases.jsonl").stat().st_size
        print(f"export A: {counts['cases']:,} cases, {counts['photos']:,} photos, {size / 1e6:.0f} MB JSON Lines in "
              f"{exported:.0f} s ({counts['cases'] / exported:,.0f} cases/s); other files {counts['files']}")  # fmt: skip
        text = (work / "a" / "cases.jsonl").read_text(encoding="utf-8")
        carried = {what: text.count(key) for what, key in (
            ("automatic urges", '"auto": true'), ("flagged steps", '"overdue_notified": true'),
            ("routed dispatches", '"suggested": true'), ("ratings", '"satisfaction": {'), ("points links", '"points": ['))}  # fmt: skip
        print("  carried:", ", ".join(f"{count:,} {what}" for what, count in carried.items()))
        print(f"import A into the emptied platform: {result['cases']:,} cases in {imported:.0f} s "
              f"({result['cases'] / imported:,.0f} cases/s), {result['rejected']} rejected, other files "
              f"{result.get('files')}")  # fmt: skip
        print(f"export B: {again:.0f} s; A and B byte-identical: {'yes' if same else 'NO'}")
        if not same:
            sys.exit(1)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
