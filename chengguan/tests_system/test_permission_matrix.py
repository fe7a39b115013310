"""The permission matrix, proven: every case action and the enforcement acts reachable before an
investigation ends, for every persona, performed against the real services (in a savepoint that is rolled
back), must be allowed exactly when the declared table AND the persona's data scope say so. Admin operations
and exports are called through the site. docs/permissions.md must match tools/permission_matrix.py."""

import importlib.util
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import Client

from chengguan.cases import workflow as case_workflow
from chengguan.core.errors import NotFound, PermissionDenied
from chengguan.enforcement.workflow import ACTS
from chengguan.org.models import OfficerCertificate, Role, RoleAssignment, User

from .figures import add, record

ROOT = Path(__file__).resolve().parents[2]
TZ = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 3, 10, 9, 0, tzinfo=TZ)  # a working Tuesday


def load_generator():
    spec = importlib.util.spec_from_file_location("permission_matrix", ROOT / "tools" / "permission_matrix.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_permissions_document_is_up_to_date():
    generator = load_generator()
    doc = ROOT / "docs" / "permissions.md"
    assert doc.exists() and doc.read_text() == generator.render(), (
        "docs/permissions.md is stale: run `python tools/permission_matrix.py`"
    )


# --- case loop ------------------------------------------------------------------------------------------------

CASE_PERSONAS = (
    "supervisor", "operator", "shift_leader", "dispatcher", "department_handler", "roads_handler", "officer",
    "assistant", "legal_reviewer", "leader", "admin", "outsider", "nobody",
)
# Data scope of each persona for a case in district A dispatched to sanitation (conftest's city): who is out.
OUT_OF_SCOPE = {"roads_handler": "handles roads, the case is with sanitation", "outsider": "other district"}


def expected_case(persona: str, user, roles: frozenset) -> bool:
    if persona == "admin":
        return True  # the superuser may act as any role
    if persona in OUT_OF_SCOPE:
        return False
    return bool(user.role_names() & roles)


@pytest.fixture
def walk(city):
    from chengguan.cases.testing import Walker
    from chengguan.catalog.models import MatterType
    from chengguan.grids.testing import make_grids

    make_grids(city)
    with time_machine.travel(T0, tick=False):
        yield Walker(city, MatterType.objects.get(code="06010"))


def _case_params(walk, case, transition, actor):
    from chengguan.cases.testing import params_for

    params = params_for(walk, case, transition)
    if transition.action == "self_handle" and actor.role_names() | ({"admin"} if actor.is_superuser else set()):
        params["photos"] = [walk.photo(actor)]  # one's own upload
    return params


def test_it_allows_each_case_action_exactly_to_the_roles_and_scopes_declared(walk):
    from chengguan.cases.services import case_act

    city = walk.city
    cells, wrong = 0, []
    for transition in case_workflow.TRANSITIONS:
        state = next(s for s in case_workflow.STATES if s in transition.sources)
        case = walk.to(state)
        for persona in CASE_PERSONAS:
            actor = city[persona]
            expected = expected_case(persona, actor, transition.roles)
            outcome = None
            with transaction.atomic():
                try:
                    params = _case_params(walk, case, transition, actor)
                    case_act(actor=actor, case=case, action=transition.action, **params)
                    outcome = True
                except (PermissionDenied, NotFound):
                    outcome = False
                except Exception as exc:  # noqa: BLE001 - reported below with the cell
                    outcome = f"{type(exc).__name__}: {exc}"
                transaction.set_rollback(True)
            case.refresh_from_db()
            cells += 1
            if outcome is not expected:
                wrong.append(f"{transition.action}{'/' + transition.variant if transition.variant else ''} from "
                             f"{state} by {persona}: expected {'allowed' if expected else 'denied'}, got {outcome}")
    add("permission matrix: cells performed", cells)
    assert not wrong, "\n".join(wrong)


def test_it_answers_404_for_a_case_outside_the_scope(walk, api_client):
    case = walk.to(case_workflow.State.DISPATCHED)
    assert api_client(walk.city["outsider"]).get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert api_client(walk.city["roads_handler"]).get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert api_client(walk.city["operator"]).get(f"/api/v1/cases/{case.pk}").status_code == 200
    response = api_client(walk.city["outsider"]).post(f"/api/v1/cases/{case.pk}/actions/check_pass", {},
                                                      content_type="application/json")
    assert response.status_code == 404


# --- enforcement ------------------------------------------------------------------------------------------------

PARTY = {
    "party_type": "organisation", "party_name": "开封市某某建筑工程有限公司", "party_id_number": "91410200MA0000000X",
    "party_address": "开封市龙亭区某路1号", "place": "龙亭区北道门街西段", "violation_date": "2026-02-26",
    "facts": "未经批准擅自占用城市道路堆放建筑材料约30平方米。", "power_item": "CG-CF-026",
}
ENF_PERSONAS = ("officer", "officer2", "assistant", "legal_reviewer", "leader", "admin", "outsider", "nobody",
                "officer_expired", "officer_b")


@pytest.fixture
def enforcement_city(city):
    from chengguan.enforcement.models import EnforcementBody, PowerItem

    EnforcementBody.objects.create(department=city.bureau, name="开封市城市管理局", short_name="汴城管",
                                   review_authority="开封市人民政府", court="开封市龙亭区人民法院")
    PowerItem.objects.create(code="CG-CF-026", name="擅自占用或者挖掘城市道路", power_type="penalty",
                             legal_basis="道路条例 42 (27(1))", law="《城市道路管理条例》", article="第42条",
                             penalty_text="责令限期改正, 可处 ≤ 20,000", level="district")
    expired = User.objects.create_user(username="officer_expired", password="x", full_name="过期执法队员")
    RoleAssignment.objects.create(user=expired, role=Role.OFFICER, region=city.district_a, department=city.brigade_a)
    OfficerCertificate.objects.create(user=expired, number="豫A-EXP01", issuer="河南省人民政府",
                                      valid_from=date(2020, 1, 1), valid_to=date(2025, 12, 31),
                                      exam_passed_on=date(2019, 11, 1))
    other = User.objects.create_user(username="officer_b", password="x", full_name="顺河执法队员")
    RoleAssignment.objects.create(user=other, role=Role.OFFICER, region=city.district_b, department=city.brigade_b)
    OfficerCertificate.objects.create(user=other, number="豫A-B0001", issuer="河南省人民政府",
                                      valid_from=date(2024, 1, 1), valid_to=date(2029, 12, 31),
                                      exam_passed_on=date(2023, 11, 1))
    city.users.update(officer_expired=expired, officer_b=other)
    return city


def _enf_case(city, state):
    from chengguan.enforcement.services import case_act, case_register_clue

    case = case_register_clue(actor=city["officer"], region=city.community_a1, department=city.brigade_a,
                              source="patrol", title="擅自占用城市道路", **PARTY)
    if state in ("pending_filing", "investigating"):
        case = case_act(actor=city["officer"], case=case, act="propose_filing",
                        data={"co_officer": str(city["officer2"].pk), "opinion": "建议立案"})
    if state == "investigating":
        case = case_act(actor=city["leader"], case=case, act="approve_filing", data={"opinion": "同意"})
    assert case.state == state
    return case


def _enf_params(city, act, actor):
    co = city["officer"] if actor.username == "officer2" else city["officer2"]
    return {
        "update_particulars": {"facts": "占用道路约30平方米，已拍照取证。"},
        "extend_verification": {"reason": "需要进一步核实"},
        "dismiss_clue": {"reason": "经核查不属实", "resolution": "management"},
        "decide_on_the_spot": {"co_officer": str(co.pk), "penalty": "warning"},
        "propose_filing": {"co_officer": str(co.pk), "opinion": "建议立案"},
        "order_correction": {"co_officer": str(co.pk), "requirement": "立即清理", "correct_by": "2026-03-20"},
        "approve_filing": {"opinion": "同意"},
        "reject_filing": {"reason": "不予立案"},
        "record_inspection": {"co_officer": str(co.pk), "place": "现场", "findings": "堆放建筑材料"},
        "record_inquiry": {"co_officer": str(co.pk), "person": "张某", "content": "问：是否占道？答：是。",
                           "person_identity": "居民身份证 410202199001010000"},
    }[act]


ENF_ACTS = {
    "clue": ["update_particulars", "extend_verification", "dismiss_clue", "decide_on_the_spot", "propose_filing",
             "order_correction"],
    "pending_filing": ["approve_filing", "reject_filing"],
    "investigating": ["record_inspection", "record_inquiry", "order_correction", "update_particulars"],
}


def expected_enforcement(persona, act) -> bool:
    spec = ACTS[act]
    role = {"officer": "officer", "officer2": "officer", "officer_expired": "officer", "assistant": "assistant",
            "legal_reviewer": "legal_reviewer", "leader": "leader"}.get(persona)
    if role is None or persona == "officer_b":  # admin, outsider, nobody; officer_b serves the other district
        return False
    if role not in spec.roles:
        return False
    return not (persona == "officer_expired" and spec.certified)


def test_it_allows_each_enforcement_act_exactly_to_the_roles_certificates_and_scopes_declared(enforcement_city):
    from chengguan.enforcement.services import case_act

    city = enforcement_city
    cells, wrong = 0, []
    with time_machine.travel(T0, tick=False):
        for state, acts in ENF_ACTS.items():
            case = _enf_case(city, state)
            for act in acts:
                for persona in ENF_PERSONAS:
                    actor = city[persona]
                    expected = expected_enforcement(persona, act)
                    with transaction.atomic():
                        try:
                            case_act(actor=actor, case=case, act=act, data=_enf_params(city, act, actor))
                            outcome = True
                        except (PermissionDenied, NotFound) as exc:
                            outcome = False
                            # The denial names the rule in a language-independent code.
                            if persona == "assistant":
                                assert exc.code == "assistant_not_allowed", (exc.code, exc.message)
                            if persona == "officer_expired" and ACTS[act].certified:
                                assert exc.code == "no_certificate", (exc.code, exc.message)
                        except Exception as exc:  # noqa: BLE001 - reported below with the cell
                            outcome = f"{type(exc).__name__}: {exc}"
                        transaction.set_rollback(True)
                    cells += 1
                    if outcome is not expected:
                        wrong.append(f"{act} from {state} by {persona}: expected "
                                     f"{'allowed' if expected else 'denied'}, got {outcome}")
    add("permission matrix: cells performed", cells)
    assert not wrong, "\n".join(wrong)


def test_a_two_officer_act_needs_a_second_certified_officer_of_the_case(enforcement_city):
    from chengguan.core.errors import ValidationError
    from chengguan.enforcement.services import case_act

    city = enforcement_city
    with time_machine.travel(T0, tick=False):
        case = _enf_case(city, "clue")
        for co, error in (("assistant", PermissionDenied), ("officer_expired", PermissionDenied),
                          ("officer_b", PermissionDenied), ("officer", ValidationError)):
            with pytest.raises(error), transaction.atomic():
                case_act(actor=city["officer"], case=case, act="propose_filing",
                         data={"co_officer": str(city[co].pk), "opinion": "建议立案"})


def test_an_enforcement_case_outside_the_scope_answers_404(enforcement_city, api_client):
    city = enforcement_city
    with time_machine.travel(T0, tick=False):
        case = _enf_case(city, "clue")
    for persona, status in (("officer", 200), ("leader", 200), ("officer_b", 404), ("outsider", 404),
                            ("operator", 404), ("nobody", 404)):
        response = api_client(city[persona]).get(f"/api/v1/enforcement/cases/{case.pk}")
        assert response.status_code == status, (persona, response.status_code)


# --- administration and exports -------------------------------------------------------------------------------

ADMIN_PERSONAS = CASE_PERSONAS


def test_it_lets_only_the_declared_roles_into_admin_and_the_power_list_export(city):
    declared = dict((label.split(" (")[0], roles) for label, roles, _how in load_generator().ADMIN_OPERATIONS)
    export_roles = declared["Power list and benchmarks CSV export"]
    for persona in ADMIN_PERSONAS:
        client = Client()
        client.force_login(city[persona])
        admin = client.get("/admin/")
        export = client.get("/enforcement/powers/items.csv")
        if persona == "admin":
            assert admin.status_code == 200, persona
        else:
            assert admin.status_code == 302 and "/admin/login/" in admin["Location"], persona
        if city[persona].role_names() & export_roles and persona != "outsider" or persona == "admin":
            assert export.status_code == 200, (persona, export.status_code)
        else:
            assert export.status_code in (403, 404), (persona, export.status_code)
        add("permission matrix: cells performed", 2)


def test_the_case_export_holds_only_cases_in_the_exporters_scope(walk):
    from openpyxl import load_workbook

    case = walk.to(case_workflow.State.DISPATCHED)
    seen = {}
    for persona in ADMIN_PERSONAS:
        client = Client()
        client.force_login(walk.city[persona])
        response = client.get("/cases/export.xlsx")
        assert response.status_code == 200, persona
        import io

        sheet = load_workbook(io.BytesIO(response.getvalue()), read_only=True).active
        values = {str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None}
        seen[persona] = case.number in values
        add("permission matrix: cells performed", 1)
    assert seen["operator"] and seen["dispatcher"] and seen["department_handler"] and seen["admin"]
    assert not seen["outsider"] and not seen["roads_handler"] and not seen["nobody"]


def test_only_the_declared_roles_reveal_a_reporter_and_each_reveal_is_logged(walk, api_client):
    from chengguan.public.models import PersonalDataReveal

    declared = dict((label.split(" (")[0], roles) for label, roles, _how in load_generator().ADMIN_OPERATIONS)
    reveal_roles = declared["Reveal a reporter's name and phone"]
    case = walk.to(case_workflow.State.DISPATCHED, by=None, source="citizen", reporter_phone="13912341234")
    for persona in ADMIN_PERSONAS:
        user = walk.city[persona]
        before = PersonalDataReveal.objects.count()
        response = api_client(user).post(
            f"/api/v1/cases/{case.pk}/reporter/reveal", {"reason": "回访"}, content_type="application/json"
        )
        allowed = persona == "admin" or (persona not in OUT_OF_SCOPE and bool(user.role_names() & reveal_roles))
        if allowed:
            assert response.status_code == 200 and response.json()["reporter_phone"] == "13912341234", persona
            assert PersonalDataReveal.objects.count() == before + 1, persona
        else:
            assert response.status_code in (403, 404), (persona, response.status_code)
            assert PersonalDataReveal.objects.count() == before, persona
        add("permission matrix: cells performed", 1)


def test_case_photos_follow_the_case_scope(walk):
    from chengguan.cases.selectors import visible_cases

    case = walk.to(case_workflow.State.DISPATCHED)
    photo = walk.photo(walk.city["department_handler"])
    case = walk.act(case, "reply", "department_handler", reason="已清理", photos=[photo])
    for persona in ADMIN_PERSONAS:
        user = walk.city[persona]
        client = Client()
        client.force_login(user)
        status = client.get(f"/cases/photos/{photo}/").status_code
        visible = visible_cases(user).filter(pk=case.pk).exists()
        assert status == (200 if visible else 404), (persona, status)
        if persona in OUT_OF_SCOPE or persona == "nobody":
            assert status == 404, persona
        add("permission matrix: cells performed", 1)
    assert Client().get(f"/cases/photos/{photo}/").status_code == 404


def test_the_matrix_size_is_reported():
    generator = load_generator()
    size = (len(generator.case_matrix()) + len(generator.enforcement_matrix()) + len(generator.ADMIN_OPERATIONS))
    record("permission matrix: declared role × action cells", size * len(generator.roles()))
    assert size > 40
