"""Steps carry stored deadlines from the catalogue's limits; each event says whether the step it ended was on
time; extensions, hang-ups and rework behave as the department and dispatcher expect."""

from datetime import datetime, timedelta

from ..models import CaseEvent
from ..signals import case_event_recorded
from ..workflow import State
from .conftest import TZ


def test_it_times_each_step_and_marks_late_ones(walk, frozen):
    case = walk.new()
    frozen.shift(timedelta(minutes=20))
    case = walk.act(case, "accept", "operator")  # 20 of 30 minutes: on time
    frozen.shift(timedelta(minutes=45))
    case = walk.act(case, "file", "shift_leader", **walk._file())  # 45 of 30 minutes: late
    accept, file = CaseEvent.objects.filter(case=case, action__in=["accept", "file"]).order_by("at")
    assert (accept.ended_step, accept.on_time) == ("accept", True)
    assert (file.ended_step, file.on_time) == ("file", False)
    assert file.step == "dispatch" and file.deadline == case.deadline
    assert case.deadline == datetime(2026, 3, 10, 10, 35, tzinfo=TZ)  # 10:05 + 30 working minutes


def test_it_gives_the_handling_step_the_limit_of_severity_and_area_class(walk):
    case = walk.to(State.FILED)
    case = walk.act(case, "dispatch", "dispatcher", department_id=walk.city.sanitation.pk)
    assert case.step == "handle"
    assert (case.limit_amount, case.limit_unit) == (3.0, "working_days")  # normal × area class B
    assert case.deadline == datetime(2026, 3, 13, 9, 0, tzinfo=TZ)
    assert case.escalate_at > case.deadline


def test_it_moves_the_deadline_when_an_extension_is_approved(walk):
    case = walk.to(State.DISPATCHED)
    before = case.deadline
    walk.act(case, "request_extension", "department_handler", amount=1, unit="working_days", reason="等配件")
    case = walk.act(case, "approve_extension", "dispatcher")
    assert case.deadline == datetime(2026, 3, 16, 9, 0, tzinfo=TZ) and case.deadline > before
    assert case.extension_count == 1
    event = CaseEvent.objects.filter(case=case).latest("pk")
    assert event.payload["amount"] == 1 and event.deadline == case.deadline and event.ended_step == ""


def test_it_stops_the_clock_while_hung_up_and_restarts_it_on_resume(walk, frozen):
    case = walk.to(State.DISPATCHED)
    walk.act(case, "request_hang_up", "department_handler", reason="需立项")
    case = walk.act(case, "hang_up", "dispatcher")
    assert case.deadline is None and case.step == "" and case.hang_up_count == 1
    frozen.shift(timedelta(days=30))
    case = walk.act(case, "resume", "dispatcher")
    assert case.step == "handle" and case.step_started_at == datetime(2026, 4, 9, 9, 0, tzinfo=TZ)


def test_it_sends_a_failed_check_back_to_the_same_department_as_rework(walk):
    case = walk.to(State.CHECKING)
    assert case.assignee == walk.city["supervisor"]
    case = walk.act(case, "check_fail", "supervisor", reason="垃圾未清完")
    assert case.state == State.DISPATCHED and case.current_department == walk.city.sanitation
    assert case.rework_count == 1 and case.step == "handle"
    assert CaseEvent.objects.filter(case=case).latest("pk").payload["rework"] == 1


def test_it_signals_each_event_after_commit(walk, django_capture_on_commit_callbacks):
    received = []

    def listener(sender, event, **kwargs):
        received.append(event.action)

    case_event_recorded.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            case = walk.new()
            walk.act(case, "accept", "operator")
    finally:
        case_event_recorded.disconnect(listener)
    assert received == ["report", "accept"]


def test_it_closes_and_tells_the_citizen_and_the_merged_reporters(walk, django_capture_on_commit_callbacks):
    from ..models import Notification

    citizen = walk.new(by=None, source="citizen", reporter_phone="13900001111")
    target = walk.to(State.ACCEPTED, by="supervisor")
    walk.act(citizen, "merge", "operator", target_id=target.pk)
    target = walk.act(target, "file", "shift_leader", **walk._file())
    target = walk.act(target, "dispatch", "dispatcher", department_id=walk.city.sanitation.pk)
    target = walk.act(target, "reply", "department_handler", reason="已清理")
    target = walk.act(target, "check_pass", "supervisor")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        target = walk.act(target, "close", "shift_leader")
    assert target.state == State.CLOSED and target.closed_at is not None
    assert Notification.objects.filter(user=walk.city["supervisor"], kind="closed", case=target).exists()
    assert callbacks  # the channel copies (the citizen's SMS) go out after commit
