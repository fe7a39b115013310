"""The JSON API: report (JSON or multipart, idempotent), list with filters, read, act; errors name the field."""

import json

import pytest

from ..models import Attachment, Case, IdempotencyKey
from ..workflow import State
from .conftest import POINT_A, POINT_B, Upload, png_bytes

URL = "/api/v1/cases"


def body(**extra):
    data = {
        "source": "supervisor",
        "matter_code": "06010",
        "lng": POINT_A[0],
        "lat": POINT_A[1],
        "description": "人行道暴露垃圾",
        "address": "西门大街 3 号",
    }
    data.update(extra)
    return data


def post_json(client, url, data, **headers):
    return client.post(url, data=json.dumps(data), content_type="application/json", **headers)


def test_it_reports_a_case_and_answers_201_with_its_number(city, grids, frozen, api_client):
    client = api_client(city["supervisor"])
    response = post_json(client, URL, body())
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["number"] == "KF2026-000001" and data["state"] == "reported"
    assert data["traffic_light"] == "green" and data["duplicates"] == []


def test_it_offers_the_open_case_nearby_as_a_duplicate(city, grids, frozen, api_client):
    client = api_client(city["supervisor"])
    first = post_json(client, URL, body()).json()
    second = post_json(client, URL, body(lng=POINT_A[0] + 0.0002)).json()  # ~18 m east
    assert [d["number"] for d in second["duplicates"]] == [first["number"]]
    assert 10 < second["duplicates"][0]["distance_m"] < 30
    far = post_json(client, URL, body(lng=POINT_A[0] + 0.003)).json()  # ~270 m
    assert far["duplicates"] == []


def test_it_honours_the_idempotency_key(city, grids, frozen, api_client):
    client = api_client(city["supervisor"])
    first = post_json(client, URL, body(), HTTP_IDEMPOTENCY_KEY="abc-1")
    replay = post_json(client, URL, body(), HTTP_IDEMPOTENCY_KEY="abc-1")
    assert (first.status_code, replay.status_code) == (201, 200)
    assert first.json()["id"] == replay.json()["id"]
    assert Case.objects.count() == 1
    changed = post_json(client, URL, body(description="别的"), HTTP_IDEMPOTENCY_KEY="abc-1")
    assert changed.status_code == 409 and changed.json()["code"] == "idempotency_mismatch"
    assert Case.objects.count() == 1 and IdempotencyKey.objects.count() == 1


def test_it_keeps_keys_per_user(city, grids, frozen, api_client):
    post_json(api_client(city["supervisor"]), URL, body(), HTTP_IDEMPOTENCY_KEY="same")
    response = post_json(
        api_client(city["operator"]), URL, body(source="hotline"), HTTP_IDEMPOTENCY_KEY="same"
    )
    assert response.status_code == 201 and Case.objects.count() == 2


def test_it_accepts_multipart_with_photos(city, grids, frozen, api_client):
    client = api_client(city["supervisor"])
    data = {k: str(v) for k, v in body().items()}
    data["photos"] = [Upload(png_bytes(), "a.png"), Upload(png_bytes(fmt="JPEG"), "b.jpg")]
    response = client.post(URL, data=data)
    assert response.status_code == 201, response.content
    case = Case.objects.get()
    assert sorted(a.content_type for a in case.attachments.all()) == ["image/jpeg", "image/png"]


@pytest.mark.parametrize(
    "extra,field,status",
    [
        ({"matter_code": "99999"}, "matter_code", 422),
        ({"lng": 116.4, "lat": 39.9}, "lng", 422),
        ({"crs": "mars"}, "crs", 422),
        ({"lng": "east"}, "lng", 422),
        ({"description": ""}, "description", 422),
        ({"photos": [999]}, "photos", 422),
        ({"component_id": "41020201001000001"}, "component_id", 422),
    ],
)
def test_it_names_the_field_of_bad_input(city, grids, frozen, api_client, extra, field, status):
    response = post_json(api_client(city["supervisor"]), URL, body(**extra))
    assert response.status_code == status, response.content
    assert response.json()["field"] == field
    assert not Case.objects.exists()


def test_it_answers_401_without_a_token(city, grids, client):
    assert client.get(URL).status_code == 401


def test_it_lists_with_filters_and_pages(walk, api_client):
    for _ in range(3):
        walk.new()
    walk.to(State.ACCEPTED)
    walk.new(point=POINT_B, by="outsider")
    client = api_client(walk.city["operator"])
    data = client.get(URL, {"state": "reported", "page_size": 2}).json()
    assert data["count"] == 4 and len(data["results"]) == 2  # three in A, one in B: the operator is city-wide
    assert client.get(URL, {"state": "accepted"}).json()["count"] == 1
    assert client.get(URL, {"district_id": walk.city.district_b.pk}).json()["count"] == 1
    outsider = api_client(walk.city["outsider"]).get(URL).json()
    assert outsider["count"] == 1
    assert client.get(URL, {"page_size": 1000}).status_code == 422
    response = client.get(URL, {"state": "lost"})
    assert response.status_code == 422 and response.json()["field"] == "state"


def test_it_hides_cases_outside_the_scope_as_404(walk, api_client):
    case = walk.new()
    for persona in ("outsider", "nobody", "department_handler"):
        client = api_client(walk.city[persona])
        assert client.get(f"{URL}/{case.pk}").status_code == 404
        response = post_json(client, f"{URL}/{case.pk}/actions/accept", {})
        assert response.status_code == 404


def test_it_walks_a_case_to_closure_through_the_api(walk, api_client, photo):
    city = walk.city
    case_id = post_json(api_client(city["supervisor"]), URL, body()).json()["id"]

    def act(persona, action, **data):
        response = post_json(api_client(city[persona]), f"{URL}/{case_id}/actions/{action}", data)
        assert response.status_code == 200, response.content
        return response.json()

    act("operator", "accept")
    act("shift_leader", "file", **walk._file())
    act("dispatcher", "dispatch", department_id=city.sanitation.pk)
    after = photo(city["department_handler"])
    act("department_handler", "reply", reason="已清运", photos=[after.pk])
    act("supervisor", "check_pass")
    data = act("shift_leader", "close")
    assert data["state"] == "closed"
    assert [e["action"] for e in data["events"]] == [
        "report",
        "accept",
        "file",
        "dispatch",
        "reply",
        "check_pass",
        "close",
    ]
    assert data["photos"][0]["kind"] == "after" and data["photos"][0]["sha256"] == after.sha256


def test_it_answers_409_for_an_illegal_action_and_403_for_a_wrong_role(walk, api_client):
    case = walk.new()
    response = post_json(api_client(walk.city["dispatcher"]), f"{URL}/{case.pk}/actions/dispatch", {})
    assert response.status_code == 409 and response.json() | {"field": "action"} == response.json()
    response = post_json(api_client(walk.city["dispatcher"]), f"{URL}/{case.pk}/actions/accept", {})
    assert response.status_code == 403
    response = post_json(api_client(walk.city["operator"]), f"{URL}/{case.pk}/actions/reject", {})
    assert response.status_code == 422 and response.json()["field"] == "reason"
    response = post_json(api_client(walk.city["operator"]), f"{URL}/{case.pk}/actions/teleport", {})
    assert response.status_code == 422 and response.json()["field"] == "action"
    response = post_json(api_client(walk.city["operator"]), f"{URL}/{case.pk}/actions/accept", {"amount": 3})
    assert response.status_code == 422 and response.json()["field"] == "amount"


def test_it_masks_the_reporter_for_every_role_even_those_who_may_reveal(walk, api_client):
    case = walk.new(by=None, source="citizen", reporter_name="王小明", reporter_phone="13912341234")
    for persona, revealable in (("operator", True), ("supervisor", False)):
        data = api_client(walk.city[persona]).get(f"{URL}/{case.pk}").json()
        assert (data["reporter_phone"], data["reporter_name"]) == ("139****1234", "王**")
        assert data["reporter_revealable"] is revealable


def test_it_uploads_a_photo_and_refuses_a_fake_one(city, grids, frozen, api_client):
    client = api_client(city["supervisor"])
    response = client.post(f"{URL}/attachments", {"file": Upload(png_bytes(), "x.png"), "kind": "after"})
    assert response.status_code == 201 and response.json()["content_type"] == "image/png"
    fake = Upload(b"MZ\x90\x00 not an image at all", "evil.jpg")
    response = client.post(f"{URL}/attachments", {"file": fake})
    assert response.status_code == 422 and response.json()["field"] == "photos"
    assert Attachment.objects.count() == 1


def test_it_serves_the_openapi_document(city, client):
    client.force_login(city["operator"])
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/cases" in schema["paths"]
    assert "/api/v1/cases/{id}/actions/{action}" in schema["paths"]
