"""The main rule walked by the personas: a meeting's decision becomes a task with an owner; it turns yellow and
the owner is reminded, goes overdue and climbs the red-light ladder (urge → supervise), and a progress report with
evidence closes it, complying with the notice and resolving the problem it fixes."""

from datetime import date, timedelta

import pytest

from chengguan.cases.models import Notification
from chengguan.cases.testing import T0, Upload, png_bytes
from chengguan.core.errors import PermissionDenied, ValidationError
from chengguan.tasks.ladder import sweep, task_light
from chengguan.tasks.models import Problem, Task, TaskNotice
from chengguan.tasks.services import meeting_decide, meeting_record, problem_raise, progress_report

pytestmark = pytest.mark.django_db


def test_it_walks_a_meeting_decision_from_task_to_red_light_to_completion(city, frozen, media):
    leader, handler = city["leader"], city["department_handler"]
    meeting = meeting_record(actor=leader, kind="biweekly", title="深化大联动双周例会（第3次）", held_at=T0,
                             region=city.city, attendees="局领导、环卫处", minutes="研究背街小巷保洁")
    task = meeting_decide(actor=leader, meeting=meeting, title="背街小巷保洁全覆盖",
                          owner_department=city.sanitation, owner_person=handler, working_days=5)
    assert task.kind == Task.Kind.DECISION and task.leader == leader and task.meeting == meeting
    assert task.owner_region == city.city and task.number.startswith("RW2026-")
    # 5 working days from Tuesday 2026-03-10 09:00 ends the following Tuesday, on the working-time calendar
    assert task.deadline.date() == date(2026, 3, 17)
    problem = problem_raise(actor=leader, title="背街小巷垃圾清运不及时", source="meeting", meeting=meeting,
                            department=city.sanitation, task=task)
    assert problem.task == task and problem.status == Problem.Status.OPEN
    assert task_light(task, T0) == "green"

    frozen.move_to(T0 + timedelta(days=6, hours=2))  # Monday 11:00: more than 80 % of the working time used
    assert task_light(task, T0 + timedelta(days=6, hours=2)) == "yellow"
    assert sweep()["warned"] == 2  # the handler and the leading leader
    assert Notification.objects.filter(user=handler, kind="reminder").count() == 1
    assert sweep()["warned"] == 0  # once per deadline

    frozen.move_to(T0 + timedelta(days=8))  # Wednesday: overdue
    out = sweep()
    assert out["urged"] == 1 and out["escalated"] == 0
    task.refresh_from_db()
    assert task.notice_level == "urge" and task_light(task, T0 + timedelta(days=8)) == "red"
    assert Notification.objects.filter(user=handler, text__startswith="催办").exists()
    assert sweep() == {"warned": 0, "urged": 0, "escalated": 0}  # idempotent until the notice is due

    frozen.move_to(T0 + timedelta(days=9, hours=2))  # the urging notice's day to comply has passed
    assert sweep()["escalated"] == 1
    task.refresh_from_db()
    assert task.notice_level == "supervise"
    assert list(task.notices.values_list("level", "status")) == [("supervise", "open"), ("urge", "escalated")]

    progress_report(actor=handler, task=task, percent=60, text="已完成 12 条小巷", files=[Upload(png_bytes())])
    with pytest.raises(ValidationError) as exc:
        progress_report(actor=handler, task=task, percent=90, text="完成", closes=True)
    assert exc.value.field == "percent"
    progress_report(actor=handler, task=task, percent=100, text="全部完成，验收合格", closes=True,
                    files=[Upload(b"%PDF-1.4 report", name="验收单.pdf")])
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.percent == 100 and task_light(task, T0) == ""
    assert task.notices.get(level="supervise").status == TaskNotice.Status.COMPLIED
    problem.refresh_from_db()
    assert problem.status == Problem.Status.RESOLVED
    frozen.move_to(T0 + timedelta(days=30))
    assert sweep()["escalated"] == 0  # a completed task climbs no further


def test_it_refuses_to_complete_a_task_without_evidence(city, frozen, media):
    task = meeting_decide(
        actor=city["leader"], owner_department=city.sanitation, owner_person=city["department_handler"],
        meeting=meeting_record(actor=city["leader"], kind="monthly", title="月度例会", held_at=T0, region=city.city),
        title="公厕改造", due=date(2026, 4, 30))
    with pytest.raises(ValidationError) as exc:
        progress_report(actor=city["department_handler"], task=task, percent=100, text="完成", closes=True)
    assert exc.value.field == "files"
    task.refresh_from_db()
    assert task.status == Task.Status.OPEN and not task.reports.exists()


def test_only_the_owner_unit_and_its_leaders_report_and_an_assistant_reads_only(city, frozen, media):
    task = Task.objects.get(pk=meeting_decide(
        actor=city["leader"], meeting=meeting_record(actor=city["leader"], kind="special", title="专题会",
                                                     held_at=T0, region=city.district_a),
        title="龙亭区占道经营整治", owner_department=city.brigade_a, working_days=10).pk)
    progress_report(actor=city["officer"], task=task, percent=10, text="已摸排")  # staff of the owner unit
    for who in ("assistant", "outsider", "department_handler", "nobody"):
        with pytest.raises(PermissionDenied):
            progress_report(actor=city[who], task=task, percent=20, text="越权")
    assert task.reports.count() == 1


def test_it_sets_tasks_only_for_leaders_of_the_region(city, frozen):
    from chengguan.tasks.services import task_create

    for who in ("dispatcher", "officer", "outsider", "nobody"):
        with pytest.raises(PermissionDenied):
            task_create(actor=city[who], title="x", owner_department=city.brigade_a, working_days=3)
    assert not Task.objects.exists()
    task = task_create(actor=city["leader"], title="执法队伍作风整顿", owner_department=city.brigade_a,
                       working_days=3)
    assert task.owner_region == city.district_a
