"""Operators place Open311 submissions that came with an address only; others may not."""

import pytest

from chengguan.cases.models import Case
from chengguan.public.models import Open311Submission

from .conftest import POINT_A, POINT_B


@pytest.fixture
def pending(client, grids, frozen, open311_key):
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": open311_key,
            "service_code": "06010",
            "address_string": "西门大街 12 号",
            "description": "垃圾",
        },
    )
    return Open311Submission.objects.get(token=response.json()[0]["token"])


def test_an_operator_sees_and_places_a_pending_submission(login, city, pending):
    client = login(city["operator"])
    html = client.get("/p/staff/open311/").content.decode()
    assert "西门大街 12 号" in html
    response = client.post(f"/p/staff/open311/{pending.pk}/place/", {"lng": POINT_A[0], "lat": POINT_A[1]})
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "created" and pending.placed_by == city["operator"]
    assert pending.case.community == city.community_a1
    again = client.post(f"/p/staff/open311/{pending.pk}/place/", {"lng": POINT_A[0], "lat": POINT_A[1]})
    assert again.status_code == 302 and Case.objects.count() == 1  # handled once


def test_a_district_operator_may_not_place_outside_the_district(login, city, pending):
    from chengguan.org.models import Role, RoleAssignment, User

    op_a = User.objects.create_user(username="op_a", password="x")
    RoleAssignment.objects.create(user=op_a, role=Role.OPERATOR, region=city.district_a)
    login(op_a).post(f"/p/staff/open311/{pending.pk}/place/", {"lng": POINT_B[0], "lat": POINT_B[1]})
    pending.refresh_from_db()
    assert pending.status == "pending" and Case.objects.count() == 0


@pytest.mark.parametrize("persona", ["dispatcher", "supervisor", "nobody", "outsider"])
def test_other_roles_may_neither_see_nor_place(login, city, pending, persona):
    client = login(city[persona])
    assert client.get("/p/staff/open311/").status_code == 403
    assert (
        client.post(
            f"/p/staff/open311/{pending.pk}/place/", {"lng": POINT_A[0], "lat": POINT_A[1]}
        ).status_code
        == 403
    )
    assert client.post(f"/p/staff/open311/{pending.pk}/discard/", {"reason": "x"}).status_code == 403
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_an_operator_discards_with_a_reason(login, city, pending, client):
    op = login(city["operator"])
    op.post(f"/p/staff/open311/{pending.pk}/discard/", {"reason": ""})
    pending.refresh_from_db()
    assert pending.status == "pending"
    op.post(f"/p/staff/open311/{pending.pk}/discard/", {"reason": "地址无法定位"})
    pending.refresh_from_db()
    assert pending.status == "discarded" and pending.discard_reason == "地址无法定位"
    answer = client.get(f"/open311/v2/tokens/{pending.token}.json")  # definitive: refused, not "pending"
    assert answer.status_code == 404 and answer.json()[0]["code"] == "token_refused"
