"""Benchmark: the cost of the evaluation facts per case event.

    python bench/evaluation_events.py [--cases 200]

Creates a throw-away test database (PostgreSQL if `CHENGGUAN_DATABASE_URL` says so, else SQLite) with the test
city and its grids, and walks `--cases` cases through a full life with the real case services (report, accept,
file, dispatch, reply, check_pass, close: 7 events each) three times in the same run:

* baseline — no facts receiver at all (the case actions' own cost);
* before   — the old receiver: after each event commits, lock the case, read all its events and replace all its
             fact rows (`facts_refresh`, in its own transaction);
* now      — the incremental receiver (`case_events_written`, inside the case transaction: the rows the event
             affects, advanced from the event and the case row in memory).

Prints ms per event for each and the facts' share (minus the baseline), then checks the facts of the "now" run
against a rebuild from the events.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chengguan.settings_test")
os.environ.setdefault("CHENGGUAN_TEST_DATABASE_NAME", "bench_evaluation_events")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

TZ = ZoneInfo("Asia/Shanghai")
LIFE = (
    ("accept", "operator", {}),
    ("file", "shift_leader", {}),
    ("dispatch", "dispatcher", {"department": "sanitation"}),
    ("reply", "department_handler", {"reason": "已清理"}),
    ("check_pass", "supervisor", {}),
    ("close", "shift_leader", {}),
)


def build_city():
    from chengguan import conftest
    from chengguan.grids.testing import make_grids

    city = conftest.city.__wrapped__(None)
    make_grids(city)
    return city


def walk(city, n: int, start: datetime) -> tuple[float, int]:
    """Walk n cases through their life; returns (seconds, events)."""
    from chengguan.cases.services import case_act, case_report
    from chengguan.catalog.models import FilingCondition, MatterType

    matter = MatterType.objects.get(code="06010")
    condition = FilingCondition.objects.filter(matter=matter, is_active=True).order_by("pk").first()
    events = 0
    t0 = time.perf_counter()
    for i in range(n):
        at = start + timedelta(minutes=i % 200)
        case = case_report(
            actor=city["supervisor"], source="supervisor", matter=matter, lng=114.3075, lat=34.8075,
            description="路边有暴露垃圾", address="西门大街 12 号", at=at,
        )  # fmt: skip
        events += 1
        for k, (action, by, extra) in enumerate(LIFE):
            params = dict(extra)
            if "department" in params:
                params = {"department_id": getattr(city, params.pop("department")).pk}
            if action == "file":
                params["filing_condition_id"] = condition.pk
            case = case_act(actor=city[by], case=case, action=action, at=at + timedelta(minutes=5 * (k + 1)),
                            **params)  # fmt: skip
            events += 1
    return time.perf_counter() - t0, events


class OldReceiver:
    """The receiver before this change: a full refresh of the case after each event commits."""

    def __call__(self, sender, event, **kwargs):
        from chengguan.evaluation.facts import facts_refresh

        facts_refresh(event.case_id)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, serialize=False, keepdb=False)
    try:
        from chengguan.cases.signals import case_event_recorded, case_events_written
        from chengguan.evaluation.facts import facts_rebuild, on_events_written
        from chengguan.evaluation.models import CaseFact, StepFact

        city = build_city()
        old = OldReceiver()
        print(f"engine: {connection.vendor}; {args.cases} cases x 7 events per run, {args.rounds} rounds")

        def arm(mode):
            case_events_written.disconnect(dispatch_uid="evaluation_facts")
            case_event_recorded.disconnect(dispatch_uid="bench_old_facts")
            if mode == "now":
                case_events_written.connect(on_events_written, dispatch_uid="evaluation_facts")
            elif mode == "before":
                case_event_recorded.connect(old, dispatch_uid="bench_old_facts", weak=False)

        results = {m: [] for m in ("baseline", "before", "now")}
        start = datetime(2026, 3, 10, 9, 0, tzinfo=TZ)
        walk(city, 20, start)  # warm-up: caches, the time limits memo
        for r in range(args.rounds):
            for mode in ("baseline", "before", "now"):
                arm(mode)
                seconds, events = walk(city, args.cases, start + timedelta(days=1 + r))
                results[mode].append(seconds * 1000 / events)
        arm("now")
        base = statistics.median(results["baseline"])
        for mode, values in results.items():
            ms = statistics.median(values)
            extra = "" if mode == "baseline" else f"   facts: {ms - base:6.2f} ms/event"
            print(f"{mode:9s} {ms:6.2f} ms/event  (rounds: {', '.join(f'{v:.2f}' for v in values)}){extra}")
        # the incremental rows equal a rebuild from the events (only the cases of the "now" runs have facts
        # built incrementally; rebuild everything and compare those)
        live = {f["case_id"]: f for f in CaseFact.objects.values()}
        steps = {
            (s["case_id"], s["seq"]): {k: v for k, v in s.items() if k != "id"}
            for s in StepFact.objects.values()
        }
        facts_rebuild()
        rebuilt = {f["case_id"]: f for f in CaseFact.objects.values()}
        rebuilt_steps = {
            (s["case_id"], s["seq"]): {k: v for k, v in s.items() if k != "id"}
            for s in StepFact.objects.values()
        }
        same = all(rebuilt[k] == v for k, v in live.items()) and all(
            rebuilt_steps[k] == v for k, v in steps.items()
        )
        print(
            f"facts maintained live == rebuilt from events: {same} ({len(live)} cases, {len(steps)} step rows)"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
