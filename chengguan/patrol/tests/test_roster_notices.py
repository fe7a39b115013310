"""Roster changes reach the people they move, in their inbox with a link to their shifts; nobody else is told."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from chengguan.cases.models import Notification
from chengguan.grids.models import ResponsibilityGrid
from chengguan.patrol.services.duty import (
    assignment_add,
    assignment_remove,
    leave_request_create,
    leave_request_decide,
    shift_create,
    swap_request_create,
    swap_request_decide,
)

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(datetime(2026, 3, 1, 9, tzinfo=TZ), tick=True):
        yield


@pytest.fixture
def grid(city, staff):
    return ResponsibilityGrid.objects.create(code="LT-01", name="龙亭一号责任网格", region=city.district_a)


def inbox(user):
    return list(Notification.objects.filter(user=user, kind="reminder").values_list("text", "link"))


def test_people_put_on_or_taken_off_a_shift_are_told(city, grid, patterns):
    shift, _ = shift_create(actor=city["shift_leader"], day=MONDAY, pattern=patterns["day"], grid=grid,
                            people=[city["officer"], city["assistant"]])  # fmt: skip
    [(text, link)] = inbox(city["officer"])
    assert "排班变动" in text and "03-02" in text and "龙亭一号责任网格" in text and link == "/patrol/m/"
    assert inbox(city["officer2"]) == [] and inbox(city["outsider"]) == []  # not on the shift
    assignment, _ = assignment_add(actor=city["shift_leader"], shift=shift, user=city["officer2"])
    assert len(inbox(city["officer2"])) == 1  # positive control of the line above
    assignment_remove(actor=city["shift_leader"], assignment=assignment)
    texts = [t for t, _ in inbox(city["officer2"])]
    assert len(texts) == 2 and sum("不再" in t for t in texts) == 1


def test_both_sides_of_an_approved_swap_and_a_decided_leave_are_told(city, grid, patterns):
    shift, _ = shift_create(actor=city["shift_leader"], day=MONDAY, pattern=patterns["day"], grid=grid,
                            people=[city["officer"], city["assistant"]])  # fmt: skip
    mine = shift.assignments.get(user=city["officer"])
    request = swap_request_create(actor=city["officer"], assignment=mine, counterpart=city["officer2"], reason="家中有事")
    swap_request_decide(actor=city["shift_leader"], request=request, approve=True)
    assert any("换班已批准" in t for t, _ in inbox(city["officer"]))
    assert any("排班变动" in t for t, _ in inbox(city["officer2"]))
    leave = leave_request_create(actor=city["officer2"], kind="sick", starts_at=datetime(2026, 3, 2, 0, tzinfo=TZ),
                                 ends_at=datetime(2026, 3, 3, 0, tzinfo=TZ), reason="发烧")  # fmt: skip
    leave_request_decide(actor=city["shift_leader"], request=leave, approve=True)
    assert any("请假已批准" in t and "1 个班次" in t for t, _ in inbox(city["officer2"]))
    assert not any("请假" in t for t, _ in inbox(city["shift_leader"]))
