"""axe-core (WCAG 2.1 A and AA rules) over one representative page per template, as the people who use it, in
zh-hans, with the demo data: 0 violations. axe comes from its npm package (tests_system/vendor/axe, MPL-2.0) and
is injected by the test; the site never serves it. One browser, one demo load, about 25 pages.

Also: every page has a skip link to the main content, and the 大字 (large text) toggle persists across pages."""

from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from .browser import PHONE, requires_chromium
from .figures import add
from .test_browser_pages import demo_city  # noqa: F401 - the fixture

pytestmark = [
    pytest.mark.browser,
    requires_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
AXE = Path(__file__).parent / "vendor" / "axe" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))}))))
  .catch(e => done([{id: 'axe-error', help: String(e), nodes: []}]));
"""


def _pages(city):
    """(persona or None, path, size) — one page per template, the citizen's on a phone."""
    from chengguan.cases.models import Case

    year = timezone.localdate().year
    case = Case.objects.filter(lng__isnull=False).order_by("pk").first()
    return [
        (None, "/accounts/login/", "desktop"),
        (None, "/p/", "phone"),
        (None, "/p/report/", "phone"),
        (None, "/p/follow/", "phone"),
        (None, "/p/mine/", "phone"),
        (None, "/p/map/", "phone"),
        (None, "/p/stats/", "phone"),
        ("citizen", None, "phone"),  # the citizen's case page
        ("leader", "/", "desktop"),
        ("leader", "/dashboard/", "wall"),
        ("leader", f"/evaluation/rank/region/?period={year}", "desktop"),
        ("leader", f"/evaluation/measures/?period={year}", "desktop"),
        ("leader", "/cases/", "desktop"),
        ("leader", f"/cases/{case.pk}/", "desktop"),
        ("operator", "/cases/queue/accept/", "desktop"),
        ("dispatcher", "/cases/queue/dispatch/", "desktop"),
        ("department_handler", "/cases/queue/department/", "phone"),
        ("supervisor", "/m/", "phone"),
        ("supervisor", "/m/report/", "phone"),
        ("admin", "/admin/", "desktop"),
        ("admin", "/admin/catalog/mattertype/", "desktop"),
    ]


def _citizen_session(b):
    """Prove a citizen case with its number and phone, as the follow form does, and carry the cookie over."""
    from django.conf import settings

    from chengguan.cases.models import Case

    case = Case.objects.filter(source="citizen").exclude(reporter_phone="").order_by("pk").first()
    client = Client()
    assert client.post("/p/follow/", {"number": case.number, "phone": case.reporter_phone}).status_code == 302
    b.get("/healthz")
    b.driver.delete_all_cookies()
    b.driver.add_cookie(
        {
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "path": "/",
        }
    )
    return f"/p/cases/{case.number}/"


def _axe(b) -> list:
    b.wait(lambda d: d.execute_script("return document.readyState") == "complete", "the page did not load")
    b.js(
        "document.querySelectorAll('.echart:not([data-drawn])').length && window.chengguanCharts && chengguanCharts.draw()"
    )
    b.driver.execute_script(AXE.read_text(encoding="utf-8"))
    b.driver.set_script_timeout(60)
    return b.driver.execute_async_script(RUN, TAGS)


def test_no_wcag_21_aa_violations_on_a_page_of_each_template(browser, demo_city):  # noqa: F811
    b = browser
    failures = {}
    for persona, path, size in _pages(demo_city):
        {"phone": b.phone, "desktop": b.desktop, "wall": lambda: b.desktop(1920, 1080)}[size]()
        if persona == "citizen":
            path = _citizen_session(b)
        elif persona:
            b.sign_in(demo_city[persona])
        else:
            b.driver.delete_all_cookies()
        b.get(path)
        assert "/accounts/login/" not in b.driver.current_url or path == "/accounts/login/", (
            f"{persona} {path}"
        )
        violations = _axe(b)
        if violations:
            failures[f"{persona or 'anonymous'} {path}"] = violations
        # ours, or Django admin's own ("跳到主要内容" → #content-start)
        skip = b.all("a.skip-link[href='#main']") and b.all("main#main") or b.all("a[href='#content-start']")
        assert skip, f"{path}: no skip link to the content"
    add("accessibility: pages checked by axe", len(_pages(demo_city)))
    assert not failures, "\n".join(
        f"{page}: {v['id']} ({v['help']}) at {v['nodes']}" for page, vs in failures.items() for v in vs
    )


def test_large_text_mode_persists_across_pages(browser, demo_city):  # noqa: F811
    b = browser
    b.phone()
    b.get("/p/")
    size = b.js("return parseFloat(getComputedStyle(document.body).fontSize)")
    assert size >= 16  # phone text is at least 16 px
    hint = b.js("return parseFloat(getComputedStyle(document.querySelector('.muted, .hint')).fontSize)")
    assert hint >= 16, f"hint text is {hint}px on a phone"
    b.css("#big-text").click()
    assert b.css("#big-text").get_attribute("aria-pressed") == "true"
    b.get("/p/report/")
    assert b.js("return document.documentElement.classList.contains('big-text')")
    assert b.js("return parseFloat(getComputedStyle(document.body).fontSize)") > size * 1.2
    b.css("#big-text").click()
    b.get("/p/")
    assert not b.js("return document.documentElement.classList.contains('big-text')")
    assert PHONE  # the phone size the checks ran at


def test_a_keyboard_only_citizen_without_location_can_report(browser, demo_city):  # noqa: F811
    """No map, no location, no mouse: the problem type by search, the community by the arrow key, the address
    in words, Enter to send."""
    from selenium.webdriver.common.keys import Keys

    from chengguan.cases.models import Case

    b = browser
    b.desktop()
    b.get("/p/report/")
    b.css("#matter-search").send_keys("暴露垃圾")
    assert b.css("#id_matter").get_attribute("value") == "06010"  # the search selects the first match
    b.css("#id_community").send_keys(Keys.ARROW_DOWN)
    community = b.css("#id_community").get_attribute("value")
    assert community
    b.css("#id_description").send_keys("路口垃圾堆放")
    b.css("#id_address").send_keys("西门大街 12 号")
    b.css("#id_phone").send_keys("13912340000", Keys.ENTER)
    b.wait(lambda d: "/p/cases/" in d.current_url, "the keyboard-only report was not accepted")
    case = Case.objects.get(number=b.driver.current_url.rstrip("/").rsplit("/", 1)[1])
    assert case.community_id == int(community) and case.address == "西门大街 12 号"
