"""The case loop in a real browser (issue #8): a supervisor signs in and reports from a phone-sized page (the
device's position, a camera photo, the matter search); the centre accepts, files and dispatches it on the
desktop pages; the department replies with an after-photo; the supervisor finds the check task on the phone
and passes it with a photo; the shift leader closes it. The citizen side (report, follow to closure, after-photo,
rating) is `chengguan/public/tests/test_browser_citizen.py`; the officer's summary procedure is
`test_browser_enforcement.py`. Screenshots of a failing journey go to artifacts/screenshots/.
"""

import re

import pytest

from chengguan.cases.testing import POINT_A, png_bytes
from chengguan.core.coords import from_storage

from .browser import requires_chromium
from .figures import add

pytestmark = [
    pytest.mark.browser,
    requires_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Desk:
    """One persona at a time on the case page: open the action's panel, fill it in, submit, read the answer."""

    def __init__(self, b, city):
        self.b, self.city = b, city

    def act(self, persona, case, action, fill=None, page=None):
        b = self.b
        b.sign_in(self.city[persona])
        b.get(page or f"/cases/{case.pk}/")
        assert b.page_overflow() <= 0, f"{b.driver.current_url} is wider than the screen: {b.overflowing()}"
        panel = b.css(f'details[data-action="{action}"]')
        if not panel.get_attribute("open"):
            b.css("summary", panel).click()
        if fill:
            fill(panel)
        b.css("button[type=submit]", panel).click()
        b.wait(lambda d: b.all(".messages li"), f"{action} by {persona}: no answer from the page")
        said = " | ".join(e.text for e in b.all(".messages li"))
        assert b.all(".messages li.success"), f"{action} by {persona} was refused: {said}"
        case.refresh_from_db()
        add("browser: steps done", 1)
        return case


def test_a_case_goes_around_the_loop_from_the_supervisors_phone_to_closure(browser, city, settings, tmp_path):
    from chengguan.cases.models import Case
    from chengguan.cases.workflow import State
    from chengguan.grids.geocoder import locate
    from chengguan.grids.testing import make_grids

    settings.MEDIA_ROOT = tmp_path / "media"
    make_grids(city)
    locate(*POINT_A)  # build this process's grid index before the server thread needs it
    b, desk = browser, Desk(browser, city)
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(png_bytes(fmt="JPEG", size=(40, 30)))

    # 1. the supervisor's phone: signs in on the login page; position from the device (WGS84), matter by
    #    search, a camera photo
    b.phone()
    b.sign_in_on_the_page("supervisor", "/m/")
    assert b.js("return window.innerWidth") == 390
    lng, lat = from_storage(*POINT_A, "wgs84")
    b.driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": b.url, "permissions": ["geolocation"]})
    b.driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": lat, "longitude": lng, "accuracy": 8})
    b.get("/m/")
    b.css("a.button.big").click()
    b.wait(lambda d: b.css("#lng").get_attribute("value"), "the phone's position was not taken")
    assert b.page_overflow() <= 0, f"the phone's report page is wider than the phone: {b.overflowing()}"
    b.css("#matter_code").send_keys("垃圾")
    b.wait(lambda d: b.all('#matter-options option[value="06010"]'), "no matter search")
    b.css("#matter_code").clear()
    b.css("#matter_code").send_keys("06010")
    b.css("#description").send_keys("西门大街路口暴露垃圾")
    b.css("#address").send_keys("西门大街 8 号")
    b.css("#photos").send_keys(str(photo))
    b.css("#report-form button[type=submit]").click()
    b.wait(lambda d: re.search(r"/m/case/\d+/$", d.current_url), "no case page after reporting")
    case = Case.objects.get()
    assert case.number in b.css("body").text
    assert case.unit_grid.code == "410202001001006" and case.attachments.get().kind == "before"
    add("browser: steps done", 1)

    # 2. the centre on desktop pages: accept, file, dispatch to sanitation
    b.desktop()
    assert desk.act("operator", case, "accept").state == State.ACCEPTED
    assert desk.act("shift_leader", case, "file").state == State.FILED
    sanitation = city.sanitation.pk
    case = desk.act("dispatcher", case, "dispatch", lambda p: b.select("select[name=department_id]", sanitation, p))
    assert case.state == State.DISPATCHED and case.current_department == city.sanitation

    # 3. the department replies with an after-photo
    def reply(panel):
        b.css("textarea[name=reason]", panel).send_keys("已清运完毕")
        b.css("input[name=photos]", panel).send_keys(str(photo))

    assert desk.act("department_handler", case, "reply", reply).state == State.CHECKING

    # 4. the supervisor finds the check task on the phone and passes it with a photo
    b.phone()
    b.sign_in(city["supervisor"])
    b.get("/m/")
    b.css(f'a[href="/m/case/{case.pk}/"]').click()
    b.wait(lambda d: d.current_url.endswith(f"/m/case/{case.pk}/"), "the task did not open")
    case = desk.act("supervisor", case, "check_pass", lambda p: b.css("input[name=photos]", p).send_keys(str(photo)),
                    page=f"/m/case/{case.pk}/")  # fmt: skip
    assert case.state == State.CHECK_PASSED and b.driver.current_url.endswith(f"/m/case/{case.pk}/")

    # 5. the shift leader closes it
    b.desktop()
    assert desk.act("shift_leader", case, "close").state == State.CLOSED
    assert "已结案" in b.css("h1").text
    assert list(case.events.values_list("action", flat=True)) == [
        "report", "accept", "file", "dispatch", "reply", "check_pass", "close"
    ]  # fmt: skip
    assert case.attachments.filter(kind="after").count() == 2
    assert not b.console_errors()
    add("browser: journeys completed", 1)
