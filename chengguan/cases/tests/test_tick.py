"""The sweeper urges each overdue step once, escalates long-overdue ones once, and is safe to run twice."""

import io
from datetime import timedelta

from django.core.management import call_command

from ..models import CaseEvent, Notification
from ..services.sweeper import sweep
from ..workflow import State


def test_it_urges_an_overdue_step_once_and_tells_the_department(walk, frozen):
    case = walk.to(State.DISPATCHED)  # 3 working days: due Friday 09:00
    on_time = walk.to(State.ACCEPTED)
    walk.act(on_time, "file", "shift_leader", **walk._file())
    frozen.shift(timedelta(days=3, hours=1))  # Friday 10:00
    assert sweep()["urged"] == 2  # the handling step, and the dispatch step left waiting
    event = CaseEvent.objects.get(case=case, action="urge")
    assert (event.actor, event.actor_role, event.from_state, event.to_state) == (
        None,
        "system",
        "dispatched",
        "dispatched",
    )
    assert (
        Notification.objects.filter(user=walk.city["department_handler"], case=case, kind="urge").count() == 1
    )
    case.refresh_from_db()
    assert case.overdue_notified and case.urge_count == 1
    assert sweep() == {"urged": 0, "escalated": 0}  # idempotent
    assert CaseEvent.objects.filter(action="urge").count() == 2


def test_it_escalates_after_twice_the_limit_and_tells_the_leader(walk, frozen):
    case = walk.to(State.DISPATCHED)
    frozen.shift(timedelta(days=4))  # Saturday: over the deadline, not yet 2×
    assert sweep() == {"urged": 1, "escalated": 0}
    frozen.shift(timedelta(days=6))  # the next Friday: 6 working days used of 3
    assert sweep() == {"urged": 0, "escalated": 1}
    event = CaseEvent.objects.get(case=case, action="supervise")
    assert event.actor_role == "system"
    case.refresh_from_db()
    assert case.supervised and case.escalated
    assert Notification.objects.filter(user=walk.city["leader"], kind="supervise").count() == 1
    assert Notification.objects.filter(user=walk.city["dispatcher"], kind="supervise").count() == 1


def test_it_urges_again_after_an_extension_runs_out(walk, frozen):
    case = walk.to(State.DISPATCHED)
    frozen.shift(timedelta(days=3, hours=1))
    sweep()
    walk.act(case, "request_extension", "department_handler", amount=1, unit="working_days", reason="等配件")
    walk.act(case, "approve_extension", "dispatcher")
    assert sweep()["urged"] == 0
    frozen.shift(timedelta(days=4))
    assert sweep()["urged"] == 1
    assert CaseEvent.objects.filter(case=case, action="urge").count() == 2


def test_it_ignores_hung_up_and_closed_cases(walk, frozen):
    walk.to(State.HUNG_UP)
    walk.to(State.CLOSED)
    frozen.shift(timedelta(days=60))
    assert sweep() == {"urged": 0, "escalated": 0}


def test_it_runs_as_the_tick_command(walk, frozen):
    walk.to(State.DISPATCHED)
    frozen.shift(timedelta(days=5))
    out = io.StringIO()
    call_command("tick", stdout=out)
    assert "cases: 1 urged" in out.getvalue()
