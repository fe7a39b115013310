import json
import re
from types import SimpleNamespace

import pytest

from chengguan.geo.templatetags.geo_maps import coverage_map

pytestmark = pytest.mark.django_db


def test_the_coverage_map_marks_the_visited_unit_grids(grid_city):
    first = grid_city.responsibility_a.unit_grids.order_by("code").first()
    html = coverage_map([SimpleNamespace(grid=grid_city.responsibility_a, visited=[first.pk])])
    data = json.loads(re.search(r'id="coverage-map-data"[^>]*>(.*?)</script>', html, re.S).group(1))
    assert len(data["features"]) == grid_city.responsibility_a.unit_grids.count() == 16
    assert [f["properties"]["code"] for f in data["features"] if f["properties"]["visited"]] == [first.code]
    assert "geo/coverage.js" in html and "basemap-config" in html
    assert coverage_map([]) == ""
