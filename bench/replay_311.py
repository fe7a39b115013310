"""Benchmark: replay real 311 histories (San Francisco, Los Angeles) through the case exchange importer.

    python bench/replay_311.py [--limit N]
    python bench/replay_311.py --for demo --write 311.jsonl   # a file the demo city imports:
    chengguan cases import 311.jsonl --on-error skip

The samples in `bench/data/` (10,000 rows each, copied from the public open-data portals) are converted to the
case exchange format (docs/case-exchange.md explains the category mapping, the coordinate placement and the
history derived from each row's status and timestamps), then replayed by `chengguan.cases.exchange
.import_cases` — the same services, deadlines and event rows as a live case — into a throw-away database
(SQLite in memory by default; PostgreSQL with CHENGGUAN_DATABASE_URL=postgresql://…).

Printed per city: rows converted/s, cases/s and events/s replayed, beside a baseline measured in the same run:
`bulk_create` of the same number of bare case rows (no history, no rules) — the storage floor.
"""

import argparse
import csv
import hashlib
import json
import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengguan.settings_test")
os.environ.setdefault("CHENGGUAN_TEST_DATABASE_NAME", "bench_replay")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

# Where the replayed cases land and who handles them, per target city: the test city's grids (district A and
# B) for the benchmark, or the demo city of Kaifeng (the centre, inside its unit grids) for a file to import.
TARGETS = {
    "test": (
        (114.3005, 34.8005, 114.3395, 34.8195),
        {"01": "ROADS", "04": "ROADS", "06": "SANIT", "09": "SANIT"},
    ),
    "demo": (
        (114.31, 34.77, 114.39, 34.81),
        {"01": "KF-ROADS", "04": "KF-GREEN", "06": "KF-SANIT", "09": "KF-SANIT"},
    ),
}
TARGET, DEPARTMENT = TARGETS["test"]
# San Francisco's open data writes local (Pacific) wall-clock times with a "+00:00" label: the label is wrong,
# the clock is local (requests peak 08:00–17:00 as written). Both samples are read as Pacific time.
UTC, LA_TZ = ZoneInfo("UTC"), ZoneInfo("America/Los_Angeles")

# (category, complaint type) or request type → GB/T 47678.5-2026 matter code; unmapped rows are skipped
# (a 数字城管 platform takes problems in public space, not e.g. transit feedback or tax questions).
SF_MATTERS = {
    ("Sewer Issues", "Flooding"): "01004",  # 雨水箅子异常 (blocked storm drain)
    ("Sewer Issues", "Odor"): "01004",
    ("Sewer Issues", "other"): "01002",  # 污水井盖异常
    ("311 External Request", "Graffiti"): "06004",  # 建筑物外立面污损
    ("311 External Request", "Garbage"): "06010",  # 暴露垃圾
    ("311 External Request", "Trees"): "04002",  # 行道树异常
    ("Noise Report", "traffic"): "06028",  # 噪声扰民
    ("Noise Report", "sirens"): "06028",
    ("Noise Report", "other"): "06028",
    ("Street Defects", "other"): "06013",  # 道路破损
    ("General Request - PUBLIC WORKS", "other"): "06012",  # 道路不洁
}
LA_MATTERS = {
    "Bulky Items": "06035",  # 废弃家具设备
    "Metal/Household Appliances": "06035",
    "Electronic Waste": "06035",
    "Graffiti Removal": "06004",  # 建筑物外立面污损
    "Illegal Dumping Pickup": "06011",  # 积存垃圾渣土
    "Homeless Encampment": "09003",  # 流浪乞讨
    "Dead Animal Removal": "06037",  # 动物尸体
    "Other": "06036",  # 乱堆杂物
    "Single Streetlight Issue": "01037",  # 路灯异常
    "Multiple Streetlight Issue": "01037",
    "Report Water Waste": "06030",  # 乱倒乱排污水、废水
}
SF_SOURCES = {"Phone": "hotline", "Integrated Agency": "department", "Other Department": "department"}
LA_SOURCES = {
    "Call": "hotline",
    "Driver Self Report": "department",
    "Council's Office": "leader",
    "Letter": "leader",
}


def place(row_id: str, lng, lat, bbox) -> tuple[float, float]:
    """The source city's box mapped linearly onto the target box; rows without a position get a stable
    pseudo-random point from their id."""
    x0, y0, x1, y1 = TARGET
    try:
        lng, lat = float(lng), float(lat)
    except (TypeError, ValueError):
        lng = lat = 0.0
    bx0, by0, bx1, by1 = bbox
    if bx0 <= lng <= bx1 and by0 <= lat <= by1:
        fx, fy = (lng - bx0) / (bx1 - bx0), (lat - by0) / (by1 - by0)
    else:
        digest = hashlib.sha256(row_id.encode()).digest()
        fx, fy = digest[0] / 255, digest[1] / 255
    return round(x0 + fx * (x1 - x0), 7), round(y0 + fy * (y1 - y0), 7)


def history(created: datetime, closed: datetime | None, status: str, matter: str) -> list[dict]:
    """A plausible event list from what a 311 row records: intake, then handling until its close time. The
    close lands exactly on the row's close time; a row closed within minutes gets its intake steps squeezed
    into the first half of that span instead of pushing the close past it."""
    department = DEPARTMENT.get(matter[:2], "SANIT")
    t = created
    intake = [2, 3, 5]  # accept, file, dispatch: minutes after the previous step
    if closed is not None:
        total = max((closed - created).total_seconds() / 60, 0)
        if total < 2 * sum(intake):
            intake = [m * (total / 2) / sum(intake) for m in intake]

    def ev(action, role, minutes, **extra):
        nonlocal t
        t = t + timedelta(minutes=minutes)
        return {"action": action, "at": t.isoformat(), "actor_role": role, "actor": "", "department": "", "reason": "",
                **extra}  # fmt: skip

    if status == "Cancelled":
        return [ev("reject", "operator", 5, reason="cancelled by the requester")]
    events = [
        ev("accept", "operator", intake[0]),
        ev("file", "shift_leader", intake[1]),
        ev("dispatch", "dispatcher", intake[2], department=department),
    ]
    if status == "Referred Out":
        events.append(ev("return", "department_handler", 60, reason="referred out"))
    elif status == "Closed" and closed is not None:
        span = max((closed - t).total_seconds() / 60, 0)
        events.append(ev("reply", "department_handler", span * 0.8, reason="done"))
        events.append(ev("check_pass", "supervisor", span * 0.15))
        events.append({**ev("close", "shift_leader", 0), "at": max(closed, t).isoformat()})
    return events


def record(number, source, matter, lng, lat, created, description, address, events) -> dict:
    return {
        "number": number, "source": source, "matter_code": matter, "lng": lng, "lat": lat, "crs": "gcj02",
        "address": address[:200], "description": description or "311", "reported_at": created.isoformat(),
        "events": events,
    }  # fmt: skip


def convert_sf(path: Path, limit: int | None) -> tuple[list[str], int]:
    lines, skipped = [], 0
    bbox = (-122.52, 37.70, -122.35, 37.84)
    for row in csv.DictReader(path.open(encoding="utf-8")):
        matter = SF_MATTERS.get((row["category"], row["complaint_type"]))
        if matter is None:
            skipped += 1
            continue
        created = _sf_time(row["created_date"])
        closed = _sf_time(row["closed_date"])
        lng, lat = place(row["unique_key"], row["longitude"], row["latitude"], bbox)
        source = SF_SOURCES.get(row["source"], "citizen")
        events = history(created, closed, row["status"], matter)
        text = f"{row['category']}: {row['descriptor']}"
        lines.append(json.dumps(record(f"SF-{row['unique_key']}", source, matter, lng, lat, created, text,
                                       row["incident_address"], events)))  # fmt: skip
        if limit and len(lines) >= limit:
            break
    return lines, skipped


def _sf_time(value: str) -> datetime | None:
    """SF's "2016-07-13 15:11:07+00:00" is 15:11 Pacific time (see above), not UTC."""
    return datetime.fromisoformat(value).replace(tzinfo=LA_TZ) if value else None


def _la_time(value: str) -> datetime | None:
    return datetime.strptime(value, "%m/%d/%y %H:%M").replace(tzinfo=LA_TZ) if value else None


def convert_la(path: Path, limit: int | None) -> tuple[list[str], int]:
    lines, skipped = [], 0
    bbox = (-118.67, 33.70, -118.15, 34.34)
    for row in csv.DictReader(path.open(encoding="utf-8")):
        matter = LA_MATTERS.get(row["requesttype"])
        if matter is None:
            skipped += 1
            continue
        created = _la_time(row["createddate"])
        closed = _la_time(row["closeddate"]) or _la_time(row["updateddate"])
        lng, lat = place(row["srnumber"], row["longitude"], row["latitude"], bbox)
        source = LA_SOURCES.get(row["requestsource"], "citizen")
        events = history(created, closed, row["status"], matter)
        lines.append(json.dumps(record(f"LA-{row['srnumber']}", source, matter, lng, lat, created,
                                       row["requesttype"], row["address"], events)))  # fmt: skip
        if limit and len(lines) >= limit:
            break
    return lines, skipped


def baseline(n: int, city) -> float:
    """bulk_create n bare cases (no rules, no history), rolled back: the storage floor."""
    from chengguan.cases.models import Case
    from chengguan.catalog.models import MatterType
    from chengguan.grids.models import UnitGrid

    ug = UnitGrid.objects.first()
    matter = MatterType.objects.get(code="06010")
    now = datetime.now(UTC)
    rows = [
        Case(
            number=f"BASE-{i}",
            source="citizen",
            matter=matter,
            description="x",
            lng=114.31,
            lat=34.81,
            unit_grid=ug,
            community=city.community_a1,
            street=city.street_a,
            district=city.district_a,
            reported_at=now,
            created_at=now,
        )  # fmt: skip
        for i in range(n)
    ]
    started = time.monotonic()
    with transaction.atomic():
        Case.objects.bulk_create(rows, batch_size=1000)
        took = time.monotonic() - started
        transaction.set_rollback(True)
    return took


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="replay at most N mapped rows per city")
    parser.add_argument("--for", dest="target", choices=sorted(TARGETS), default="test",
                        help="place and route the rows for the test city (benchmark) or the demo city")  # fmt: skip
    parser.add_argument(
        "--write", help="only write the converted rows of both cities to this file, then stop"
    )
    args = parser.parse_args()
    global TARGET, DEPARTMENT
    TARGET, DEPARTMENT = TARGETS[args.target]
    if args.write:
        with open(args.write, "w", encoding="utf-8") as out:
            for path, convert in (
                (DATA / "sf_311_sample.csv", convert_sf),
                (DATA / "la_311_2020-01-01_03.csv", convert_la),
            ):
                lines, skipped = convert(path, args.limit)
                out.writelines(line + "\n" for line in lines)
                print(f"{path.name}: {len(lines):,} rows written, {skipped:,} not urban management (skipped)")
        return
    if args.target != "test":
        parser.error("the benchmark replays into the test city; use --for demo with --write")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False)
    try:
        from chengguan import conftest
        from chengguan.cases.exchange import import_cases
        from chengguan.cases.signals import case_event_recorded, cases_imported
        from chengguan.grids.testing import make_grids

        city = conftest.city.__wrapped__(None)
        make_grids(city)
        # The importer's own cost: other apps' subscribers to `cases_imported` (bulk fact rebuilds) are theirs.
        for signal in (case_event_recorded, cases_imported):
            signal.receivers = []
            signal.sender_receivers_cache.clear()
        print(f"database: {connection.vendor}")
        for name, path, convert in (("San Francisco", DATA / "sf_311_sample.csv", convert_sf),
                                    ("Los Angeles", DATA / "la_311_2020-01-01_03.csv", convert_la)):  # fmt: skip
            started = time.monotonic()
            lines, skipped = convert(path, args.limit)
            converted = time.monotonic() - started
            started = time.monotonic()
            result = import_cases(lines)
            replayed = time.monotonic() - started
            floor = baseline(len(lines), city)
            print(f"{name}: {len(lines) + skipped:,} rows, {skipped:,} not urban management (skipped)")
            print(f"  convert            {len(lines) / converted:10,.0f} rows/s")
            print(f"  replay (import)    {result['cases'] / replayed:10,.1f} cases/s   {result['events'] / replayed:8,.1f} events/s   "
                  f"({result['cases']:,} cases, {result['events']:,} events in {replayed:.1f} s)")  # fmt: skip
            print(
                f"  baseline bulk_create of bare rows {len(lines) / floor:10,.0f} rows/s  (ratio {floor / replayed:.3f})"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
