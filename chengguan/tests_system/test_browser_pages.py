"""The command-centre dashboard and the evaluation ranking pages look right in headless Chromium (issue #4), on
the wall screen (1920×1080) and on a phone (390×844), with the demo loaders' data (cases in every state with
their histories, evaluation facts, assessment records, red-light notices).

"Look right", in ways that can fail: the page is not wider than the screen (tables may scroll inside their own
container); the map and the charts have a size and the map draws something; the KPI tiles and the ranking table
are visible and hold numbers; no JavaScript error or failed request in the browser log; nothing is fetched from
another host; Chinese is rendered with a real CJK font (not the empty boxes of a missing glyph).
Screenshots of every page and size are kept in artifacts/screenshots/ for the reviewer.
"""

import io
import re

import pytest
from django.utils import timezone

from .browser import PHONE, WALL, requires_chromium
from .figures import add

pytestmark = [
    pytest.mark.browser,
    requires_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SIZES = {"wall": WALL, "phone": PHONE}
NUMBER = re.compile(r"^(—|-?\d[\d,]*(\.\d+)?\s*%?)$")
# Draws a CJK string and a string of unassigned code points (which every font shows as the .notdef box) in the
# page's own font; the same pixels mean the CJK glyphs are missing too.
CJK_RENDERS = """
const font = getComputedStyle(document.querySelector('h1')).font;
function draw(text) {
  const c = document.createElement('canvas'); c.width = 120; c.height = 40;
  const g = c.getContext('2d'); g.font = font; g.fillText(text, 4, 30); return c.toDataURL();
}
return draw('城管考核') !== draw('\\u0378\\u0379\\u0380\\u0381');
"""
CANVAS_DRAWN = """
const canvases = arguments[0].querySelectorAll('canvas');
for (const c of canvases) {
  if (!c.width || !c.height) continue;
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  for (let i = 3; i < data.length; i += 4) if (data[i]) return true;
}
return false;
"""


@pytest.fixture
def demo_city(city, monkeypatch):
    """The demo loaders on the test city: a few cases in every state, then the evaluation's facts and records."""
    from chengguan.cases import demo as cases_demo
    from chengguan.cases import workflow
    from chengguan.evaluation import demo as evaluation_demo
    from chengguan.grids.testing import make_grids

    make_grids(city)
    monkeypatch.setattr(cases_demo, "PLAN", {state: 3 for state in workflow.STATES})
    cases_demo.load(stdout=io.StringIO())
    evaluation_demo.load(stdout=io.StringIO())
    return city


def check_page(b, name):
    """The checks every page passes at every size; returns the screenshot's path."""
    b.wait(lambda d: d.execute_script("return document.readyState") == "complete", f"{name} did not load")
    h1 = b.css("h1").text
    assert re.search(r"[\u4e00-\u9fff]", h1), f"{name}: the heading is not in Chinese: {h1!r}"
    assert b.js(CJK_RENDERS), f"{name}: Chinese text renders as missing glyphs (is fonts-noto-cjk installed?)"
    assert b.page_overflow() <= 0, f"{name} is wider than the screen: {b.overflowing()}"
    assert not b.foreign_requests(), f"{name} fetched from another host: {b.foreign_requests()}"
    errors = b.console_errors()
    assert not errors, f"{name}: errors in the browser log: {errors}"
    return b.shoot(name)


def visible_size(b, element):
    return b.js("const r = arguments[0].getBoundingClientRect(); return [r.width, r.height]", element)


def test_the_dashboard_and_the_rankings_look_right_on_the_wall_and_on_a_phone(browser, demo_city):
    """One test for both sizes, so the demo data is loaded once."""
    for size in SIZES:
        check_size(browser, demo_city, size)


def check_size(b, demo_city, size):
    width, height = SIZES[size]
    if size == "phone":
        b.phone()
    else:
        b.desktop(width, height)
    b.sign_in(demo_city["leader"])

    # the command-centre dashboard
    b.get("/dashboard/")
    assert b.js("return [innerWidth, innerHeight]") == [width, height]
    the_map = b.css("#dash-map")
    b.wait(
        lambda d: b.js(CANVAS_DRAWN, the_map), "the dashboard map drew nothing (no grids, cases or outlines)"
    )
    w, h = visible_size(b, the_map)
    assert w >= (0.5 * width if size == "wall" else width - 40) and h >= 300, f"the map is {w}×{h}"
    tiles = b.all(".dkpi")
    assert len(tiles) == 9 and all(t.is_displayed() for t in tiles)
    values = [b.css("strong", t).text for t in tiles]
    assert all(NUMBER.match(v) for v in values), f"KPI tiles without a number: {values}"
    assert int(values[4]) > 0, "the demo has open cases"
    # ECharts draws sources, trend, top problems and timeliness; each chart keeps its text alternative
    b.wait(lambda d: len(b.all(".echart[data-drawn] canvas")) >= 4, "the dashboard charts were not drawn")
    for chart in b.all(".echart"):
        assert min(visible_size(b, chart)) > 50, "a dashboard chart has no size"
        assert chart.get_attribute("role") == "img" and chart.get_attribute("aria-label")
    assert b.css("header.topbar").is_displayed() is False, "the site header shows on the wall screen"
    assert b.all(".dash-side .dash-table tbody tr td a"), "the overdue list is empty"
    if size == "wall":  # the wall screen shows everything at once, without scrolling, nor do its columns
        assert b.js("return document.documentElement.scrollHeight") <= height
        for column in (".dash-side", ".dash-left"):
            assert (
                b.js(f"var e = document.querySelector('{column}'); return getComputedStyle(e).overflowY")
                == "hidden"
            )
    check_page(b, f"dashboard-{size}")

    # the ranking tables: regions (districts) and departments, with their trend charts
    year = timezone.localdate().year  # the demo's cases are of the last weeks
    for party in ("region", "department"):
        b.get(f"/evaluation/rank/{party}/?period={year}")
        table = b.css("table.eval-table")
        assert table.is_displayed()
        rows = b.all("tbody tr", table)
        assert rows and not b.all("td[colspan]", table), f"the {party} ranking is empty"
        cells = [c.text for c in b.all("tbody td.num", table)]
        assert cells and all(NUMBER.match(c) for c in cells if c), (
            f"{party}: cells that are not numbers: {cells}"
        )
        assert any(re.search(r"[1-9]", c) for c in cells), f"{party}: only zeros in the ranking"
        if size == "phone":  # the table may be wider than a phone, but then it scrolls inside its wrapper
            wrap = b.css(".table-wrap")
            assert b.js("return arguments[0].clientWidth <= innerWidth", wrap)
        b.wait(lambda d: b.all(".echart[data-drawn] canvas"), f"the {party} charts were not drawn")
        trend = b.all(".echart")[-1]
        assert min(visible_size(b, trend)) > 50, f"the {party} trend chart has no size"
        check_page(b, f"ranking-{party}-{size}")
    add("browser: pages checked", 3)
