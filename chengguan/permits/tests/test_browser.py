"""Browser check: a citizen applies for a stall permit on a phone and sees the number; the public register and the
staff's permit map and ledger fit their screens without sideways scrolling or script errors."""

from datetime import date, time

import pytest
import time_machine
from selenium.webdriver.common.by import By

from chengguan.buildings.services import building_register
from chengguan.permits.models import Application, VendingZone
from chengguan.tests_system.browser import browser, chromium, requires_chromium  # noqa: F401

from .conftest import at

pytestmark = [requires_chromium, pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def zone(city):
    return VendingZone.objects.create(code="SD-01", name="西门夜市疏导点", region=city.community_a1, address="西门大街",
                                      lng=114.305, lat=34.81, capacity=2, opens_at=time(17), closes_at=time(23))


def test_a_citizen_applies_for_a_stall_on_a_phone(city, body, zone, browser):  # noqa: F811 (the fixture imported above)
    browser.phone()
    browser.get("/p/permits/apply/")
    assert not browser.page_overflow()
    browser.select("#id_kind", "stall")
    browser.select("#id_zone", str(zone.pk))
    browser.select("#id_applicant_type", "person")
    browser.css("#id_applicant_name").send_keys("王小二")
    browser.css("#id_applicant_phone").send_keys("13900003333")
    browser.css("#id_description").send_keys("小吃摊位")
    today = date.today()
    for field, value in (("requested_from", today), ("requested_to", date(today.year + 1, 1, 31))):
        browser.js(f"document.getElementById('id_{field}').value = arguments[0]", value.isoformat())
    browser.css("form.permit-form button[type=submit]").click()
    browser.wait(lambda d: "/p/permits/XK" in d.current_url, "the application page after submitting")
    a = Application.objects.get()
    assert a.number in browser.css("#case-number").text and a.zone == zone and a.channel == "online"
    assert not browser.page_overflow() and not browser.console_errors()
    browser.shoot("permits-phone-application")
    browser.get("/p/permits/")
    assert not browser.page_overflow()
    assert "西门夜市疏导点" in browser.css("main").text


def test_the_staff_maps_draw_and_fit(city, body, zone, browser):  # noqa: F811 (the fixture imported above)
    with time_machine.travel(at(2026, 5, 12), tick=True):
        building_register(actor=city["officer"], region=city.community_a1, address="西门大街88号", lng=114.305,
                          lat=34.811, area_m2="120", floors=1, households=1, use="storage", category="new",
                          source="patrol")
    browser.sign_in(city["officer"])
    for path, map_id in (("/permits/check/", "permit-map"), ("/buildings/map/", "bld-map")):
        browser.get(path)
        browser.wait(lambda d, m=map_id: d.find_elements(By.CSS_SELECTOR, f"#{m} .leaflet-interactive"),
                     f"markers on {path}")
        assert not browser.page_overflow() and not browser.console_errors(), path
    browser.get("/buildings/")
    assert "WJ2026" in browser.css("main").text and not browser.page_overflow()
    browser.shoot("buildings-ledger")
