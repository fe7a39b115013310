"""Personal information (PIPL): reporters are masked for every role; operators and shift leaders may reveal one
case's reporter for a stated reason, and each reveal is logged. Lists and exports stay masked. Outsiders get 404."""

import pytest
from django.test import Client

from chengguan.public.models import PersonalDataReveal, Satisfaction
from chengguan.public.services.citizen import citizen_report, satisfaction_record
from chengguan.public.services.privacy import reporter_reveal

from .conftest import POINT_A, close_case

PHONE = "13912345678"
MASKED = "139****5678"


@pytest.fixture
def case(city, grids, garbage, frozen):
    return citizen_report(
        matter=garbage,
        lng=POINT_A[0],
        lat=POINT_A[1],
        crs="gcj02",
        description="垃圾",
        phone=PHONE,
        name="张三丰",
    )


def page(login, user, case):
    return login(user).get(f"/p/staff/cases/{case.pk}/reporter/", HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize(
    "persona", ["operator", "shift_leader", "dispatcher", "leader", "supervisor", "admin"]
)
def test_it_shows_the_reporter_masked_to_every_role_in_scope(login, city, case, persona):
    response = page(login, city[persona], case)
    assert response.status_code == 200
    html = response.content.decode()
    assert MASKED in html and "张**" in html
    assert PHONE not in html and "张三丰" not in html
    assert ('id="reveal-form"' in html) is (persona in ("operator", "shift_leader", "admin"))


@pytest.mark.parametrize("persona", ["outsider", "nobody", "department_handler"])
def test_it_hides_the_case_from_roles_outside_its_scope(login, city, case, persona):
    assert page(login, city[persona], case).status_code == 404


def test_it_sends_anonymous_visitors_to_the_login(client, case):
    response = client.get(f"/p/staff/cases/{case.pk}/reporter/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["operator", "shift_leader"])
def test_it_reveals_for_a_reason_and_logs_who_whose_when_why(login, city, case, persona, frozen):
    client = login(city[persona])
    response = client.post(
        f"/p/staff/cases/{case.pk}/reporter/", {"reason": "回访核实处理结果"}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert PHONE in html and "张三丰" in html
    log = PersonalDataReveal.objects.get()
    assert log.actor == city[persona] and log.actor_role == persona and log.case == case
    assert log.reason == "回访核实处理结果" and log.ip == "10.0.0.7" and log.at is not None
    assert log.subject == f"张** {MASKED}"  # the log itself holds no full personal data
    # the next look is masked again
    assert PHONE not in client.get(f"/p/staff/cases/{case.pk}/reporter/").content.decode()


def test_it_refuses_a_reveal_without_a_reason(login, city, case):
    response = login(city["operator"]).post(f"/p/staff/cases/{case.pk}/reporter/", {"reason": " "})
    assert response.status_code == 400
    assert PHONE not in response.content.decode()
    assert not PersonalDataReveal.objects.exists()


@pytest.mark.parametrize("persona", ["dispatcher", "leader", "supervisor"])
def test_it_refuses_a_reveal_to_roles_that_do_not_call_back(login, city, case, persona):
    response = login(city[persona]).post(f"/p/staff/cases/{case.pk}/reporter/", {"reason": "想看看"})
    assert response.status_code == 403
    assert not PersonalDataReveal.objects.exists()


def test_it_refuses_a_reveal_to_an_outsider_with_404(login, city, case):
    assert (
        login(city["outsider"]).post(f"/p/staff/cases/{case.pk}/reporter/", {"reason": "x"}).status_code
        == 404
    )
    assert not PersonalDataReveal.objects.exists()


def test_the_service_refuses_roles_that_may_not_reveal(city, case):
    from chengguan.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        reporter_reveal(actor=city["dispatcher"], case=case, reason="x")
    assert reporter_reveal(actor=city["operator"], case=case, reason="回访")["phone"] == PHONE


def test_it_answers_an_htmx_reveal_with_the_panel_only(login, city, case):
    response = login(city["operator"]).post(
        f"/p/staff/cases/{case.pk}/reporter/", {"reason": "回访"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert PHONE in html and "<html" not in html


def test_the_satisfaction_list_and_export_stay_masked_even_for_operators(login, city, case):
    closed = close_case(city, case)
    satisfaction_record(actor=city["operator"], case=closed, score="basic", comment="还行")
    client = login(city["operator"])
    html = client.get("/p/staff/satisfaction/").content.decode()
    assert MASKED in html and PHONE not in html and "张三丰" not in html
    export = client.get("/p/staff/satisfaction.csv")
    text = export.content.decode("utf-8-sig")
    assert export["Content-Type"].startswith("text/csv")
    assert MASKED in text and PHONE not in text and "张三丰" not in text and closed.number in text
    assert Satisfaction.objects.get().channel == "callback"


@pytest.mark.parametrize(
    ("persona", "status"), [("operator", 200), ("leader", 200), ("dispatcher", 403), ("nobody", 403)]
)
def test_only_call_back_roles_see_the_satisfaction_list(login, city, case, persona, status):
    assert login(city[persona]).get("/p/staff/satisfaction/").status_code == status
    assert login(city[persona]).get("/p/staff/satisfaction.csv").status_code == status


def test_the_satisfaction_list_keeps_to_the_users_scope(login, city, case):
    from chengguan.org.models import Role, RoleAssignment, User

    satisfaction_record(actor=None, case=close_case(city, case), score="satisfied")
    district_b_operator = User.objects.create_user(username="op_b", password="x")
    RoleAssignment.objects.create(user=district_b_operator, role=Role.OPERATOR, region=city.district_b)
    assert case.number in login(city["operator"]).get("/p/staff/satisfaction/").content.decode()
    other = login(district_b_operator)
    assert case.number not in other.get("/p/staff/satisfaction/").content.decode()
    assert case.number not in other.get("/p/staff/satisfaction.csv").content.decode("utf-8-sig")
    assert other.get(f"/p/staff/cases/{case.pk}/reporter/").status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"), [("leader", 200), ("admin", 200), ("operator", 403), ("shift_leader", 403)]
)
def test_only_leaders_and_admins_read_the_reveal_log(login, city, case, persona, status):
    reporter_reveal(actor=city["operator"], case=case, reason="回访")
    response = login(city[persona]).get("/p/staff/reveals/")
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert "回访" in html and MASKED in html and PHONE not in html


def test_a_call_back_rating_needs_an_operator_or_shift_leader(login, city, case):
    closed = close_case(city, case)
    login(city["dispatcher"]).post(f"/p/staff/cases/{closed.pk}/callback/", {"score": "satisfied"})
    assert not Satisfaction.objects.exists()
    login(city["shift_leader"]).post(f"/p/staff/cases/{closed.pk}/callback/", {"score": "satisfied"})
    assert Satisfaction.objects.get().recorded_by == city["shift_leader"]
    assert Client().post(f"/p/staff/cases/{closed.pk}/callback/", {"score": "satisfied"}).status_code == 302


def test_the_export_keeps_citizen_text_from_becoming_a_formula(login, city, case):
    satisfaction_record(
        actor=None, case=close_case(city, case), score="unsatisfied", comment='=HYPERLINK("x")'
    )
    text = login(city["operator"]).get("/p/staff/satisfaction.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
