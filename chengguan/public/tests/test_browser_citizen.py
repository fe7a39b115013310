"""A citizen reports from a phone-sized browser, gets a number, and later sees the case closed with the
after-photo — in Debian's headless Chromium driven by selenium through /usr/bin/chromedriver (nothing is
downloaded). The device position comes from Chromium's geolocation emulation, as a phone's GPS would give it.

CI needs: `apt-get install -y chromium chromium-driver` (Debian) and `pip install -e '.[test]'` (selenium). The
browser session and the screenshot on failure come from `chengguan/tests_system/browser.py`.
"""

import re

import pytest

from chengguan.core.coords import gcj02_to_wgs84
from chengguan.tests_system.browser import browser, chromium, requires_chromium  # noqa: F401 (fixtures)

from .conftest import POINT_A, close_case, png_bytes

PHONE = "13912341234"
pytestmark = [
    pytest.mark.browser,
    requires_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_citizen_reports_from_a_phone_and_later_sees_the_case_closed_with_the_after_photo(
    browser, live_server, city, settings, tmp_path  # noqa: F811 (the fixture imported above)
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from chengguan.cases.models import Case
    from chengguan.grids.testing import make_grids

    settings.MEDIA_ROOT = tmp_path / "media"
    make_grids(city)
    browser.phone()
    driver = browser.driver

    def css(selector):
        return driver.find_element(By.CSS_SELECTOR, selector)

    # the phone's GPS says: here (WGS84), and the citizen allows the site to use it
    lng, lat = gcj02_to_wgs84(*POINT_A)
    driver.execute_cdp_cmd(
        "Browser.grantPermissions", {"origin": live_server.url, "permissions": ["geolocation"]}
    )
    driver.execute_cdp_cmd(
        "Emulation.setGeolocationOverride", {"latitude": lat, "longitude": lng, "accuracy": 10}
    )

    driver.get(f"{live_server.url}/p/")
    assert driver.execute_script("return window.innerWidth") <= 420
    css("#start-report").click()
    browser.wait(lambda d: d.current_url.endswith("/p/report/"), "the report page did not open")

    css("#matter-search").send_keys("垃圾")
    visible = driver.execute_script(
        "return Array.from(document.querySelectorAll('#id_matter option')).filter(o => !o.hidden)"
        ".map(o => [o.parentNode.label, o.text])"
    )
    # the plain-language group 垃圾与街面不洁 opens whole, and any type named with 垃圾 elsewhere
    assert ["垃圾与街面不洁", "暴露垃圾"] in visible
    assert all(group == "垃圾与街面不洁" or "垃圾" in text for group, text in visible)
    assert len(visible) < 40  # a search narrows the list of about 250
    Select(css("#id_matter")).select_by_value("06010")

    css("#use-location").click()
    browser.wait(lambda d: "西门社区" in css("#location-status").text, "the device location was not placed")
    assert float(css("#id_lng").get_attribute("value")) == pytest.approx(POINT_A[0], abs=1e-5)

    photo = tmp_path / "garbage.png"
    photo.write_bytes(png_bytes(size=(32, 24)))
    css("#id_description").send_keys("西门大街路口垃圾堆了三天")
    css("#id_photos").send_keys(str(photo))
    css("#id_phone").send_keys(PHONE)
    css("#submit-report").click()
    browser.wait(lambda d: re.search(r"/p/cases/[^/]+/$", d.current_url), "no case page after submitting")
    number = css("#case-number").text.strip()
    case = Case.objects.get(number=number)
    assert case.source == "citizen" and case.reporter_phone == PHONE and case.attachments.count() == 1
    assert number in css(".messages").text  # "感谢您的上报！案卷编号 …"

    # the centre handles it (accept → file → dispatch → reply with an after-photo → check → close)
    close_case(city, case)

    # days later, on another visit: the number and the phone open the case
    driver.delete_all_cookies()
    driver.get(f"{live_server.url}/p/cases/{number}/")
    browser.wait(lambda d: "/p/follow/" in d.current_url, "the case page did not ask for the phone")
    assert css("#id_number").get_attribute("value") == number
    css("#id_phone").send_keys(PHONE)
    css("#follow-submit").click()
    browser.wait(lambda d: d.current_url.endswith(f"/p/cases/{number}/"), "the case did not open")
    assert css("#case-status").text == "已结案"
    assert browser.page_overflow() <= 0, f"the public case page is wider than the phone: {browser.overflowing()}"
    assert "已结案" in css("#timeline").text and "已派遣至环卫处" in css("#timeline").text
    browser.wait(
        lambda d: d.execute_script(
            "const i = document.querySelector('img.after-photo'); return i && i.complete && i.naturalWidth > 0"
        ),
        "the after-photo did not load",
    )

    css("#rating-form input[value=satisfied]").click()
    css("#rating-form button[type=submit]").click()
    browser.wait(lambda d: d.find_elements(By.ID, "rating"), "the rating was not taken")
    assert case.satisfaction.score == "satisfied"
