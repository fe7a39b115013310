"""More of issue #14 in headless Chromium: overlays follow a switch of the base map to another coordinate system,
and the citizen finds the place by its address on a phone (no sign-in). Screenshots: artifacts/screenshots/."""

import pytest

from chengguan.tests_system.browser import requires_chromium

pytestmark = [
    pytest.mark.browser,
    requires_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

STORED = (114.325, 34.8125)  # GCJ-02, 夷山大街201号

MARKER = """var m = ChengguanMap.maps[0], out = null, poly = null;
m.eachLayer(function (l) { if (l instanceof L.Marker && !out) { out = l.getLatLng(); }
  if (l instanceof L.Polygon && !poly) { poly = l.getLatLngs()[0][0]; } });
var back = out ? ChengguanMap.fromMap(out) : null;
return {lng: out && out.lng, lat: out && out.lat, plng: poly && poly.lng, plat: poly && poly.lat, crs: ChengguanMap.crs(),
        back: back && [back.lng, back.lat]};"""


@pytest.fixture
def two_systems(settings, tmp_path, gazetteer):
    """The same tiles registered twice, declared GCJ-02 and WGS84: switching moves every overlay by the offset."""
    from chengguan.geo import basemaps
    from chengguan.geo.render import Scene, build_mbtiles

    settings.MAPS_DIR = tmp_path / "maps"
    source = tmp_path / "streets.mbtiles"
    build_mbtiles(source, min_zoom=12, max_zoom=15, detail_from=12, scene=Scene.from_database())
    basemaps.add_mbtiles(source, name="streets", crs="gcj02", label="矢量")
    basemaps.add_mbtiles(source, name="streets-wgs", crs="wgs84", label="矢量WGS")


def switch_to(b, label):
    b.js("""var inputs = document.querySelectorAll('.leaflet-control-layers-base label');
    for (var i = 0; i < inputs.length; i++) { if (inputs[i].textContent.trim() === arguments[0]) {
      inputs[i].querySelector('input').click(); } }""", label)


def test_overlays_redraw_in_the_right_place_when_the_base_switches_system(browser, city, grid_city, two_systems,
                                                                          settings, tmp_path):
    from chengguan.cases.testing import report
    from chengguan.catalog.models import MatterType
    from chengguan.core.coords import from_storage

    settings.MEDIA_ROOT = tmp_path / "media"
    case = report(city, MatterType.objects.get(code="06010"), point=STORED, by="operator", source="hotline",
                  address="夷山大街201号")
    b = browser
    b.sign_in(city["operator"])
    b.get(f"/cases/{case.pk}/")
    b.wait(lambda d: b.js(MARKER)["plng"] is not None, "no grid outline on the case map")
    before = b.js(MARKER)
    assert before["crs"] == "gcj02" and abs(before["lng"] - STORED[0]) < 1e-9 and abs(before["lat"] - STORED[1]) < 1e-9

    switch_to(b, "矢量WGS")
    b.wait(lambda d: b.js(MARKER)["crs"] == "wgs84", "the base did not switch")
    after = b.js(MARKER)
    wlng, wlat = from_storage(*STORED, "wgs84")
    assert abs(after["lng"] - wlng) < 1e-7 and abs(after["lat"] - wlat) < 1e-7  # the marker moved by the offset
    assert abs(after["lng"] - before["lng"]) > 0.004  # ~500 m in Kaifeng: a real move, not a no-op
    dx, dy = after["plng"] - before["plng"], after["plat"] - before["plat"]
    assert abs(dx - (after["lng"] - before["lng"])) < 2e-5 and abs(dy - (after["lat"] - before["lat"])) < 2e-5
    assert abs(after["back"][0] - STORED[0]) < 1e-7 and abs(after["back"][1] - STORED[1]) < 1e-7  # reads back stored
    b.wait(lambda d: b.js("return performance.getEntriesByType('resource').filter("
                          "e => e.name.includes('/maps/tiles/streets-wgs/')).length") > 0, "no WGS tile asked for")
    b.shoot("maps-case-switched-wgs84")

    switch_to(b, "矢量")
    b.wait(lambda d: b.js(MARKER)["crs"] == "gcj02", "the base did not switch back")
    again = b.js(MARKER)
    assert abs(again["lng"] - STORED[0]) < 1e-7 and abs(again["plng"] - before["plng"]) < 1e-7
    assert b.foreign_requests() == [] and b.console_errors() == []


def test_a_citizen_finds_the_place_by_its_address_on_a_phone(browser, city, grid_city, gazetteer):
    from chengguan.grids.geocoder import locate

    locate(*STORED)
    b = browser
    b.phone()
    b.sign_out()
    b.get("/p/report/")
    b.css("#address-search").send_keys("夷山201")
    b.wait(lambda d: b.all(".address-candidate"), "no candidate for 夷山201 on the portal")
    assert "清平社区" in b.all(".address-candidate")[0].text
    b.all(".address-candidate")[0].click()
    b.wait(lambda d: b.css("#id_lng").get_attribute("value"), "the point was not filled")
    assert abs(float(b.css("#id_lng").get_attribute("value")) - STORED[0]) < 1e-6
    assert b.css("#id_crs").get_attribute("value") == "gcj02"
    b.wait(lambda d: "清平社区" in b.css("#location-status").text, "the place was not named")
    assert b.css("#id_address").get_attribute("value").startswith("顺河回族区夷山大街201号")
    assert b.page_overflow() <= 0
    b.shoot("maps-portal-address-phone")
    b.css("#address-search").clear()
    b.css("#address-search").send_keys("火星路1号")
    b.wait(lambda d: b.css(".address-none").is_displayed(), "an unknown address said nothing")
    assert "没有找到" in b.css(".address-none").text
    assert b.foreign_requests() == [] and b.console_errors() == []
