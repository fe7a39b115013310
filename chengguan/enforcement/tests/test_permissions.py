"""Who may act: certified officers in pairs, assistants only assisting, scope by region and department."""

from datetime import date

import pytest
import time_machine
from django.http import Http404

from chengguan.core.errors import PermissionDenied, ValidationError
from chengguan.enforcement.models import EnforcementCase
from chengguan.enforcement.permissions import get_case, visible_cases
from chengguan.enforcement.services import case_register_clue, evidence_add
from chengguan.org.models import Department, OfficerCertificate, Role, RoleAssignment, User

from .conftest import PARTY, at, to_investigating


def test_assistants_may_record_clues_and_attach_material_but_never_act(city, body, items, walk):
    with time_machine.travel(at(2026, 3, 2, 9), tick=False):
        clue = case_register_clue(actor=city["assistant"], region=city.community_a2, department=city.brigade_a,
                                  source="patrol", title="占道经营", **PARTY)
        evidence = evidence_add(actor=city["assistant"], case=clue, kind="audiovisual", description="现场照片")
    assert clue.events.get(act="register_clue").actor_role == "assistant" and evidence.case == clue
    for act, data in [
        ("propose_filing", {"co_officer": city["officer"].pk, "opinion": "x"}),
        ("dismiss_clue", {"reason": "x", "resolution": "service"}),
        ("decide_on_the_spot", {"co_officer": city["officer"].pk, "penalty": "warning"}),
    ]:
        walk.case = clue
        with pytest.raises(PermissionDenied) as err:
            walk.do(act, "assistant", at(2026, 3, 2, 10), **data)
        assert "assistants may record clues and assist" in err.value.message
        assert err.value.code == "assistant_not_allowed"
    walk.case = clue
    with pytest.raises(PermissionDenied) as err:
        walk.do("propose_filing", "officer", at(2026, 3, 2, 10), co_officer=city["assistant"].pk, opinion="x")
    assert err.value.field == "co_officer" and "assistant" in err.value.message
    to_investigating(walk)
    with pytest.raises(PermissionDenied), time_machine.travel(at(2026, 3, 4), tick=False):
        evidence_add(actor=city["assistant"], case=walk.case, kind="audiovisual", description="照片")


def test_two_distinct_certified_officers_for_investigation_and_on_the_spot_acts(walk, city):
    with pytest.raises(ValidationError) as err:
        walk.do("propose_filing", "officer", at(2026, 3, 2, 10), co_officer=city["officer"].pk, opinion="x")
    assert "different person" in err.value.message
    with pytest.raises(ValidationError) as err:
        walk.do("decide_on_the_spot", "officer", at(2026, 3, 2, 10), penalty="warning")
    assert err.value.field == "co_officer"
    OfficerCertificate.objects.filter(user=city["officer2"]).update(valid_to=date(2026, 3, 1))
    with pytest.raises(PermissionDenied) as err:
        walk.do("propose_filing", "officer", at(2026, 3, 2, 10), co_officer=walk.co(), opinion="x")
    assert err.value.field == "co_officer" and "certificate" in err.value.message


@pytest.mark.parametrize("change", [{"valid_to": date(2026, 3, 1)}, {"revoked_at": at(2026, 3, 1)},
                                    {"exam_passed_on": None}])
def test_an_expired_revoked_or_unpassed_certificate_blocks_acts_at_once(walk, city, change):
    OfficerCertificate.objects.filter(user=city["officer"]).update(**change)
    with pytest.raises(PermissionDenied) as err:
        walk.do("propose_filing", "officer", at(2026, 3, 2, 10), co_officer=walk.co(), opinion="x")
    assert err.value.field == "actor" and "certificate" in err.value.message and err.value.code == "no_certificate"


def test_roles_keep_to_their_acts(walk, city):
    with pytest.raises(PermissionDenied):
        walk.do("propose_filing", "leader", at(2026, 3, 2, 10), co_officer=walk.co(), opinion="x")
    walk.do("propose_filing", "officer", at(2026, 3, 2, 10), co_officer=walk.co(), opinion="x")
    for who in ("officer", "legal_reviewer", "admin", "outsider", "nobody"):
        with pytest.raises(PermissionDenied):
            walk.do("approve_filing", who, at(2026, 3, 2, 14))


def test_officers_of_another_district_cannot_act_or_see(walk, city):
    other = User.objects.create_user(username="officer_b", password="x")
    RoleAssignment.objects.create(user=other, role=Role.OFFICER, region=city.district_b, department=city.brigade_b)
    OfficerCertificate.objects.create(user=other, number="豫A-77777", issuer="河南省人民政府",
                                      valid_from="2024-01-01", valid_to="2029-12-31", exam_passed_on="2023-01-01")
    city.users["officer_b"] = other
    with pytest.raises(PermissionDenied):
        walk.do("propose_filing", "officer_b", at(2026, 3, 2, 10), co_officer=walk.co(), opinion="x")
    with pytest.raises(Http404):
        get_case(other, walk.case.pk)
    with pytest.raises(PermissionDenied), time_machine.travel(at(2026, 3, 2), tick=False):
        case_register_clue(actor=other, region=city.community_a1, department=city.brigade_a, source="patrol",
                           title="x")


def test_data_scope_of_cases(walk, city):
    case = walk.case
    for who in ("officer", "officer2", "assistant", "legal_reviewer", "leader", "admin"):
        assert get_case(city[who], case.pk) == case, who
    for who in ("outsider", "nobody", "supervisor", "department_handler", "operator"):
        with pytest.raises(Http404):
            get_case(city[who], case.pk)
        assert not visible_cases(city[who]).exists()


def test_a_department_bound_officer_sees_the_cases_of_the_department(walk, city):
    squad = Department.objects.create(code="ZD-A-1", name="一中队", kind="squad", parent=city.brigade_a)
    member = User.objects.create_user(username="squad_officer", password="x")
    RoleAssignment.objects.create(user=member, role=Role.OFFICER, department=city.brigade_a)
    assert get_case(member, walk.case.pk)
    EnforcementCase.objects.filter(pk=walk.case.pk).update(department=squad)
    assert get_case(member, walk.case.pk)
