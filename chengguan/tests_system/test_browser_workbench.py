"""The whole loop in a real browser, counting clicks (issue #13): a citizen reports on a phone; each staff role
signs in, finds the case under 下一步要办 on their home page and does the action that opens first; the supervisor
checks it on the phone; the citizen rates it. Typing is not counted; every click, choice in a list and file
picked is. Then each staff role's home, queue and case page at desktop and phone size: no sideways scrolling, no
script error, screenshots in artifacts/staff/."""

import re

import pytest

from chengguan.cases.testing import POINT_A, png_bytes
from chengguan.core.coords import gcj02_to_wgs84

from .browser import requires_chromium
from .figures import artifacts_dir, record

pytestmark = [
    pytest.mark.browser,
    requires_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PHONE = "13912341234"
CLICK_GOAL = 25


class Clicks:
    def __init__(self, b):
        self.b, self.n, self.by = b, 0, {}

    def click(self, who, element):
        element.click()
        self.count(who)

    def count(self, who, n=1):
        self.n += n
        self.by[who] = self.by.get(who, 0) + n

    def next_up(self, who, case, *, phone_path=None):
        """Open the case from the home page's 下一步要办 list (one click)."""
        b = self.b
        link = b.css(f'ul.tasks a[href^="{phone_path or f"/cases/{case.pk}/"}"]')
        self.click(who, link)
        b.wait(lambda d: f"/{case.pk}/" in d.current_url, f"{who}: the case did not open")

    def submit(self, who, action):
        b = self.b
        panel = b.css(f'details[data-action="{action}"]')
        assert panel.get_attribute("open"), f"{who}: {action} is not the form that opens first"
        self.click(who, b.css("button[type=submit]", panel))
        b.wait(lambda d: b.all(".messages li"), f"{action} by {who}: no answer")
        said = " | ".join(e.text for e in b.all(".messages li"))
        assert b.all(".messages li.success"), f"{action} by {who} refused: {said}"
        return panel


def _citizen_reports(b, clicks, photo):
    from selenium.webdriver.support.ui import Select

    b.phone()
    lng, lat = gcj02_to_wgs84(*POINT_A)
    b.driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": b.url, "permissions": ["geolocation"]})
    b.driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": lat, "longitude": lng, "accuracy": 10})
    b.sign_out()
    b.get("/p/")
    clicks.click("citizen", b.css("#start-report"))
    b.wait(lambda d: d.current_url.endswith("/p/report/"), "the report page did not open")
    b.css("#matter-search").send_keys("垃圾")
    Select(b.css("#id_matter")).select_by_value("06010")
    clicks.count("citizen")
    clicks.click("citizen", b.css("#use-location"))
    b.wait(lambda d: "西门社区" in b.css("#location-status").text, "the device location was not placed")
    b.css("#id_description").send_keys("西门大街路口垃圾堆了三天")
    b.css("#id_photos").send_keys(str(photo))
    clicks.count("citizen")
    b.css("#id_phone").send_keys(PHONE)
    clicks.click("citizen", b.css("#submit-report"))
    b.wait(lambda d: re.search(r"/p/cases/[^/]+/$", d.current_url), "no case page after submitting")
    return b.css("#case-number").text.strip()


def test_the_whole_loop_from_a_citizens_report_to_the_rating_takes_at_most_25_clicks(browser, city, settings,
                                                                                     tmp_path):  # fmt: skip
    from chengguan.cases.models import Case
    from chengguan.cases.workflow import State
    from chengguan.grids.geocoder import locate
    from chengguan.grids.testing import make_grids

    settings.MEDIA_ROOT = tmp_path / "media"
    make_grids(city)
    locate(*POINT_A)
    b, clicks = browser, Clicks(browser)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(png_bytes(fmt="JPEG", size=(40, 30)))

    number = _citizen_reports(b, clicks, photo)
    case = Case.objects.get(number=number)

    b.desktop()
    for who, action in (("operator", "accept"), ("shift_leader", "file"), ("dispatcher", "dispatch"),
                        ("department_handler", "reply")):  # fmt: skip
        b.sign_in(city[who])
        b.get("/")
        clicks.next_up(who, case)
        panel = b.css(f'details[data-action="{action}"]')
        if action == "dispatch":
            b.select("select[name=department_id]", city.sanitation.pk, panel)
            clicks.count(who)
        if action == "reply":
            b.css("textarea[name=reason]", panel).send_keys("已清运完毕")
            b.css("input[name=photos]", panel).send_keys(str(photo))
            clicks.count(who)
        clicks.submit(who, action)
    case.refresh_from_db()
    assert case.state == State.CHECKING

    b.phone()
    b.sign_in(city["supervisor"])
    b.get("/m/")  # where a supervisor's phone sign-in lands (org/tests/test_phone_login.py)
    clicks.click("supervisor", b.css(f'a[href="/m/case/{case.pk}/"]'))
    b.css('details[data-action="check_pass"] input[name=photos]').send_keys(str(photo))
    clicks.count("supervisor")
    clicks.submit("supervisor", "check_pass")

    b.desktop()
    b.sign_in(city["shift_leader"])
    b.get("/")
    clicks.next_up("shift_leader", case)
    clicks.submit("shift_leader", "close")
    case.refresh_from_db()
    assert case.state == State.CLOSED

    b.phone()
    b.sign_out()
    b.get(f"/p/cases/{number}/")
    b.wait(lambda d: "/p/follow/" in d.current_url, "the case page did not ask for the phone")
    b.css("#id_phone").send_keys(PHONE)
    clicks.click("citizen", b.css("#follow-submit"))
    b.wait(lambda d: d.current_url.endswith(f"/p/cases/{number}/"), "the case did not open")
    clicks.click("citizen", b.css("#rating-form input[value=satisfied]"))
    clicks.click("citizen", b.css("#rating-form button[type=submit]"))
    b.wait(lambda d: b.all("#rating"), "the rating was not taken")
    assert case.satisfaction.score == "satisfied"

    record("workbench: clicks from a citizen's report to the rating", clicks.n)
    record("workbench: clicks per role", ", ".join(f"{k} {v}" for k, v in clicks.by.items()))
    assert clicks.n <= CLICK_GOAL, clicks.by
    assert not [e for e in b.console_errors() if "favicon" not in e]


STAFF_PAGES = {
    "supervisor": ("/m/", "/m/", "/m/case/{pk}/"),
    "operator": ("/", "/cases/queue/accept/", "/cases/{pk}/?queue=/cases/queue/accept/"),
    "shift_leader": ("/", "/cases/queue/filing/", "/cases/{pk}/?queue=/cases/queue/filing/"),
    "dispatcher": ("/", "/cases/queue/dispatch/", "/cases/{pk}/?queue=/cases/queue/dispatch/"),
    "department_handler": ("/", "/cases/queue/department/", "/cases/{pk}/?queue=/cases/queue/department/"),
    "officer": ("/", "/enforcement/", "/enforcement/cases/{clue}/"),
    "assistant": ("/", "/enforcement/", "/enforcement/cases/{clue}/"),
    "legal_reviewer": ("/", "/enforcement/review/", "/enforcement/cases/{clue}/"),
    "leader": ("/", "/enforcement/approvals/", "/cases/{pk}/"),
    "admin": ("/", "/cases/", "/cases/{pk}/"),
}


def test_each_staff_roles_home_queue_and_case_page_fit_a_desk_and_a_phone(browser, city, settings, tmp_path):
    from chengguan.cases.testing import Walker
    from chengguan.cases.workflow import State
    from chengguan.catalog.models import MatterType
    from chengguan.enforcement.models import EnforcementBody
    from chengguan.enforcement.services import case_register_clue
    from chengguan.grids.testing import make_grids

    settings.MEDIA_ROOT = tmp_path / "media"
    make_grids(city)
    EnforcementBody.objects.create(department=city.bureau, name="开封市城市管理局", short_name="汴城管",
                                   review_authority="开封市人民政府", court="开封市龙亭区人民法院")  # fmt: skip
    walk = Walker(city, MatterType.objects.get(code="06010"))
    cases = {state: walk.to(state) for state in (State.REPORTED, State.ACCEPTED, State.FILED, State.DISPATCHED,
                                                 State.CHECKING)}  # fmt: skip
    clue = case_register_clue(actor=city["officer"], region=city.community_a1, department=city.brigade_a,
                              source="patrol", title="擅自占用城市道路")  # fmt: skip
    for_role = {"supervisor": State.CHECKING, "operator": State.REPORTED, "shift_leader": State.ACCEPTED,
                "dispatcher": State.FILED, "department_handler": State.DISPATCHED}  # fmt: skip
    out = artifacts_dir() / "staff"
    out.mkdir(parents=True, exist_ok=True)
    b, problems = browser, []
    for who, pages in STAFF_PAGES.items():
        b.sign_in(city[who])
        pk = cases[for_role.get(who, State.DISPATCHED)].pk
        for size in ("desktop", "phone"):
            getattr(b, size)()
            for kind, path in zip(("home", "queue", "case"), pages, strict=True):
                b.get(path.format(pk=pk, clue=clue.pk))
                b.driver.save_screenshot(str(out / f"{who}-{kind}-{size}.png"))
                if size == "phone" and b.page_overflow() > 0:
                    problems.append(f"{who} {path} on a phone: {b.overflowing()}")
                if "403" in b.driver.title or "找不到" in b.driver.title or "无权" in b.driver.title:
                    problems.append(f"{who} {path}: {b.driver.title}")
    errors = [e for e in b.console_errors() if "favicon" not in e]
    record("workbench: staff screenshots", len(list(out.glob("*.png"))))
    assert not problems, "\n".join(problems)
    assert not errors, errors
