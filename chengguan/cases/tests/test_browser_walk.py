"""A whole case walked in a real browser: a supervisor reports from the phone page (device position, camera
photo, matter search), the centre accepts, files and dispatches it, the department replies with an after-photo,
the supervisor checks it on the phone, the shift leader closes it — headless Chromium driven by selenium through
Debian's /usr/bin/chromedriver (nothing is downloaded). Each persona signs in with its own session cookie.
"""

import re
from pathlib import Path

import pytest

from chengguan.core.coords import from_storage

from ..workflow import State
from .conftest import POINT_A, png_bytes

CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
pytestmark = [
    pytest.mark.skipif(
        not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
        reason="needs Debian's chromium and chromium-driver: apt-get install -y chromium chromium-driver",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def browser():
    pytest.importorskip("selenium", reason="selenium is not installed: pip install -e '.[test]'")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000",
                 "--disable-dev-shm-usage", "--no-first-run", "--disable-sync", "--lang=zh-CN"):  # fmt: skip
        options.add_argument(flag)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def wait(driver, condition, message, timeout=30):
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(driver, timeout).until(condition)
    except TimeoutException:
        raise AssertionError(f"{message} (at {driver.current_url})") from None


def test_a_case_goes_from_the_supervisors_phone_to_closure_in_the_browser(
    browser, live_server, city, tmp_path, settings
):
    from django.conf import settings as django_settings
    from django.test import Client
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from chengguan.grids.geocoder import locate
    from chengguan.grids.testing import make_grids

    from ..models import Case

    settings.MEDIA_ROOT = tmp_path / "media"
    make_grids(city)
    locate(*POINT_A)  # build this process's grid index before the server thread needs it
    driver = browser
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(png_bytes(fmt="JPEG", size=(40, 30)))

    def css(selector, within=None):
        return (within or driver).find_element(By.CSS_SELECTOR, selector)

    def sign_in(persona):
        client = Client()
        client.force_login(city[persona])
        driver.get(f"{live_server.url}/healthz")
        driver.delete_all_cookies()
        driver.add_cookie(
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "path": "/",
            }
        )

    def act(persona, case, action, fill=None, page=None):
        sign_in(persona)
        driver.get(f"{live_server.url}{page or f'/cases/{case.pk}/'}")
        panel = css(f'details[data-action="{action}"]')
        if not panel.get_attribute("open"):
            css("summary", panel).click()
        if fill:
            fill(panel)
        css("button[type=submit]", panel).click()
        wait(
            driver,
            lambda d: d.find_elements(By.CSS_SELECTOR, ".messages li.success"),
            f"{action} by {persona} failed",
        )
        case.refresh_from_db()
        return case

    # 1. the supervisor's phone: position from the device (WGS84), matter by search, a camera photo
    sign_in("supervisor")
    lng, lat = from_storage(*POINT_A, "wgs84")
    driver.execute_cdp_cmd(
        "Browser.grantPermissions", {"origin": live_server.url, "permissions": ["geolocation"]}
    )
    driver.execute_cdp_cmd(
        "Emulation.setGeolocationOverride", {"latitude": lat, "longitude": lng, "accuracy": 8}
    )
    driver.get(f"{live_server.url}/m/")
    css("a.button.big").click()
    wait(driver, lambda d: css("#lng").get_attribute("value"), "the phone's position was not taken")
    css("#matter_code").send_keys("垃圾")
    wait(
        driver,
        lambda d: d.find_elements(By.CSS_SELECTOR, '#matter-options option[value="06010"]'),
        "no matter search",
    )
    css("#matter_code").clear()
    css("#matter_code").send_keys("06010")
    css("#description").send_keys("西门大街路口暴露垃圾")
    css("#address").send_keys("西门大街 8 号")
    css("#photos").send_keys(str(photo))
    css("#report-form button[type=submit]").click()
    wait(driver, lambda d: re.search(r"/m/case/\d+/$", d.current_url), "no case page after reporting")
    case = Case.objects.get()
    assert case.unit_grid.code == "410202001001006" and case.attachments.get().kind == "before"

    # 2. the centre: accept, file, dispatch (desktop pages)
    assert act("operator", case, "accept").state == State.ACCEPTED
    assert act("shift_leader", case, "file").state == State.FILED
    sanitation = str(city.sanitation.pk)
    case = act(
        "dispatcher",
        case,
        "dispatch",
        lambda p: Select(css("select[name=department_id]", p)).select_by_value(sanitation),
    )
    assert case.state == State.DISPATCHED and case.current_department == city.sanitation

    # 3. the department replies with an after-photo
    def reply(panel):
        css("textarea[name=reason]", panel).send_keys("已清运完毕")
        css("input[name=photos]", panel).send_keys(str(photo))

    assert act("department_handler", case, "reply", reply).state == State.CHECKING

    # 4. the supervisor finds the check task on the phone and passes it with a photo
    sign_in("supervisor")
    driver.get(f"{live_server.url}/m/")
    css(f'a[href="/m/case/{case.pk}/"]').click()
    wait(driver, lambda d: d.current_url.endswith(f"/m/case/{case.pk}/"), "the task did not open")
    case = act("supervisor", case, "check_pass", lambda p: css("input[name=photos]", p).send_keys(str(photo)),
               page=f"/m/case/{case.pk}/")  # fmt: skip
    assert case.state == State.CHECK_PASSED and driver.current_url.endswith(f"/m/case/{case.pk}/")

    # 5. closed
    assert act("shift_leader", case, "close").state == State.CLOSED
    assert "已结案" in css("h1").text
    assert list(case.events.values_list("action", flat=True)) == [
        "report", "accept", "file", "dispatch", "reply", "check_pass", "close"
    ]  # fmt: skip
    assert case.attachments.filter(kind="after").count() == 2
