"""GET/POST /api/v1/geo/locate and the GeoJSON layers."""

import pytest

from chengguan.core.coords import from_storage

pytestmark = pytest.mark.django_db


def test_it_locates_a_point_with_its_whole_hierarchy(city, grid_city, api_client):
    body = api_client(city["operator"]).get("/api/v1/geo/locate?lng=114.3025&lat=34.8175").json()
    assert body["unit_grid"]["code"] == "410202001001001"
    assert body["community"] == {"id": city.community_a1.pk, "code": "410202001001", "name": "西门社区"}
    assert body["street"]["name"] == "北道门街道"
    assert body["district"]["name"] == "龙亭区"
    assert body["responsibility_grid"]["code"] == "RG-410202-01"
    assert (body["lng"], body["lat"]) == (114.3025, 34.8175)


def test_it_converts_the_crs_of_the_query(city, grid_city, api_client):
    lng, lat = from_storage(114.3025, 34.8175, "bd09")
    body = api_client(city["operator"]).get(f"/api/v1/geo/locate?lng={lng}&lat={lat}&crs=bd09").json()
    assert body["unit_grid"]["code"] == "410202001001001"
    assert body["lng"] == pytest.approx(114.3025, abs=1e-9)


def test_a_point_outside_the_city_is_a_clear_422(city, grid_city, api_client):
    response = api_client(city["operator"]).get("/api/v1/geo/locate?lng=116.404&lat=39.915")
    assert response.status_code == 422
    assert response.json()["code"] == "outside_city"
    assert response.json()["field"] == "lng"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("lng=114.3&lat=34.8&crs=mars", "crs"),
        ("lng=500&lat=34.8", "lng"),
        ("lng=abc&lat=34.8", "lng"),
        ("lat=34.8", "lng"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(city, grid_city, api_client, query, field):
    response = api_client(city["operator"]).get(f"/api/v1/geo/locate?{query}")
    assert response.status_code == 422
    assert response.json()["field"] == field


def test_it_locates_a_batch(city, grid_city, api_client):
    points = [[114.3025, 34.8175], [116.4, 39.9], [114.3325, 34.8025]]
    response = api_client(city["operator"]).post(
        "/api/v1/geo/locate", {"crs": "gcj02", "points": points}, content_type="application/json"
    )
    body = response.json()
    assert (body["found"], body["outside"]) == (2, 1)
    assert body["results"][0]["unit_grid"]["code"] == "410202001001001"
    assert body["results"][1] is None
    assert body["results"][2]["district"]["code"] == "410203000000"


def test_a_batch_over_the_limit_is_refused(city, grid_city, api_client, settings):
    settings.GEO_BATCH_LIMIT = 3
    response = api_client(city["operator"]).post(
        "/api/v1/geo/locate", {"points": [[114.3, 34.8]] * 4}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "too_many_points"
    assert response.json()["field"] == "points"


def test_a_malformed_batch_is_a_422(city, grid_city, api_client):
    response = api_client(city["operator"]).post(
        "/api/v1/geo/locate", {"points": [[114.3]]}, content_type="application/json"
    )
    assert response.status_code == 422


def test_the_geo_api_needs_a_signed_in_user(city, grid_city, client):
    assert client.get("/api/v1/geo/locate?lng=114.3025&lat=34.8175").status_code == 401
    assert client.get("/api/v1/geo/unit-grids.geojson").status_code == 401
    assert (
        client.post("/api/v1/geo/locate", {"points": []}, content_type="application/json").status_code == 401
    )


def test_the_outsider_and_a_user_without_roles_may_locate(city, grid_city, api_client):
    # the grid map is shared knowledge: locating is not limited to one's own district
    for persona in ("outsider", "nobody"):
        response = api_client(city[persona]).get("/api/v1/geo/locate?lng=114.3025&lat=34.8175")
        assert response.status_code == 200


def test_it_serves_unit_grids_in_a_bounding_box(city, grid_city, api_client):
    client = api_client(city["operator"])
    body = client.get("/api/v1/geo/unit-grids.geojson?bbox=114.301,34.801,114.304,34.804").json()
    assert [f["properties"]["code"] for f in body["features"]] == ["410202001001007"]
    everything = client.get("/api/v1/geo/unit-grids.geojson").json()
    assert len(everything["features"]) == 32
    assert everything["truncated"] is False
    district_b = client.get("/api/v1/geo/unit-grids.geojson?region=410203000000").json()
    assert {f["properties"]["district"] for f in district_b["features"]} == {"410203"}
    assert client.get("/api/v1/geo/unit-grids.geojson?bbox=1,2,3").status_code == 422


def test_it_serves_region_boundaries(city, api_client):
    body = api_client(city["operator"]).get("/api/v1/geo/regions.geojson?level=community").json()
    assert [f["properties"]["name"] for f in body["features"]] == ["西门社区", "东门社区", "清平社区"]


def test_it_describes_one_unit_grid(city, grid_city, api_client):
    client = api_client(city["operator"])
    body = client.get("/api/v1/geo/unit-grids/410202001001001").json()
    assert body["street"]["code"] == "410202001000"
    assert body["responsibility_grids"][0]["supervisors"] == ["supervisor"]
    assert client.get("/api/v1/geo/unit-grids/410202001001999").status_code == 404
