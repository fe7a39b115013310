"""The grid map page."""

import json

import pytest

pytestmark = pytest.mark.django_db


def config_of(response) -> dict:
    html = response.content.decode()
    start = html.index('<script id="grid-map-config" type="application/json">') + len(
        '<script id="grid-map-config" type="application/json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_it_shows_the_map_with_leaflet_from_the_package_and_no_tiles(city, grid_city, login):
    response = login(city["supervisor"]).get("/grids/map/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/leaflet/leaflet.js" in html
    assert "http://" not in html and "https://" not in html  # nothing fetched from elsewhere
    config = config_of(response)
    assert config["tileUrl"] == ""
    assert [d["name"] for d in config["districts"]] == ["龙亭区", "顺河回族区"]
    assert config["locateUrl"] == "/api/v1/geo/locate"


def test_it_is_in_chinese_by_default(city, login):
    html = login(city["operator"]).get("/grids/map/").content.decode()
    assert "网格地图" in html
    assert config_of(login(city["operator"]).get("/grids/map/"))["labels"]["unitGrid"] == "单元网格"


def test_a_tile_url_adds_a_base_map_in_its_coordinate_system(city, login, settings):
    settings.MAP_TILE_URL = "/tiles/{z}/{x}/{y}.png"
    settings.MAP_TILE_CRS = "cgcs2000"
    config = config_of(login(city["operator"]).get("/grids/map/"))
    assert config["tileUrl"] == "/tiles/{z}/{x}/{y}.png"
    assert config["crs"] == "cgcs2000"


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get("/grids/map/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_home_page_links_to_the_map(city, login):
    assert "/grids/map/" in login(city["outsider"]).get("/").content.decode()
