"""/api/v1/illegal-buildings and the ledger pages: the same rules over HTTP, the same-day rate in the list answer,
4xx naming the field with nothing written, outsiders refused (403 without a role, 404 outside the region)."""

from decimal import Decimal

import pytest
import time_machine

from chengguan.buildings.models import IllegalBuilding
from chengguan.org.models import Role, RoleAssignment, User

from .conftest import at

URL = "/api/v1/illegal-buildings"


def payload(**extra):
    data = {"region": "410202001001", "address": "西门大街88号后院", "lng": 114.305, "lat": 34.811, "area_m2": "86.4",
            "floors": 1, "households": 1, "use": "commercial", "category": "new", "source": "patrol",
            "party_name": "李某"}
    data.update(extra)
    return data


@time_machine.travel(at(2026, 5, 12, 9), tick=False)
def test_the_ledger_over_the_api_from_discovery_to_demolition(city, body, api_client, campaign):
    officer = api_client(city["officer"])
    r = officer.post(URL, payload(campaign=campaign.code), content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert officer.post(f"{URL}/{pk}/stop", {"note": "责令停止"}, content_type="application/json").status_code == 200
    r = officer.post(f"{URL}/{pk}/clue")
    assert r.status_code == 200 and r.json()["same_day"] is True and r.json()["enforcement_cases"]
    listing = officer.get(URL).json()
    assert (listing["count"], listing["same_day_new"], listing["same_day_done"], listing["same_day_rate"]) == (
        1, 1, 1, 1.0)
    r = officer.post(f"{URL}/{pk}/demolish", {"demolished_on": "2026-05-12"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "demolished"
    tally = officer.get(f"{URL}/campaigns/{campaign.pk}").json()
    assert (tally["items"], Decimal(str(tally["area_m2"])), tally["target_items"]) == (1, Decimal("86.4"), 3)
    r = officer.post(f"{URL}/{pk}/demolish", {"demolished_on": "2026-05-12"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["field"] == "status"


@pytest.mark.parametrize("field,value", [("area_m2", "-3"), ("floors", 0), ("use", "castle"), ("region", "999"),
                                         ("source", "rumour"), ("campaign", "NOPE")])
def test_bad_input_is_a_4xx_naming_the_field_and_writes_nothing(city, api_client, field, value):
    r = api_client(city["officer"]).post(URL, payload(**{field: value}), content_type="application/json")
    assert r.status_code in (400, 422), r.content
    assert r.json()["field"] == field
    assert not IllegalBuilding.objects.exists()


def test_outsiders_see_and_do_nothing(city, body, api_client, login, register):
    b = register(at(2026, 5, 12))
    for who in ("outsider", "supervisor", "department_handler", "nobody"):
        c = api_client(city[who])
        assert c.get(URL).status_code == 403
        assert c.post(URL, payload(), content_type="application/json").status_code == 403
        assert c.post(f"{URL}/{b.pk}/stop", {}, content_type="application/json").status_code == 403
        page = login(city[who])
        for url in ("/buildings/", "/buildings/map/", f"/buildings/{b.pk}/", "/buildings/projects/",
                    "/buildings/map.geojson"):
            assert page.get(url).status_code == 403, (who, url)
    other = User.objects.create_user(username="officer_b")
    RoleAssignment.objects.create(user=other, role=Role.OFFICER, region=city.district_b, department=city.brigade_b)
    assert api_client(other).get(f"{URL}/{b.pk}").status_code == 404
    assert api_client(other).get(URL).json()["count"] == 0
    assert login(other).get(f"/buildings/{b.pk}/").status_code == 404
    b.refresh_from_db()
    assert b.status == "pending" and b.events.count() == 1
    assert api_client(city["officer"]).get(f"{URL}/{b.pk}").status_code == 200  # positive control


def test_the_party_is_shown_only_to_those_who_may_read_the_ledger(city, body, login, register):
    b = register(at(2026, 5, 12), party_name="李四海")
    assert "李四海" in login(city["officer"]).get(f"/buildings/{b.pk}/").content.decode()
    for who in ("outsider", "supervisor"):
        r = login(city[who]).get(f"/buildings/{b.pk}/")
        assert r.status_code == 403 and "李四海" not in r.content.decode()


@time_machine.travel(at(2026, 5, 12, 9), tick=False)
def test_the_pages_walk_an_item(city, body, login, project, register):
    c = login(city["officer"])
    r = c.post("/buildings/new/", {"region": city.community_a1.pk, "address": "东门街5号", "lng": 114.315,
                                   "lat": 34.81, "area_m2": "0", "floors": 1, "households": 1, "use": "storage",
                                   "category": "new", "source": "patrol"})
    assert r.status_code == 400 and not IllegalBuilding.objects.exists()
    r = c.post("/buildings/new/", {"region": city.community_a1.pk, "address": "东门街5号", "lng": 114.315,
                                   "lat": 34.81, "area_m2": "45", "floors": 1, "households": 2, "use": "storage",
                                   "category": "new", "source": "patrol", "project": project.pk})
    b = IllegalBuilding.objects.get()
    assert r.status_code == 302
    c.post(f"/buildings/{b.pk}/stop", {"note": "现场制止"})
    c.post(f"/buildings/{b.pk}/clue")
    c.post(f"/buildings/{b.pk}/demolish", {"demolished_on": "2026-05-12", "area_m2": "45"})
    b.refresh_from_db()
    assert b.status == "demolished" and b.same_day
    page = c.get(f"/buildings/{b.pk}/").content.decode()
    assert "现场制止" in page and "登记执法线索" in page and "已拆除" in page
    ledger = c.get("/buildings/").content.decode()
    assert "100%" in ledger and b.number in ledger
    project_page = c.get(f"/buildings/projects/{project.pk}/").content.decode()
    assert "2 / 34" in project_page
    geo = c.get("/buildings/map.geojson").json()
    assert geo["features"][0]["properties"]["number"] == b.number


def test_projects_and_campaign_tallies_are_for_the_region_only(city, body, api_client, login, project, campaign):
    officer = api_client(city["officer"])
    assert [p["code"] for p in officer.get(f"{URL}/projects").json()] == ["XM-01"]
    assert officer.get(f"{URL}/campaigns/{campaign.pk}").json()["target_items"] == 3
    assert login(city["officer"]).get(f"/buildings/campaigns/{campaign.pk}/").status_code == 200
    other = User.objects.create_user(username="officer_b")
    RoleAssignment.objects.create(user=other, role=Role.OFFICER, region=city.district_b, department=city.brigade_b)
    assert api_client(other).get(f"{URL}/projects").json() == []
    assert api_client(other).get(f"{URL}/campaigns/{campaign.pk}").status_code == 404
    assert login(other).get(f"/buildings/projects/{project.pk}/").status_code == 404
    assert login(other).get(f"/buildings/campaigns/{campaign.pk}/").status_code == 404
    for who in ("outsider", "supervisor", "nobody"):
        assert api_client(city[who]).get(f"{URL}/projects").status_code == 403
        assert api_client(city[who]).get(f"{URL}/campaigns/{campaign.pk}").status_code == 403
        assert login(city[who]).get(f"/buildings/campaigns/{campaign.pk}/").status_code == 403


def test_the_openapi_document_lists_the_resource(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/illegal-buildings", "/api/v1/illegal-buildings/{building_id}/demolish"} <= set(paths)
    assert {"/api/v1/permits", "/api/v1/permits/{application_id}/extend", "/api/v1/permits/register"} <= set(paths)
