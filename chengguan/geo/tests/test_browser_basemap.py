"""The shared base map, offline (issue #14): the case page, the dashboard and the citizen's report form draw
the platform's own MBTiles tiles, and nothing is fetched from another host. Screenshots stay in
artifacts/screenshots/maps-*.png."""

import pytest

from chengguan.tests_system.browser import requires_chromium

pytestmark = [
    pytest.mark.browser,
    requires_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def streets(settings, tmp_path, gazetteer):
    from chengguan.geo import basemaps
    from chengguan.geo.render import Scene, build_mbtiles

    settings.MAPS_DIR = tmp_path / "maps"
    source = tmp_path / "streets.mbtiles"
    build_mbtiles(source, min_zoom=12, max_zoom=16, detail_from=12, scene=Scene.from_database())
    return basemaps.add_mbtiles(source, name="streets", crs="gcj02", label="矢量")


def tiles_drawn(b):
    b.wait(lambda d: b.js("return document.querySelectorAll('.leaflet-tile-loaded').length") > 0, "no tile drawn")
    return b.js("return performance.getEntriesByType('resource').filter(e => e.name.includes('/maps/tiles/streets/')).length")


def test_the_case_page_dashboard_and_portal_draw_the_offline_base_map(browser, city, grid_city, streets, settings, tmp_path):
    from chengguan.cases.testing import report
    from chengguan.catalog.models import MatterType
    from chengguan.grids.geocoder import locate

    settings.MEDIA_ROOT = tmp_path / "media"
    locate(114.325, 34.8125)
    case = report(city, MatterType.objects.get(code="06010"), point=(114.325, 34.8125), by="operator",
                  source="hotline", address="夷山大街201号")
    b = browser
    b.sign_in(city["operator"])
    b.get(f"/cases/{case.pk}/")
    assert tiles_drawn(b) > 0  # the positive control for the absence below
    b.wait(lambda d: b.all("#case-map path.leaflet-interactive, #case-map svg path"), "no grid outline on the case map")
    b.shoot("maps-case")
    assert b.foreign_requests() == [] and b.console_errors() == []

    b.sign_in(city["leader"])
    b.get("/dashboard/")
    assert tiles_drawn(b) > 0
    b.shoot("maps-dashboard")
    assert b.foreign_requests() == [] and b.console_errors() == []

    b.sign_out()
    b.get("/p/report/")
    assert tiles_drawn(b) > 0
    b.shoot("maps-portal-report")
    assert b.foreign_requests() == [] and b.console_errors() == []
