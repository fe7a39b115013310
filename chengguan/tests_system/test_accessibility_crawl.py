"""axe-core (WCAG 2.1 A and AA) over every view the staff crawl reaches: each staff role crawls from its home
page (tests_system/crawl.py, the crawl the words check uses), and every distinct view found is opened in
Chromium as the first role that reached it — phone pages on a phone — and checked: 0 violations.

The per-template test (test_accessibility.py) keeps the portal pages and the citizen's case page; this one
follows the staff menu wherever it leads, so a new page is checked the day it is linked."""

import pytest
from django.test import Client

from .browser import requires_chromium
from .crawl import _view_of, crawl
from .figures import add
from .test_accessibility import _axe
from .test_browser_pages import demo_city  # noqa: F401 - the fixture
from .test_words import STAFF

pytestmark = [
    pytest.mark.browser,
    requires_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PHONE_PREFIXES = ("/m/", "/patrol/m/")
ADMIN_PAGES = 3  # Django's admin is one template family: the index and two changelists


def _views(city) -> dict:
    """view name → (persona, path), the first persona and page that reached each view."""
    views: dict[str, tuple[str, str]] = {}
    admin = 0
    for name in STAFF:
        client = Client()
        client.force_login(city[name])
        seen, _forms = crawl(client)
        for path, response in seen.items():
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            view = _view_of(path)
            if view in views:
                continue
            if path.startswith("/admin/"):
                if admin >= ADMIN_PAGES:
                    continue
                admin += 1
            views[view] = (name, path)
    return views


def test_no_wcag_21_aa_violations_on_any_view_the_staff_reach(browser, demo_city):  # noqa: F811
    from chengguan.enforcement.models import EnforcementBody
    from chengguan.enforcement.services import case_register_clue

    EnforcementBody.objects.create(department=demo_city.bureau, name="开封市城市管理局", short_name="汴城管",
                                   review_authority="开封市人民政府", court="开封市龙亭区人民法院")  # fmt: skip
    case_register_clue(actor=demo_city["officer"], region=demo_city.community_a1, department=demo_city.brigade_a,
                       source="patrol", title="擅自占用城市道路")  # fmt: skip
    views = _views(demo_city)
    assert len(views) > 40, sorted(views)  # the crawl found the staff's pages (not only the home pages)
    b, failures, signed = browser, {}, None
    for view, (name, path) in sorted(views.items(), key=lambda kv: kv[1]):
        if signed != name:
            b.sign_in(demo_city[name])
            signed = name
        b.phone() if path.startswith(PHONE_PREFIXES) else b.desktop()
        b.get(path)
        violations = _axe(b)
        if violations:
            failures[f"{name} {path} ({view})"] = violations
    add("accessibility: views of the staff crawl checked by axe", len(views))
    # positive control: the same check finds a violation planted in the last page
    b.js("const i = document.createElement('img'); i.src = '/static/none.png'; document.querySelector('main, body').append(i)")
    assert "image-alt" in {v["id"] for v in _axe(b)}
    assert not failures, "\n".join(
        f"{page}: {v['id']} ({v['help']}) at {v['nodes']}" for page, vs in failures.items() for v in vs
    )
