"""Assistants' work permits (unique numbers, issue/revoke, the enforcement rule) and rotation due alerts."""

from datetime import date

import pytest
import time_machine
from django.test import Client

from chengguan.cases.models import Notification
from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.enforcement.services import case_register_clue
from chengguan.enforcement.tests.conftest import at
from chengguan.org.models import Role, RoleAssignment, User
from chengguan.oversight.models import AssistantPermit
from chengguan.oversight.permits import assistants_without_permit, permit_issue, permit_revoke
from chengguan.oversight.rotation import rotation_due, run
from chengguan.patrol.models import RotationRecord, StaffProfile


@pytest.fixture
def newcomer(city):
    user = User.objects.create_user(username="assistant2", password="pw", full_name="新协管员")
    RoleAssignment.objects.create(user=user, role=Role.ASSISTANT, region=city.district_a, department=city.brigade_a)
    return user


def test_permits_are_numbered_uniquely_and_decide_whether_an_assistant_may_act(city, body, newcomer):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        assert newcomer in [a.user for a in assistants_without_permit(city["leader"], date(2026, 3, 2))]
        with pytest.raises(PermissionDenied) as err:
            case_register_clue(actor=newcomer, region=city.community_a1, department=city.brigade_a,
                               source="patrol", title="占道经营")
        assert err.value.code == "no_work_permit"
        with pytest.raises(PermissionDenied):
            permit_issue(actor=city["outsider"], user=newcomer, region=city.district_a,
                         valid_from=date(2026, 3, 1), valid_to=date(2027, 2, 28))
        with pytest.raises(ValidationError):  # permits are for assistants
            permit_issue(actor=city["leader"], user=city["officer"], region=city.district_a,
                         valid_from=date(2026, 3, 1), valid_to=date(2027, 2, 28))
        permit = permit_issue(actor=city["leader"], user=newcomer, region=city.community_a1,
                              valid_from=date(2026, 3, 1), valid_to=date(2027, 2, 28))
        assert permit.number == "XG410202-2026-0001"  # the district's code, the year, a sequence
        with pytest.raises(Conflict):
            permit_issue(actor=city["leader"], user=newcomer, region=city.district_a,
                         valid_from=date(2026, 6, 1), valid_to=date(2027, 5, 31))
        other = User.objects.create_user(username="assistant3", password="pw")
        RoleAssignment.objects.create(user=other, role=Role.ASSISTANT, region=city.district_a)
        assert permit_issue(actor=city["leader"], user=other, region=city.district_a, valid_from=date(2026, 3, 1),
                            valid_to=date(2026, 12, 31)).number == "XG410202-2026-0002"
        clue = case_register_clue(actor=newcomer, region=city.community_a1, department=city.brigade_a,
                                  source="patrol", title="占道经营")
        assert clue.registered_by == newcomer
        permit_revoke(actor=city["leader"], permit=permit, reason="离职")
        with pytest.raises(PermissionDenied):
            case_register_clue(actor=newcomer, region=city.community_a1, department=city.brigade_a,
                               source="patrol", title="占道经营")
    with time_machine.travel(at(2027, 1, 5, 9), tick=False), pytest.raises(PermissionDenied):  # expired
        case_register_clue(actor=other, region=city.community_a1, department=city.brigade_a, source="patrol",
                           title="占道经营")
    assert AssistantPermit.objects.count() == 3  # the fixture's assistant holds one


def test_permit_pages(city, newcomer):
    leader, outsider = Client(), Client()
    leader.force_login(city["leader"])
    outsider.force_login(city["outsider"])
    page = leader.get("/oversight/permits/").content.decode()
    assert "新协管员" in page and "XG410202-2024-0001" in page
    assert outsider.get("/oversight/permits/").status_code == 403
    response = leader.post("/oversight/permits/action/", {"do": "issue", "user": newcomer.pk,
                                                          "region": city.district_a.pk, "valid_from": "2026-01-01",
                                                          "valid_to": "2026-12-31"})
    assert response.status_code == 302 and AssistantPermit.objects.filter(user=newcomer).exists()
    assert outsider.post("/oversight/permits/action/", {"do": "issue"}).status_code == 403


def test_rotation_falls_due_after_five_years_in_post_and_is_reminded_once(city):
    def profile(user, hired):
        return StaffProfile.objects.create(user=user, body="officer", region=city.district_a, hired_on=hired)

    old = profile(city["officer"], date(2020, 5, 1))
    rotated = profile(city["officer2"], date(2015, 1, 1))
    RotationRecord.objects.create(user=city["officer2"], effective_on=date(2024, 1, 1), to_region=city.district_a)
    due = rotation_due(StaffProfile.objects.all(), date(2026, 3, 10))
    assert [r.profile for r in due] == [old] and due[0].due_on == date(2025, 5, 1) and due[0].overdue
    assert rotated not in [r.profile for r in due]  # rotated in 2024 (control: hired in 2015)
    now = at(2026, 3, 10, 8, 30)
    assert run(now=now) == 2  # the leader and the officer
    assert Notification.objects.filter(user=city["leader"], key__startswith="rotation:").count() == 1
    assert not Notification.objects.filter(user=city["outsider"]).exists()
    assert run(now=now) == 0
    leader = Client()
    leader.force_login(city["leader"])
    assert "officer" in leader.get("/oversight/rotation/").content.decode()
