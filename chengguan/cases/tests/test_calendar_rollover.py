"""Issue 12: on 2026-12-21 the 2027 holiday arrangement is not known. Deadlines that reach into 2027 are still
computed (fallback rule), flagged provisional on the case, its pages and the API; entering the 2027 notice counts
them again, writes a history row with the old and new deadline, and later events measure against the new one."""

from datetime import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from chengguan.cases.models import CaseEvent
from chengguan.cases.workflow import State
from chengguan.core.calendar_service import enter_arrangement
from chengguan.core.holiday_notice import parse_notice
from chengguan.core.testing import NOTICE_2027, package_knows_up_to_2026  # noqa: F401 - autouse fixture

from ..testing import TZ, Walker


def at(m, d, hh=9, mm=0, y=2026):
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


@pytest.fixture
def walker(city, grids, garbage):
    return Walker(city, garbage)


def test_deadlines_into_an_unpublished_year_are_provisional_and_recomputed_when_it_is_entered(
    walker, city, api_client, login
):
    with time_machine.travel(at(12, 21), tick=False):
        across = walker.to(State.DISPATCHED)
        within = walker.to(State.DISPATCHED)
        walker.act(across, "request_extension", "department_handler", amount=30, unit="working_days", reason="等配件")
        across = walker.act(across, "approve_extension", "dispatcher")
    # Fallback: 2027-01-01 off (元旦, tentative), then Monday–Friday; 5–12 Feb 2027 count as workdays.
    assert across.deadline_provisional and across.deadline.year == 2027
    assert not within.deadline_provisional and within.deadline.year == 2026  # control
    old = across.deadline
    assert old == at(2, 5, y=2027)  # 20 + 30 working days from Mon 21 Dec 09:00 (1 Jan off)
    body = api_client(city["dispatcher"]).get(f"/api/v1/cases/{across.pk}").json()
    assert body["deadline_provisional"] is True
    page = login(city["dispatcher"]).get(f"/cases/{across.pk}/").content.decode()
    assert "暂定" in page

    with time_machine.travel(at(12, 22), tick=False):
        result = enter_arrangement(arrangement=parse_notice(NOTICE_2027.read_text(encoding="utf-8")),
                                   actor=city["admin"])
    across.refresh_from_db()
    within.refresh_from_db()
    # The official 2027 calendar has 5–12 Feb off (春节) and Saturday 20 Feb working: the deadline moves later.
    assert across.deadline == at(2, 15, y=2027) and not across.deadline_provisional
    assert [c["number"] for c in result["changes"]] == [across.number]
    event = CaseEvent.objects.get(case=across, action="recompute_deadline")
    assert event.payload["old_deadline"] == "2027-02-05T09:00:00+08:00"
    assert event.payload["new_deadline"] == "2027-02-15T09:00:00+08:00" and event.deadline == across.deadline
    assert "2027" in event.reason and not CaseEvent.objects.filter(case=within, action="recompute_deadline").exists()
    page = login(city["dispatcher"]).get(f"/cases/{across.pk}/").content.decode()
    assert "暂定" not in page and "期限重新计算（节假日安排已录入）" in page and "recompute_deadline" not in page
    from django.apps import apps  # the evaluation app sits above cases; read its facts without importing it

    open_step = apps.get_model("evaluation", "StepFact").objects.get(case=across, step="handle", ended_at__isnull=True)
    assert open_step.deadline == across.deadline  # the evaluation's step fact follows

    # Idempotent: nothing is provisional any more.
    out = StringIO()
    call_command("calendar", "recompute", stdout=out)
    assert out.getvalue().startswith("0 deadlines recomputed")

    # Traffic light and the evaluation's on-time fact follow the recomputed deadline.
    between = old + (across.deadline - old) / 2
    assert across.traffic_light(between) != "red"
    with time_machine.travel(between, tick=False):
        walker.act(across, "reply", "department_handler", reason="已清理")
    reply = CaseEvent.objects.filter(case=across, action="reply").latest("pk")
    assert reply.ended_step_deadline == across.deadline and reply.on_time is True


def test_adding_the_year_by_hand_in_admin_recomputes_too(walker, city, login):
    with time_machine.travel(at(12, 21), tick=False):
        case = walker.to(State.DISPATCHED)
        walker.act(case, "request_extension", "department_handler", amount=30, unit="working_days", reason="等配件")
        case = walker.act(case, "approve_extension", "dispatcher")
    assert case.deadline_provisional and case.deadline == at(2, 5, y=2027)
    client = login(city["admin"])
    for day, note in (("2027-01-01", "元旦"), ("2027-02-05", "春节")):  # an entered year has only its overrides
        client.post("/admin/core/calendarday/add/", {"date": day, "kind": "holiday", "hours": "", "note": note})
    case.refresh_from_db()
    assert case.deadline_provisional and case.deadline == at(2, 5, y=2027)  # a date override alone: no recount
    response = client.post("/admin/core/calendaryear/add/", {"year": "2027", "note": "国办发明电"}, follow=True)
    assert "已重新计算 1 个暂定期限" in response.content.decode()
    case.refresh_from_db()
    assert case.deadline == at(2, 8, y=2027) and not case.deadline_provisional
    assert CaseEvent.objects.filter(case=case, action="recompute_deadline").count() == 1
