"""The patrol API: phones upload tracks in batches; reports and actions answer in the one error shape."""

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from chengguan.catalog.models import MatterType
from chengguan.core.coords import from_storage
from chengguan.grids.testing import make_grids
from chengguan.patrol.models import TrackPoint
from chengguan.patrol.services.campaigns import campaign_create, campaign_start
from chengguan.patrol.services.duty import shift_create
from chengguan.patrol.services.frontage import agreement_sign, shop_register

TZ = ZoneInfo("Asia/Shanghai")
URL = "/api/v1/patrol"


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=TZ), tick=False):
        yield


@pytest.fixture
def grids(city):
    return make_grids(city)


def post(client, path, body):
    return client.post(URL + path, json.dumps(body), content_type="application/json")


def batch(grids, n=3):
    lng, lat = from_storage(*grids.centre(grids["410202001001001"]), "wgs84")
    return {
        "crs": "wgs84",
        "points": [
            {"id": f"uuid-{i}", "t": f"2026-03-10T09:0{i}:00+08:00", "lng": lng, "lat": lat, "accuracy": 5}
            for i in range(n)
        ],
    }


def test_it_accepts_a_batch_of_points_and_a_resend_is_harmless(city, grids, api_client):
    client = api_client(city["supervisor"])
    first = post(client, "/tracks/points", batch(grids))
    assert first.status_code == 200
    assert first.json() == {"accepted": 3, "duplicates": 0, "rejected": []}
    again = post(client, "/tracks/points", batch(grids, 4))
    assert again.json() == {"accepted": 1, "duplicates": 3, "rejected": []}
    assert TrackPoint.objects.filter(user=city["supervisor"]).count() == 4
    track = client.get(f"{URL}/tracks/{city['supervisor'].pk}?day=2026-03-10").json()
    assert [p["unit_grid"] for p in track] == ["410202001001001"] * 4


def test_a_malformed_batch_is_a_422_and_stores_nothing(city, grids, api_client):
    client = api_client(city["supervisor"])
    body = batch(grids)
    body["points"][1]["lat"] = "north"
    response = post(client, "/tracks/points", body)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid" and response.json()["field"] == "points.1.lat"
    bad_crs = post(client, "/tracks/points", batch(grids) | {"crs": "mars"})
    assert bad_crs.status_code == 422 and bad_crs.json()["field"] == "crs"
    assert not TrackPoint.objects.exists()


def test_people_without_a_patrol_role_cannot_upload_or_read_others_tracks(city, grids, api_client, staff):
    assert post(api_client(city["nobody"]), "/tracks/points", batch(grids)).status_code == 403
    post(api_client(city["supervisor"]), "/tracks/points", batch(grids))
    path = f"{URL}/tracks/{city['supervisor'].pk}?day=2026-03-10"
    assert api_client(city["outsider"]).get(path).status_code == 404
    assert api_client(city["officer"]).get(path).status_code == 404
    assert len(api_client(city["shift_leader"]).get(path).json()) == 3


def test_the_staffing_report_is_for_leaders_only(city, staff, api_client):
    rows = api_client(city["leader"]).get(URL + "/staffing?day=2026-03-10").json()
    district_a = next(r for r in rows if r["region_code"] == "410202000000")
    assert (district_a["officers"], district_a["assistants"], district_a["required_officers"]) == (2, 3, 200)
    assert api_client(city["officer"]).get(URL + "/staffing").status_code == 403
    certs = api_client(city["leader"]).get(URL + "/certificates?status=valid").json()
    assert {c["username"] for c in certs} == {"officer", "officer2", "officer_b"}


def test_roster_coverage_and_hours_are_served_in_scope(city, staff, grids, patterns, api_client):
    shift_create(
        actor=city["shift_leader"],
        day=date(2026, 3, 10),
        pattern=patterns["day"],
        grid=grids.responsibility_a,
        people=[city["supervisor"], city["assistant"]],
    )
    post(api_client(city["supervisor"]), "/tracks/points", batch(grids))
    roster = api_client(city["supervisor"]).get(URL + "/roster?start=2026-03-10&days=1").json()
    assert [p["username"] for p in roster[0]["people"]] == ["assistant", "supervisor"]
    assert roster[0]["warnings"] == ["assistants_without_officer"]
    assert api_client(city["outsider"]).get(URL + "/roster?start=2026-03-10&days=1").json() == []
    cover = api_client(city["leader"]).get(URL + "/coverage?day=2026-03-10").json()
    assert [(c["grid"], c["visited"], c["unit_grids"]) for c in cover] == [
        ("RG-410202-01", 1, 16),
        ("RG-410203-01", 0, 16),
    ]
    hours = api_client(city["supervisor"]).get(URL + "/patrol-hours?day=2026-03-10").json()
    assert [(h["username"], h["patrolled_hours"], h["scheduled_hours"]) for h in hours] == [
        ("supervisor", pytest.approx(2 / 60), 8.0)
    ]
    assert api_client(city["nobody"]).get(URL + "/coverage").status_code == 403


def test_swap_and_leave_requests_go_through_the_api(city, staff, grids, patterns, api_client):
    shift, _ = shift_create(
        actor=city["shift_leader"],
        day=date(2026, 3, 11),
        pattern=patterns["day"],
        grid=grids.responsibility_a,
        people=[city["officer"]],
    )
    mine = shift.assignments.get()
    created = post(
        api_client(city["officer"]),
        "/swap-requests",
        {"assignment_id": mine.pk, "counterpart_username": "officer2", "reason": "家中有事"},
    )
    assert created.status_code == 201
    rid = created.json()["id"]
    denied = post(api_client(city["outsider"]), f"/swap-requests/{rid}/decision", {"approve": True})
    assert denied.status_code == 404
    approved = post(api_client(city["shift_leader"]), f"/swap-requests/{rid}/decision", {"approve": True})
    assert approved.json()["status"] == "approved"
    leave = post(
        api_client(city["officer2"]),
        "/leave-requests",
        {"kind": "annual", "starts_at": "2026-03-11T00:00:00+08:00", "ends_at": "2026-03-12T00:00:00+08:00"},
    )
    assert leave.status_code == 201
    bad = post(
        api_client(city["officer2"]),
        "/leave-requests",
        {"kind": "holiday", "starts_at": "2026-03-20T00:00:00+08:00", "ends_at": "2026-03-21T00:00:00+08:00"},
    )
    assert bad.status_code == 422 and bad.json()["field"] == "kind"


def test_campaigns_operations_shops_and_ads(city, staff, grids, api_client):
    billboards = MatterType.objects.get(code="07003")
    campaign = campaign_start(
        actor=city["leader"],
        campaign=campaign_create(
            actor=city["leader"],
            name="户外广告百日攻坚",
            region=city.district_a,
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 6, 8),
            targets={billboards: 800},
        ),
    )
    op = post(
        api_client(city["officer"]),
        "/operations",
        {"title": "集中拆除", "region_code": "410202000000", "campaign_id": campaign.pk},
    )
    assert op.status_code == 201
    done = post(
        api_client(city["officer"]),
        f"/operations/{op.json()['id']}/complete",
        {"staff_count": 30, "results": {"07003": 200}, "penalties": 1, "fines_yuan": "500"},
    )
    assert done.json()["status"] == "completed"
    detail = api_client(city["supervisor"]).get(f"{URL}/campaigns/{campaign.pk}").json()
    assert detail["targets"][0]["achieved"] == 200 and detail["share"] == 0.25
    assert api_client(city["outsider"]).get(f"{URL}/campaigns/{campaign.pk}").status_code == 404
    assert (
        post(
            api_client(city["outsider"]),
            f"/campaigns/{campaign.pk}/follow-ups",
            {"checked_on": "2026-03-10", "places_checked": 5},
        ).status_code
        == 404
    )
    follow = post(
        api_client(city["supervisor"]),
        f"/campaigns/{campaign.pk}/follow-ups",
        {"checked_on": "2026-03-10", "places_checked": 5, "relapses": 9},
    )
    assert follow.status_code == 422 and follow.json()["field"] == "relapses"

    lng, lat = grids.centre(grids["410202001001006"])
    shop = shop_register(
        actor=city["supervisor"],
        name="小吃店",
        operator_name="张",
        address="西门大街1号",
        lng=lng,
        lat=lat,
        crs="gcj02",
    )
    agreement_sign(
        actor=city["supervisor"],
        shop=shop,
        number="MQSB-9",
        scheme="three",
        zone="门前至路沿石",
        signed_on=date(2026, 1, 1),
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 12, 31),
    )
    inspected = post(
        api_client(city["supervisor"]),
        f"/shops/{shop.pk}/inspections",
        {"failures": [{"obligation": "order", "description": "店外经营", "matter_code": "09005"}]},
    )
    assert inspected.status_code == 201
    violation = inspected.json()["violations"][0]
    assert violation["measure"] == "education"
    assert violation["case"]  # a supervisor's finding opens a case
    assert post(api_client(city["outsider"]), f"/shops/{shop.pk}/inspections", {}).status_code == 404
    assert [s["open_violations"] for s in api_client(city["supervisor"]).get(URL + "/shops").json()] == [1]

    sight = post(
        api_client(city["supervisor"]),
        "/ad-sightings",
        {"number": "138 0371 1234", "lng": lng, "lat": lat, "crs": "gcj02", "ads_count": 4},
    )
    assert sight.status_code == 201 and sight.json()["number"] == "13803711234"
    assert (
        post(
            api_client(city["assistant"]), "/ad-phones/13803711234/status", {"status": "notified"}
        ).status_code
        == 403
    )
    changed = post(
        api_client(city["officer"]),
        "/ad-phones/13803711234/status",
        {"status": "notified", "note": "已电话告知"},
    )
    assert changed.json()["status"] == "notified"
    assert api_client(city["outsider"]).get(URL + "/ad-phones").json() == []
