"""Hotline registration in a real browser (issue #14): the operator types what the caller said, picks a
candidate from the gazetteer, submits — no coordinate typed — and the case lands in the address's grid."""

import pytest

from chengguan.tests_system.browser import requires_chromium

pytestmark = [
    pytest.mark.browser,
    requires_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_an_operator_registers_a_call_by_its_address(browser, city, gazetteer, grid_city):
    from chengguan.cases.models import Case
    from chengguan.grids.geocoder import locate

    locate(114.325, 34.8125)  # build this process's grid index before the server thread needs it
    b = browser
    b.sign_in(city["operator"])
    b.get("/cases/new/")
    assert b.css("#source").get_attribute("value") == "hotline"
    b.css("#address-search").send_keys("夷山201")
    b.wait(lambda d: b.all(".picker-candidate"), "no candidate for 夷山201")
    first = b.all(".picker-candidate")[0]
    assert "夷山大街201号" in first.text and "清平社区" in first.text
    first.click()
    b.wait(lambda d: b.css("#lng").get_attribute("value"), "picking did not fill the point")
    assert "清平社区" in b.css(".picker-place").text
    assert b.css("#address").get_attribute("value") == "夷山201"  # the caller's words, kept
    b.css("#address").clear()
    b.css("#address").send_keys("夷山大街201号门口")
    b.css("#matter_code").send_keys("06010")
    b.css("#description").send_keys("夷山大街201号门口垃圾满了")
    b.shoot("maps-hotline-picked")
    b.css("form.card button[type=submit]").click()
    b.wait(lambda d: "/cases/new/" not in d.current_url, "the form was not accepted")
    case = Case.objects.get()
    assert case.source == "hotline" and case.address == "夷山大街201号门口"
    assert case.unit_grid.code.startswith("410203001001")
    assert case.community.name == "清平社区"
    assert b.foreign_requests() == []
    assert b.console_errors() == []


def test_an_unknown_address_shows_the_empty_hint(browser, city, gazetteer):
    b = browser
    b.sign_in(city["operator"])
    b.get("/cases/new/")
    b.css("#address-search").send_keys("火星路1号")
    b.wait(lambda d: b.css(".picker-empty").is_displayed(), "no hint for an unknown address")
    assert b.all(".picker-candidate") == []
    b.css("#address-search").clear()
    b.css("#address-search").send_keys("夷山201")  # positive control: the same box finds a known one
    b.wait(lambda d: b.all(".picker-candidate"), "no candidate for 夷山201")


def test_the_supervisor_confirms_the_phones_position_on_a_small_map(browser, city, gazetteer, grid_city):
    from chengguan.core.coords import from_storage
    from chengguan.grids.geocoder import locate

    locate(114.325, 34.8125)
    b = browser
    b.phone()
    lng, lat = from_storage(114.3252, 34.8127, "wgs84")  # a phone reports WGS84
    b.driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": b.url, "permissions": ["geolocation"]})
    b.driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": lat, "longitude": lng, "accuracy": 8})
    b.sign_in(city["supervisor"])
    b.get("/m/report/")
    b.wait(lambda d: "清平社区" in b.css(".position-confirm .picker-place").text, "the position was not resolved")
    assert "410203001001" in b.css(".position-confirm .picker-place").text
    assert b.css("#crs").get_attribute("value") == "wgs84"  # untouched until the pin is dragged
    assert b.page_overflow() <= 0
    b.shoot("maps-phone-confirm")
    assert b.foreign_requests() == [] and b.console_errors() == []


def test_a_shop_and_a_clue_take_their_place_from_the_gazetteer(browser, city, gazetteer, grid_city):
    from chengguan.core.coords import to_storage
    from chengguan.grids.geocoder import locate

    locate(114.325, 34.8125)
    b = browser
    b.sign_in(city["officer"])
    b.get("/patrol/shops/")
    b.css("#address-search").send_keys("夷山201")
    b.wait(lambda d: b.all(".picker-candidate"), "no candidate on the shop form")
    b.all(".picker-candidate")[0].click()
    b.wait(lambda d: b.css("#id_lng").get_attribute("value"), "the shop's point was not filled")
    lng, lat = float(b.css("#id_lng").get_attribute("value")), float(b.css("#id_lat").get_attribute("value"))
    x, y = to_storage(lng, lat, "wgs84")  # the shop form posts WGS84
    assert abs(x - 114.325) < 1e-6 and abs(y - 34.8125) < 1e-6
    assert b.css("#id_address").get_attribute("value").startswith("顺河回族区夷山大街201号")

    b.get("/enforcement/clues/new/")
    b.css("#address-search").send_keys("第一人民医院")
    b.wait(lambda d: b.all(".picker-candidate"), "no candidate on the clue form")
    b.all(".picker-candidate")[0].click()
    b.wait(lambda d: "开封市第一人民医院" in b.css("#place").get_attribute("value"), "the clue's place was not filled")
    assert b.foreign_requests() == [] and b.console_errors() == []
