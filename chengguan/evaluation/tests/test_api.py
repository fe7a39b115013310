"""`GET /api/v1/evaluation/{party}?period=...` and the measures endpoint, with the scope rules."""

import pytest

from .scenario import build_march


@pytest.fixture
def march(story, city):
    return build_march(story, city)


def test_it_returns_a_ranking_with_nulls_for_no_value(march, api_client, city):
    response = api_client(city["leader"]).get("/api/v1/evaluation/department?period=2026-03")
    assert response.status_code == 200
    body = response.json()
    assert body["period"] == {"code": "2026-03", "kind": "month", "start": "2026-03-01", "end": "2026-03-31"}
    rows = {r["name"]: r for r in body["rows"]}
    sanitation = rows[city.sanitation.name]
    assert (sanitation["rank"], sanitation["grade"], sanitation["values"]["need_handle"]) == (1, "C", 3)
    assert sanitation["values"]["rework_rate"] == 33.33
    roads = rows[city.roads.name]
    assert roads["values"]["handle_rate"] is None and roads["score"] is None
    assert any(i["key"] == "rework_rate" and i["better"] == "lower" for i in body["indicators"])


def test_it_serves_every_period_kind(march, api_client, city):
    client = api_client(city["leader"])
    for period, kind in [
        ("2026-03-10", "day"),
        ("2026-W11", "week"),
        ("2026-Q1", "quarter"),
        ("2026", "year"),
        ("2026-03-09..2026-03-12", "custom"),
    ]:
        body = client.get(f"/api/v1/evaluation/supervisor?period={period}").json()
        assert body["period"]["kind"] == kind
    day = client.get("/api/v1/evaluation/supervisor?period=2026-03-10").json()
    sup = next(r for r in day["rows"] if r["name"] == str(city["supervisor"]))
    assert sup["values"]["reports"] == 2  # cases 1 and 2 were reported on the 10th


def test_region_levels_and_parents(march, api_client, city):
    client = api_client(city["leader"])
    body = client.get(
        f"/api/v1/evaluation/region?period=2026-03&level=community&parent={city.street_a.pk}"
    ).json()
    assert body["level"] == "community"
    assert {r["name"] for r in body["rows"]} == {city.community_a1.name, city.community_a2.name}


@pytest.mark.parametrize(
    "period", ["2026-13", "2026-W60", "yesterday", "2026-03-10..2026-03-01", "2026-02-30"]
)
def test_a_bad_period_is_a_422_naming_period(api_client, city, period):
    response = api_client(city["leader"]).get(f"/api/v1/evaluation/region?period={period}")
    assert response.status_code == 422
    assert response.json()["field"] == "period"


def test_an_unknown_level_is_a_422_naming_level(api_client, city):
    response = api_client(city["leader"]).get("/api/v1/evaluation/region?period=2026-03&level=planet")
    assert (response.status_code, response.json()["field"]) == (422, "level")


def test_scope_rules(march, api_client, city):
    outsider = api_client(city["outsider"])
    body = outsider.get("/api/v1/evaluation/region?period=2026-03").json()
    assert [r["name"] for r in body["rows"]] == [city.district_b.name]
    response = outsider.get(
        f"/api/v1/evaluation/region?period=2026-03&level=street&parent={city.district_a.pk}"
    )
    assert response.status_code == 404
    assert api_client(city["nobody"]).get("/api/v1/evaluation/region?period=2026-03").status_code == 403
    assert api_client(city["department_handler"]).get("/api/v1/evaluation/region").status_code == 403
    assert api_client(city["leader"]).get("/api/v1/evaluation/mayor").status_code == 404


def test_it_needs_authentication(client):
    assert client.get("/api/v1/evaluation/region").status_code == 401


def test_the_measures_endpoint(march, api_client, city):
    body = api_client(city["admin"]).get("/api/v1/evaluation/measures?period=2026-03").json()
    tables = {t["id"]: t for t in body["tables"]}
    rates = {r["name"]: r for r in tables["rates"]["rows"]}
    assert rates[city.district_a.name]["discovery_rate"] == 66.67
    sources = {(r["source"], r["channel"]): r for r in tables["sources"]["rows"]}
    assert sum(r["reported"] for r in sources.values()) == 7
    assert {r["way"] for r in tables["seven_two_one"]["rows"]}
