"""Hotline work orders: the hotline's id is idempotent, categories map to matters, only the hotline's own token
works, and a work order answers with its case status and public timeline."""

import pytest

from chengguan.cases.models import Case, Source
from chengguan.org.services import token_create
from chengguan.public.models import HotlineWorkOrder
from chengguan.public.services.hotline import hotline_category_map, hotline_system_create, work_order_receive

from .conftest import POINT_A, close_case

URL = "/api/v1/hotline/work-orders"


@pytest.fixture
def hotline(city, grids, garbage, frozen):
    system, key = hotline_system_create(code="12345", name="12345 市民服务热线")
    hotline_category_map(system=system, code="HJWS-01", matter=garbage, name="环境卫生-垃圾")
    return system, key


def order(**overrides):
    body = {
        "id": "GD20260310-0001",
        "category": "HJWS-01",
        "description": "市民来电：西门大街路口垃圾堆放多日",
        "lng": POINT_A[0],
        "lat": POINT_A[1],
        "address": "西门大街与自由路交叉口",
        "caller_name": "李四",
        "caller_phone": "13800138000",
    }
    body.update(overrides)
    return body


def post(client, key, body):
    return client.post(URL, body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}")


def test_it_turns_a_work_order_into_a_hotline_case(client, city, hotline):
    system, key = hotline
    response = post(client, key, order())
    assert response.status_code == 201, response.content
    data = response.json()
    case = Case.objects.get(number=data["case_number"])
    assert case.source == Source.HOTLINE and case.channel == "12345" and case.external_id == "GD20260310-0001"
    assert case.matter.code == "06010" and case.reporter_phone == "13800138000" and case.reporter is None
    assert data["status"] == "open" and data["state"] == "reported" and data["category_mapped"] is True
    assert [t["action"] for t in data["timeline"]] == ["report"]


def test_it_answers_the_same_work_order_id_with_the_same_case(client, hotline):
    _system, key = hotline
    first = post(client, key, order()).json()
    again = post(client, key, order(description="重复推送"))
    assert again.status_code == 200
    assert again.json()["case_number"] == first["case_number"]
    assert again.json()["times_received"] == 2
    assert Case.objects.count() == 1


def test_it_keeps_ids_of_different_hotlines_apart(hotline, garbage):
    system, _key = hotline
    other, _ = hotline_system_create(code="12319", name="12319 城建热线", default_matter=garbage)
    a, created_a = work_order_receive(system=system, external_id="1", category="HJWS-01", description="x",
                                      lng=POINT_A[0], lat=POINT_A[1])  # fmt: skip
    b, created_b = work_order_receive(system=other, external_id="1", category="??", description="y",
                                      lng=POINT_A[0], lat=POINT_A[1])  # fmt: skip
    assert created_a and created_b and a.case_id != b.case_id
    assert b.category_mapped is False  # unknown category → the hotline's default matter, flagged


def test_it_refuses_an_unmapped_category_without_a_default(client, hotline):
    _system, key = hotline
    response = post(client, key, order(category="UNKNOWN"))
    assert response.status_code == 422
    assert response.json()["field"] == "category"
    assert Case.objects.count() == 0 and HotlineWorkOrder.objects.count() == 0


def test_it_accepts_our_matter_code_instead_of_a_category(client, hotline):
    _system, key = hotline
    response = post(client, key, order(category="", matter_code="01001"))
    assert response.status_code == 201
    assert response.json()["matter_code"] == "01001"


def test_it_converts_the_hotlines_coordinates(client, hotline):
    from chengguan.core.coords import gcj02_to_bd09

    _system, key = hotline
    lng, lat = gcj02_to_bd09(*POINT_A)
    response = post(client, key, order(lng=lng, lat=lat, crs="bd09"))
    case = Case.objects.get(number=response.json()["case_number"])
    assert case.lng == pytest.approx(POINT_A[0], abs=1e-6) and case.lat == pytest.approx(POINT_A[1], abs=1e-6)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"id": ""}, "id"),
        ({"id": "x" * 65}, "id"),
        ({"description": " "}, "description"),
        ({"lng": 120.0}, "lng"),
    ],
)
def test_it_refuses_bad_work_orders_without_writing(client, hotline, overrides, field):
    _system, key = hotline
    response = post(client, key, order(**overrides))
    assert response.status_code == 422, response.content
    assert response.json()["field"] == field
    assert Case.objects.count() == 0


def test_it_only_takes_work_orders_from_a_hotline_token(client, city, hotline):
    _token, staff_key = token_create(user=city["operator"])
    assert post(client, staff_key, order()).status_code == 403
    assert client.post(URL, order(), content_type="application/json").status_code == 401
    assert Case.objects.count() == 0


def test_it_refuses_a_switched_off_hotline(client, hotline):
    system, key = hotline
    system.is_active = False
    system.save()
    assert post(client, key, order()).status_code == 403


def test_it_shows_a_work_order_only_to_its_own_hotline(client, city, hotline, garbage):
    system, key = hotline
    post(client, key, order())
    _other, other_key = hotline_system_create(code="12319", name="12319", default_matter=garbage)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(f"{URL}/GD20260310-0001", **auth).status_code == 200
    assert client.get(f"{URL}/GD20260310-0001", HTTP_AUTHORIZATION=f"Bearer {other_key}").status_code == 404
    assert client.get(f"{URL}/nope", **auth).status_code == 404


def test_it_reports_the_closed_state_and_public_timeline(client, city, hotline):
    _system, key = hotline
    number = post(client, key, order()).json()["case_number"]
    close_case(city, Case.objects.get(number=number))
    data = client.get(f"{URL}/GD20260310-0001", HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert data["status"] == "closed"
    texts = [t["text"] for t in data["timeline"]]
    assert "dispatched to 环卫处" in texts
    assert "已清理" not in str(data) and "department_handler" not in str(data)


def test_it_makes_one_case_when_a_work_order_races_itself(hotline, monkeypatch):
    """Two deliveries of one id at once: the loser's insert hits the unique key and answers the winner's case."""
    system, _key = hotline
    first, _ = work_order_receive(system=system, external_id="race", category="HJWS-01", description="x",
                                  lng=POINT_A[0], lat=POINT_A[1])  # fmt: skip
    from chengguan.public.services import hotline as module

    real_filter = HotlineWorkOrder.objects.filter
    calls = {"n": 0}

    def blind_first_lookup(*args, **kwargs):  # the loser did its lookup before the winner committed
        calls["n"] += 1
        qs = real_filter(*args, **kwargs)
        return qs.none() if calls["n"] == 1 else qs

    monkeypatch.setattr(module.HotlineWorkOrder.objects, "filter", blind_first_lookup)
    second, created = work_order_receive(system=system, external_id="race", category="HJWS-01", description="x",
                                         lng=POINT_A[0], lat=POINT_A[1])  # fmt: skip
    assert not created and second.case_id == first.case_id
    assert Case.objects.count() == 1
