"""Vehicle positions through the patrol phones' upload shape (idempotent per point, bad points listed), the
`vehicles` API in the viewer's scope, and vehicle coverage beside the patrol coverage — with outsiders."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.utils import timezone

from ..models import VehiclePoint

API = "/api/v1/vehicles"


@pytest.fixture(autouse=True)
def midday():
    """The batches start half an hour ago and a track is one local day's: at 00:10 in Beijing half of a batch
    would fall on yesterday (CI failed so). The clock runs from today's noon, local time."""
    noon = timezone.make_aware(datetime.combine(timezone.localdate(), time(12)))
    with time_machine.travel(noon, tick=True):
        yield


def batch(n=5, *, start=None, prefix="p"):
    start = start or timezone.now() - timedelta(minutes=30)
    return {"crs": "gcj02", "points": [
        {"id": f"{prefix}{i}", "t": (start + timedelta(minutes=i)).isoformat(), "lng": 114.3025 + i * 0.001,
         "lat": 34.8025, "speed": 20} for i in range(n)]}


def test_the_crew_uploads_a_vehicle_track_once_and_bad_points_are_listed(client, city, fleet):
    car = fleet["car_a"]
    client.force_login(city["assistant"])  # a crew member of brigade A
    r = client.post(f"{API}/{car.pk}/track/points", batch(), content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json() == {"accepted": 5, "duplicates": 0, "rejected": []}
    again = batch()
    again["points"].append({"id": "late", "t": (timezone.now() + timedelta(hours=1)).isoformat(), "lng": 114.3,
                            "lat": 34.8})
    again["points"].append({"id": "nowhere", "t": timezone.now().isoformat(), "lng": 500, "lat": 34.8})
    r = client.post(f"{API}/{car.pk}/track/points", again, content_type="application/json")
    assert r.json() == {"accepted": 0, "duplicates": 5, "rejected": [
        {"index": 5, "id": "late", "code": "future"}, {"index": 6, "id": "nowhere", "code": "bad_coordinates"}]}
    assert VehiclePoint.objects.filter(vehicle=car).count() == 5
    assert all(p.unit_grid_id for p in VehiclePoint.objects.all())  # located in the unit grids
    track = client.get(f"{API}/{car.pk}/track").json()
    assert len(track) == 5 and track[0]["unit_grid"]
    listing = client.get(API).json()
    assert [v["code"] for v in listing] == ["CL-A1"]  # brigade A's only
    assert listing[0]["last_lng"] == round(114.3025 + 4 * 0.001, 7)


def test_outsiders_neither_see_nor_move_a_vehicle(client, city, fleet):
    car_a, car_b = fleet["car_a"], fleet["car_b"]
    client.force_login(city["officer"])
    assert client.post(f"{API}/{car_b.pk}/track/points", batch(), content_type="application/json").status_code == 404
    assert client.get(f"{API}/{car_b.pk}").status_code == 404
    for name in ("outsider", "nobody", "department_handler", "supervisor"):
        client.force_login(city[name])
        assert client.get(API).status_code == 403, name
        r = client.post(f"{API}/{car_a.pk}/track/points", batch(), content_type="application/json")
        assert r.status_code == 403, name
    client.force_login(city["leader"])  # sees every squad's vehicles, is not their crew
    assert len(client.get(API).json()) == 2
    r = client.post(f"{API}/{car_a.pk}/track/points", batch(), content_type="application/json")
    assert r.status_code == 403 and r.json()["field"] == "vehicle"
    assert not VehiclePoint.objects.exists()
    client.force_login(city["officer"])  # positive control
    assert client.post(f"{API}/{car_a.pk}/track/points", batch(), content_type="application/json").json()[
        "accepted"] == 5


def test_a_body_camera_has_no_track(client, city, fleet):
    client.force_login(city["officer"])
    r = client.post(f"{API}/{fleet['cam_a'].pk}/track/points", batch(), content_type="application/json")
    assert r.status_code == 404


def test_vehicle_coverage_shows_on_the_patrol_coverage_page_and_its_own(client, city, fleet):
    client.force_login(city["officer"])
    client.post(f"{API}/{fleet['car_a'].pk}/track/points", batch(8), content_type="application/json")
    html = client.get("/patrol/coverage/").content.decode()
    assert "车辆巡查覆盖" in html and "龙亭一号责任网格" in html
    page = client.get("/assets/coverage/").content.decode()
    assert "执法车A" in page and "执法车B" not in page
    assert client.get(f"/assets/vehicles/{fleet['car_a'].pk}/").status_code == 200
    assert client.get(f"/assets/vehicles/{fleet['car_b'].pk}/").status_code == 404
    index = client.get("/assets/").content.decode()
    assert "DSJ-A-0001" in index and "激光测距仪" in index and "DSJ-B-0001" not in index
    client.force_login(city["outsider"])
    assert client.get("/assets/").status_code == 403
    assert "车辆巡查覆盖" not in client.get("/patrol/coverage/").content.decode()
