"""The wall screen's charts (sources, daily trend, timeliness, top problems) are ECharts options served with a
text alternative, within the viewer's scope; the ECharts file is the vendored one, not a CDN."""

import json
import re

from django.contrib.staticfiles import finders
from django.urls import reverse

from .test_dashboard import live  # noqa: F401 - the fixture


def _charts(body: str) -> dict:
    """aria-label → ECharts option of every chart on the page."""
    found = {}
    for m in re.finditer(
        r'<div class="echart [^"]*" role="img" aria-label="([^"]*)" data-echart="([^"]*)"', body
    ):
        option = json.loads(m.group(2).replace("&quot;", '"').replace("&amp;", "&").replace("&#x27;", "'"))
        found[m.group(1)] = option
    return found


def test_the_screen_draws_four_charts_with_text_alternatives(live, login, city):  # noqa: F811
    body = login(city["leader"]).get(reverse("dashboard:index")).content.decode()
    assert "core/vendor/echarts/echarts.min.js" in body and "cdn" not in body.lower()
    charts = _charts(body)
    assert len(charts) == 4, list(charts)
    sources = next(o for alt, o in charts.items() if alt.startswith("来源分布"))
    assert [d["value"] for d in sources["series"][0]["data"]] == [3]  # the three supervisor reports
    trend = next(o for o in charts.values() if o["series"][0]["type"] == "line")
    assert len(trend["xAxis"]["data"]) == 14 and trend["xAxis"]["axisLabel"]["hideOverlap"] is True
    assert trend["series"][0]["data"][-1] == 2 and sum(trend["series"][0]["data"]) == 3  # reported per day
    timeliness = [o for o in charts.values() if o.get("color") == ["#22c55e", "#ef4444", "#94a3b8"]][0]
    assert [d["value"] for d in timeliness["series"][0]["data"]] == [2, 1, 0]  # in time, overdue, hung up
    # every chart says in words what it shows
    assert all(alt and any(ch.isdigit() for ch in alt) for alt in charts)


def test_the_vendored_echarts_ships_with_its_licence():
    path = finders.find("core/vendor/echarts/echarts.min.js")
    assert path and finders.find("core/vendor/echarts/LICENSE")
    with open(path, encoding="utf-8") as f:
        assert "Apache Software Foundation" in f.read(400)  # the Apache-2.0 header of the npm build


def test_the_left_column_refreshes_within_scope(live, login, city):  # noqa: F811
    mine = login(city["outsider"]).get(reverse("dashboard:panels") + "?part=left").content.decode()
    sources = [o for o in _charts(mine).values() if o["series"][0]["type"] == "pie"][0]
    assert [d["value"] for d in sources["series"][0]["data"]] == [1]  # district B's one report, not A's


def test_an_outsider_gets_no_chart_panel(live, login, city, client):  # noqa: F811
    login(city["nobody"])
    assert client.get(reverse("dashboard:panels") + "?part=left").status_code == 403
    login(city["leader"])
    assert client.get(reverse("dashboard:panels") + "?part=left").status_code == 200  # positive control
