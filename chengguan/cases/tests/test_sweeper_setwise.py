"""The sweeper claims and writes set-wise: a pass over many overdue cases costs the same queries as over a few
(claim, fetch, one INSERT of events, of notifications, the facts grouped by change), and the facts it advances
equal a rebuild from the events."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chengguan.evaluation.facts import facts_refresh_cases
from chengguan.evaluation.models import CaseFact, StepFact

from ..models import Case, CaseEvent, Notification
from ..services.sweeper import sweep
from ..workflow import State


def _overdue(walk, n):
    return [walk.to(State.DISPATCHED if i % 2 else State.REPORTED) for i in range(n)]


def _sweep_queries(frozen) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as captured:
        result = sweep()
    return len(captured.captured_queries), result


def test_a_pass_costs_the_same_queries_for_two_cases_as_for_eight(walk, frozen):
    _overdue(walk, 2)
    frozen.shift(timedelta(days=10))  # overdue and past the escalation point
    few, result = _sweep_queries(frozen)
    assert result == {"urged": 2, "escalated": 2}
    _overdue(walk, 8)
    frozen.shift(timedelta(days=20))
    many, result = _sweep_queries(frozen)
    assert result == {"urged": 8, "escalated": 8}  # the first two were handled once already
    assert many == few, (few, many)
    assert CaseEvent.objects.filter(action="urge").count() == 10
    assert Notification.objects.filter(kind="urge").count() >= 10


def test_the_facts_a_pass_advances_equal_a_rebuild(walk, frozen):
    cases = _overdue(walk, 6)
    frozen.shift(timedelta(days=10))  # overdue and past the escalation point
    assert sweep() == {"urged": 6, "escalated": 6}
    ids = [c.pk for c in cases]
    live_cases = list(CaseFact.objects.filter(case_id__in=ids).order_by("case_id").values())
    live_steps = list(StepFact.objects.filter(case_id__in=ids).order_by("case_id", "seq").values())
    CaseFact.objects.filter(case_id__in=ids).delete()
    StepFact.objects.filter(case_id__in=ids).delete()
    facts_refresh_cases(ids)
    assert list(CaseFact.objects.filter(case_id__in=ids).order_by("case_id").values()) == live_cases
    rebuilt = list(StepFact.objects.filter(case_id__in=ids).order_by("case_id", "seq").values())
    strip = lambda rows: [{k: v for k, v in r.items() if k != "id"} for r in rows]  # noqa: E731
    assert strip(rebuilt) == strip(live_steps)
    assert Case.objects.filter(pk__in=ids, supervised=True, urge_count=1).count() == 6


def test_batches_over_equal_deadlines_urge_each_case_once(walk, frozen):
    """The flags are in no index, so each batch goes on after the previous one's (time, id); cases sharing one
    deadline are split over batches without one left out or urged twice."""
    cases = _overdue(walk, 5)
    ids = [c.pk for c in cases]
    first = Case.objects.get(pk=min(ids))
    Case.objects.filter(pk__in=ids).update(deadline=first.deadline, escalate_at=first.escalate_at)
    frozen.shift(timedelta(days=10))
    with CaptureQueriesContext(connection) as captured:
        assert sweep(batch=2) == {"urged": 5, "escalated": 5}
    for action in ("urge", "supervise"):
        swept = CaseEvent.objects.filter(action=action).values_list("case_id", flat=True)
        assert sorted(swept) == sorted(ids)
    assert Case.objects.filter(pk__in=ids, urge_count=1, supervised=True).count() == 5
    if connection.vendor == "postgresql":  # the later claims start after the last claimed (time, id)
        claims = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('UPDATE "cases_case"')]
        assert len(claims) == 10, claims  # 3 batches, an empty claim and the last one from the start, per flag
        assert sum('"id") > (' in sql for sql in claims) == 6
    assert sweep(batch=2) == {"urged": 0, "escalated": 0}
