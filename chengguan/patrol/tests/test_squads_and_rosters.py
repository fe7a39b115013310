"""Joint squads against their composition template (Haikou 1 : 2 : 2 : 4), rosters, swaps and leave."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.grids.models import ResponsibilityGrid
from chengguan.patrol.models import Body, DutyAssignment, RequestStatus
from chengguan.patrol.selectors.squads import composition_check
from chengguan.patrol.services.duty import (
    assignment_add,
    leave_request_create,
    leave_request_decide,
    roster_copy_week,
    shift_create,
    swap_request_create,
    swap_request_decide,
)
from chengguan.patrol.services.squads import squad_create, squad_member_add, template_save

from .conftest import certify, person

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(datetime(2026, 3, 1, 9, tzinfo=TZ), tick=False):
        yield


@pytest.fixture
def haikou(city, staff):
    """The Haikou template and a joint squad in district A with 1 police, 2 auxiliary, 2 officers, 3 assistants."""
    template = template_save(
        actor=city["leader"],
        code="HK-1224",
        name="公安+城管 联合巡逻分队",
        requirements={"police": 1, "auxiliary_police": 2, "officer": 2, "assistant": 4},
    )
    grid = ResponsibilityGrid.objects.create(code="LT-01", name="龙亭一号责任网格", region=city.district_a)
    squad = squad_create(
        actor=city["leader"],
        code="LT-LH-1",
        name="龙亭联合执法一分队",
        region=city.district_a,
        template=template,
        grids=[grid],
    )
    members = [
        staff["police1"],
        staff["aux1"],
        staff["aux2"],
        city["officer"],
        city["officer2"],
        city["assistant"],
        staff["assistant2"],
        staff["assistant3"],
    ]
    for user in members:
        squad_member_add(
            actor=city["leader"],
            squad=squad,
            user=user,
            joined_on=date(2026, 1, 1),
            is_leader=user == city["officer"],
        )
    return squad, grid


def test_it_warns_when_a_shift_does_not_meet_its_template(city, haikou, patterns):
    squad, grid = haikou
    shift, check = shift_create(
        actor=city["shift_leader"],
        day=MONDAY,
        pattern=patterns["day"],
        grid=grid,
        squad=squad,
        leader=city["officer"],
    )
    assert shift.assignments.count() == 8
    assert check.has_template and not check.ok
    assert check.shortfalls == [("assistant", 4, 3)]
    fourth = person("assistant4", Body.ASSISTANT, city.district_a)
    _assignment, check = assignment_add(actor=city["shift_leader"], shift=shift, user=fourth)
    assert check.ok
    assert dict(check.actual) == {"police": 1, "auxiliary_police": 2, "officer": 2, "assistant": 4}


def test_an_officer_without_a_valid_certificate_does_not_count(city, haikou, patterns):
    squad, grid = haikou
    person("assistant4", Body.ASSISTANT, city.district_a)
    cert = city["officer2"].certificates.get()
    cert.valid_to = MONDAY - timedelta(days=1)
    cert.save()
    shift, check = shift_create(
        actor=city["shift_leader"], day=MONDAY, pattern=patterns["day"], grid=grid, squad=squad
    )
    assert ("uncertified_officer", "officer2") in check.warnings
    assert ("officer", 2, 1) in check.shortfalls
    certify(city["officer2"], date(2030, 1, 1))  # renewed: counts again
    assert ("officer", 2, 1) not in composition_check(shift).shortfalls


def test_assistants_may_not_patrol_without_an_officer(city, staff, patterns):
    grid = ResponsibilityGrid.objects.create(code="LT-02", name="二号网格", region=city.district_a)
    _shift, check = shift_create(
        actor=city["shift_leader"],
        day=MONDAY,
        pattern=patterns["night"],
        grid=grid,
        people=[city["assistant"], staff["assistant2"]],
    )
    assert ("assistants_without_officer", "") in check.warnings
    assert not check.has_template


def test_an_untrained_assistant_cannot_be_put_on_duty(city, staff, patterns):
    grid = ResponsibilityGrid.objects.create(code="LT-02", name="二号网格", region=city.district_a)
    rookie = person("rookie", Body.ASSISTANT, city.district_a, trained=False)
    with pytest.raises(ValidationError) as err:
        shift_create(
            actor=city["shift_leader"], day=MONDAY, pattern=patterns["day"], grid=grid, people=[rookie]
        )
    assert err.value.field == "people" and "rookie" in err.value.message
    assert not DutyAssignment.objects.exists()  # nothing half-written


def test_shifts_run_around_the_clock_and_nobody_is_double_booked(city, staff, patterns):
    grid = ResponsibilityGrid.objects.create(code="LT-02", name="二号网格", region=city.district_a)
    other = ResponsibilityGrid.objects.create(code="LT-03", name="三号网格", region=city.district_a)
    night, _ = shift_create(
        actor=city["shift_leader"], day=MONDAY, pattern=patterns["night"], grid=grid, people=[city["officer"]]
    )
    assert night.starts_at == datetime(2026, 3, 2, 23, tzinfo=TZ)
    assert night.ends_at == datetime(2026, 3, 3, 7, tzinfo=TZ)
    with pytest.raises(Conflict):
        shift_create(
            actor=city["shift_leader"],
            day=MONDAY,
            pattern=patterns["night"],
            grid=other,
            people=[city["officer"]],
        )
    with pytest.raises(Conflict):  # the same shift of the same grid twice
        shift_create(actor=city["shift_leader"], day=MONDAY, pattern=patterns["night"], grid=grid, people=[])


def test_only_roster_managers_of_the_region_make_shifts(city, staff, patterns):
    grid = ResponsibilityGrid.objects.create(code="LT-02", name="二号网格", region=city.district_a)
    for actor in (city["outsider"], city["officer"], city["assistant"], city["nobody"]):
        with pytest.raises(PermissionDenied):
            shift_create(actor=actor, day=MONDAY, pattern=patterns["day"], grid=grid, people=[])


def test_a_swap_changes_hands_only_when_approved(city, haikou, patterns):
    squad, grid = haikou
    shift, _ = shift_create(
        actor=city["shift_leader"],
        day=MONDAY,
        pattern=patterns["day"],
        grid=grid,
        people=[city["officer"], city["assistant"]],
    )
    mine = shift.assignments.get(user=city["officer"])
    request = swap_request_create(
        actor=city["officer"], assignment=mine, counterpart=city["officer2"], reason="家中有事"
    )
    with pytest.raises(PermissionDenied):
        swap_request_create(actor=city["officer2"], assignment=mine, counterpart=city["officer2"], reason="x")
    with pytest.raises(PermissionDenied):  # not your own request
        swap_request_decide(actor=city["officer"], request=request, approve=True)
    with pytest.raises(PermissionDenied):
        swap_request_decide(actor=city["outsider"], request=request, approve=True)
    mine.refresh_from_db()
    assert mine.user == city["officer"]
    request, checks = swap_request_decide(actor=city["shift_leader"], request=request, approve=True)
    assert request.status == RequestStatus.APPROVED
    mine.refresh_from_db()
    assert mine.user == city["officer2"] and mine.body == Body.OFFICER
    assert checks[0].ok
    with pytest.raises(Conflict):
        swap_request_decide(actor=city["shift_leader"], request=request, approve=False)


def test_an_exchange_of_shifts_swaps_both_and_a_squad_leader_may_approve(city, haikou, patterns):
    squad, grid = haikou
    day, _ = shift_create(
        actor=city["shift_leader"],
        day=MONDAY,
        pattern=patterns["day"],
        grid=grid,
        squad=squad,
        people=[city["officer2"], city["assistant"]],
    )
    evening, _ = shift_create(
        actor=city["shift_leader"],
        day=MONDAY,
        pattern=patterns["evening"],
        grid=grid,
        squad=squad,
        people=[staff_user(city, "assistant2")],
    )
    given = day.assignments.get(user=city["assistant"])
    taken = evening.assignments.get()
    request = swap_request_create(
        actor=city["assistant"],
        assignment=given,
        counterpart=taken.user,
        counterpart_assignment=taken,
        reason="调休",
    )
    with pytest.raises(PermissionDenied):  # a plain squad member
        swap_request_decide(actor=city["officer2"], request=request, approve=True)
    swap_request_decide(actor=city["officer"], request=request, approve=True)  # the squad's leader
    given.refresh_from_db()
    taken.refresh_from_db()
    assert (given.user.username, taken.user.username) == ("assistant2", "assistant")


def staff_user(city, username):
    from chengguan.org.models import User

    return User.objects.get(username=username)


def test_approved_leave_takes_people_off_their_shifts_and_shows_the_gap(city, haikou, patterns):
    squad, grid = haikou
    squad_member_add(
        actor=city["leader"],
        squad=squad,
        user=person("assistant4", Body.ASSISTANT, city.district_a),
        joined_on=MONDAY,
    )
    shift, check = shift_create(
        actor=city["shift_leader"], day=MONDAY, pattern=patterns["day"], grid=grid, squad=squad
    )
    assert check.ok
    leave = leave_request_create(
        actor=city["officer2"],
        kind="sick",
        starts_at=datetime(2026, 3, 2, 0, tzinfo=TZ),
        ends_at=datetime(2026, 3, 3, 0, tzinfo=TZ),
        reason="发烧",
    )
    with pytest.raises(PermissionDenied):
        leave_request_decide(actor=city["officer2"], request=leave, approve=True)
    with pytest.raises(PermissionDenied):
        leave_request_decide(actor=city["outsider"], request=leave, approve=True)
    leave, affected = leave_request_decide(actor=city["shift_leader"], request=leave, approve=True)
    assert [(s, c.shortfalls) for s, c in affected] == [(shift, [("officer", 2, 1)])]
    assert shift.assignments.get(user=city["officer2"]).status == DutyAssignment.Status.ON_LEAVE
    with pytest.raises(Conflict):  # on leave: cannot be put back on duty in the period
        shift_create(
            actor=city["shift_leader"],
            day=MONDAY,
            pattern=patterns["evening"],
            grid=grid,
            people=[city["officer2"]],
        )


def test_a_week_is_copied_forward_without_people_who_cannot_serve(city, haikou, patterns):
    squad, grid = haikou
    for offset in range(7):
        shift_create(
            actor=city["shift_leader"],
            day=MONDAY + timedelta(days=offset),
            pattern=patterns["day"],
            grid=grid,
            people=[city["officer"], city["assistant"]],
            leader=city["officer"],
        )
    profile = city["assistant"].staff_profile
    profile.left_on = MONDAY + timedelta(days=8)
    profile.save()
    created = roster_copy_week(
        actor=city["shift_leader"], region=city.district_a, from_day=MONDAY, to_day=MONDAY + timedelta(days=7)
    )
    assert len(created) == 7
    assert [s.assignments.count() for s in created] == [2, 1, 1, 1, 1, 1, 1]  # the assistant left on day 8
    assert all(s.leader == city["officer"] for s in created)
    assert (
        roster_copy_week(
            actor=city["shift_leader"],
            region=city.district_a,
            from_day=MONDAY,
            to_day=MONDAY + timedelta(days=7),
        )
        == []
    )  # idempotent
    with pytest.raises(PermissionDenied):
        roster_copy_week(
            actor=city["outsider"],
            region=city.district_a,
            from_day=MONDAY,
            to_day=MONDAY + timedelta(days=14),
        )


def test_an_assistant_cannot_lead_a_squad_or_a_shift(city, haikou, patterns):
    squad, grid = haikou
    with pytest.raises(ValidationError):
        squad_member_add(
            actor=city["leader"],
            squad=squad,
            user=person("a5", Body.ASSISTANT, city.district_a),
            joined_on=MONDAY,
            is_leader=True,
        )
    with pytest.raises(ValidationError):
        shift_create(
            actor=city["shift_leader"],
            day=MONDAY,
            pattern=patterns["day"],
            grid=grid,
            people=[city["officer"], city["assistant"]],
            leader=city["assistant"],
        )


def test_a_template_needs_valid_bodies_and_counts(city):
    with pytest.raises(ValidationError):
        template_save(actor=city["leader"], code="X", name="x", requirements={"wizard": 1})
    with pytest.raises(ValidationError):
        template_save(actor=city["leader"], code="X", name="x", requirements={"police": 0})
    with pytest.raises(PermissionDenied):
        template_save(actor=city["officer"], code="X", name="x", requirements={"police": 1})
    t = template_save(actor=city["leader"], code="X", name="x", requirements={"police": 1, "officer": 2})
    t = template_save(actor=city["leader"], code="X", name="y", requirements={"officer": 3})
    assert t.required() == {"officer": 3}
