import pytest

from chengguan.core.coords import from_storage


@pytest.mark.django_db
def test_search_answers_ranked_candidates_with_grid_and_score(gazetteer, api_client, city):
    body = api_client(city["operator"]).get("/api/v1/geo/addresses", {"q": "夷山201"}).json()
    top = body["results"][0]
    assert top["full"].startswith("顺河回族区夷山大街201号")
    assert top["community"]["name"] == "清平社区"
    assert top["unit_grid"]["code"].startswith("410203001001")
    assert 0 < top["score"] <= 1
    assert body["results"][0]["score"] >= body["results"][-1]["score"]


@pytest.mark.django_db
def test_search_in_another_coordinate_system(gazetteer, api_client, city):
    body = api_client(city["operator"]).get("/api/v1/geo/addresses", {"q": "夷山201", "crs": "wgs84"}).json()
    lng, lat = from_storage(114.325, 34.8125, "wgs84")
    assert body["results"][0]["lng"] == pytest.approx(lng, abs=1e-6)


@pytest.mark.django_db
def test_an_unknown_address_is_an_empty_list_not_an_error(gazetteer, api_client, city):
    response = api_client(city["operator"]).get("/api/v1/geo/addresses", {"q": "火星路1号"})
    assert response.status_code == 200
    assert response.json() == {"query": "火星路1号", "count": 0, "results": []}


@pytest.mark.django_db
def test_bad_parameters_name_the_field(gazetteer, api_client, city):
    client = api_client(city["operator"])
    assert client.get("/api/v1/geo/addresses", {"q": "x" * 101}).json()["field"] == "q"
    assert client.get("/api/v1/geo/addresses", {"q": "夷山", "limit": 0}).json()["field"] == "limit"
    assert client.get("/api/v1/geo/reverse", {"lng": 200, "lat": 34}).json()["field"] == "lng"
    assert client.get("/api/v1/geo/reverse", {"lng": 114, "lat": 34, "crs": "x"}).json()["field"] == "crs"


@pytest.mark.django_db
def test_reverse_answers_address_road_community_and_grid(gazetteer, api_client, city):
    body = api_client(city["supervisor"]).get("/api/v1/geo/reverse", {"lng": 114.3251, "lat": 34.8126}).json()
    assert body["road"] == "夷山大街" and body["address"]["number"] == "201"
    assert body["community"]["name"] == "清平社区"
    assert body["unit_grid"]["code"].startswith("410203001001")
    far = api_client(city["supervisor"]).get("/api/v1/geo/reverse", {"lng": 100, "lat": 30}).json()
    assert far == {"address": None, "road": "", "community": None, "unit_grid": None, "responsibility_grid": None}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/api/v1/geo/addresses?q=夷山201", "/api/v1/geo/reverse?lng=114.33&lat=34.81", "/api/v1/geo/outlines?lng=114.33&lat=34.81"],
)
def test_an_anonymous_caller_is_refused(gazetteer, client, api_client, city, path):
    assert client.get(path).status_code == 401
    assert api_client(city["outsider"]).get(path).status_code == 200  # positive control: any signed-in user


@pytest.mark.django_db
def test_outlines_give_the_unit_grid_and_the_responsibility_grid(gazetteer, api_client, city):
    body = api_client(city["operator"]).get("/api/v1/geo/outlines", {"lng": 114.325, "lat": 34.8125}).json()
    kinds = {f["properties"]["kind"]: f for f in body["features"]}
    assert kinds["unit_grid"]["properties"]["code"].startswith("410203001001")
    assert kinds["responsibility_grid"]["properties"]["code"] == "RG-410203-01"
    assert kinds["responsibility_grid"]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    far = api_client(city["operator"]).get("/api/v1/geo/outlines", {"lng": 100, "lat": 30}).json()
    assert far["features"] == []


@pytest.mark.django_db
def test_the_hotline_form_speaks_chinese(gazetteer, login, city):
    from django.utils import translation

    with translation.override("zh-hans"):
        html = login(city["operator"]).get("/cases/new/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "查找地点" in html and "坐标（由地图填写" in html and 'value="hotline" selected' in html
    for english in ("Find the place", "Coordinates (", "Standard address", "Outside the city"):
        assert english not in html


@pytest.mark.django_db
def test_the_public_map_links_each_case_page_and_sends_no_reporter(grid_city, city, client):
    from chengguan.cases.testing import report
    from chengguan.catalog.models import MatterType

    case = report(city, MatterType.objects.get(code="06010"), by="operator", source="hotline",
                  reporter_name="王小明", reporter_phone="13900001234")
    body = client.get("/p/map.json").json()
    mine = [f for f in body["features"] if f["properties"]["number"] == case.number]
    assert mine and mine[0]["properties"]["url"] == f"/p/cases/{case.number}/"
    text = str(body)
    assert "王小明" not in text and "13900001234" not in text and "reporter" not in text
