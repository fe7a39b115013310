"""The set-wise sweeper (`INSERT … SELECT`, one signal per batch, facts in two UPDATEs) writes exactly what the
per-case path writes: events, inbox rows, case rows, fact and step rows (the apps' receivers:
public/tests/test_sweep_receivers.py)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from chengguan.evaluation.models import CaseFact, StepFact

from ..models import Case, CaseEvent, Notification
from ..services.sweeper import sweep
from ..workflow import State

STATES = [State.REPORTED, State.ACCEPTED, State.FILED, State.DISPATCHED, State.CHECKING, State.HUNG_UP]
EVENT_FIELDS = [f.name for f in CaseEvent._meta.concrete_fields if f.name != "id"]
NOTE_FIELDS = ["user_id", "case_id", "kind", "text", "created_at", "read_at", "link", "key"]


def _snapshot(ids, now) -> dict:
    def without_id(rows):
        return [{k: v for k, v in r.items() if k != "id"} for r in rows]

    return {
        # stored as the ORM stores a time (a query for the instant finds them; on SQLite the text sorts)
        "at_now": (
            CaseEvent.objects.filter(at=now).count(),
            Notification.objects.filter(created_at=now).count(),
        ),
        "events": list(
            CaseEvent.objects.filter(case_id__in=ids, actor_role="system")
            .order_by("case_id", "action")
            .values(*EVENT_FIELDS)
        ),  # fmt: skip
        "notes": list(
            Notification.objects.filter(case_id__in=ids).order_by(*NOTE_FIELDS).values(*NOTE_FIELDS)
        ),
        "cases": list(Case.objects.filter(pk__in=ids).order_by("pk").values()),
        "facts": list(CaseFact.objects.filter(case_id__in=ids).order_by("case_id").values()),
        "steps": without_id(StepFact.objects.filter(case_id__in=ids).order_by("case_id", "seq").values()),
    }


def _pass(ids, *, setwise: bool, batch: int = 3) -> tuple[dict, dict]:
    """One sweep on the given path, its rows, then everything rolled back."""
    now = timezone.localtime(timezone.now())  # an aware time in the city's zone (+08:00), as `tick` may pass
    with transaction.atomic():
        result = sweep(now=now, setwise=setwise, batch=batch)
        rows = _snapshot(ids, now)
        transaction.set_rollback(True)
    return result, rows


def _cases(walk, frozen):
    cases = [walk.to(state) for state in STATES for _ in range(2)]
    frozen.shift(timedelta(days=10))  # overdue and past the escalation point
    return [c.pk for c in cases]


def test_the_set_wise_pass_writes_what_the_per_case_pass_writes(walk, frozen):
    ids = _cases(walk, frozen)
    Case.objects.filter(pk=ids[0]).update(
        deadline=Case.objects.get(pk=ids[0]).deadline.replace(microsecond=0)
    )
    Case.objects.filter(pk=ids[1]).update(
        deadline=Case.objects.get(pk=ids[1]).deadline.replace(microsecond=1234)
    )
    per_case_result, per_case = _pass(ids, setwise=False)
    set_wise_result, set_wise = _pass(ids, setwise=True)
    assert set_wise_result == per_case_result
    assert per_case_result["urged"] > 0 and per_case_result["escalated"] > 0  # positive control
    for key in per_case:
        assert per_case[key], key  # the comparison compares something
        assert set_wise[key] == per_case[key], key
    payloads = {e["payload"]["deadline"] for e in set_wise["events"]}
    assert any("." not in p for p in payloads) and any(".001234+00:00" in p for p in payloads), payloads


def test_a_case_without_fact_rows_is_rebuilt_on_both_paths(walk, frozen):
    ids = _cases(walk, frozen)
    CaseFact.objects.filter(case_id=ids[3]).delete()
    StepFact.objects.filter(case_id=ids[3]).delete()
    _result, per_case = _pass(ids, setwise=False)
    _result, set_wise = _pass(ids, setwise=True)
    assert set_wise["facts"] == per_case["facts"]
    assert set_wise["steps"] == per_case["steps"]
    assert any(f["case_id"] == ids[3] and f["urge_count"] == 1 for f in set_wise["facts"])
