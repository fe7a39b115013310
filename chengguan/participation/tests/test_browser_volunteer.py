"""A grid worker on a phone: signs in, reports with the phone's position and a photo, and sees the points once the
command centre files the case — the page fits the phone, no JS error."""

import pytest

from chengguan.cases.testing import POINT_A, png_bytes
from chengguan.core.coords import gcj02_to_wgs84
from chengguan.tests_system.browser import browser, chromium, requires_chromium  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    requires_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_grid_worker_reports_from_a_phone_and_sees_the_points(browser, live_server, city, settings, tmp_path):  # noqa: F811
    from chengguan.cases.services import case_act
    from chengguan.catalog.models import FilingCondition, MatterType
    from chengguan.grids.testing import make_grids
    from chengguan.org.models import Role, RoleAssignment, User
    from chengguan.participation.models import VolunteerReport

    settings.MEDIA_ROOT = tmp_path / "media"
    make_grids(city)
    volunteer = User.objects.create_user(username="volunteer", password="pw-volunteer", full_name="李网格")
    RoleAssignment.objects.create(user=volunteer, role=Role.VOLUNTEER, region=city.community_a1)
    browser.phone()
    driver = browser.driver
    lng, lat = gcj02_to_wgs84(*POINT_A)
    driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": live_server.url, "permissions": ["geolocation"]})
    driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": lat, "longitude": lng, "accuracy": 10})
    browser.sign_in(volunteer)
    browser.get("/participation/volunteer/")
    assert "我的上报与积分" in driver.page_source
    browser.select("#id_matter", MatterType.objects.get(code="06010").pk)
    browser.css("#id_description").send_keys("西门大街垃圾桶满溢")
    browser.css("#locate").click()
    browser.wait(lambda d: browser.css("#id_lng").get_attribute("value"), "the phone's position was not filled in")
    photo = tmp_path / "bin.png"
    photo.write_bytes(png_bytes(size=(32, 24)))
    browser.css("#id_photos").send_keys(str(photo))
    browser.shoot("participation-volunteer-form-phone")
    browser.css("#volunteer-report button[type=submit]").click()
    browser.wait(lambda d: "感谢上报" in d.page_source, "the report was not confirmed")
    report = VolunteerReport.objects.get(volunteer=volunteer)
    assert report.case.attachments.count() == 1
    assert report.case.lng == pytest.approx(POINT_A[0], abs=1e-4)

    case = case_act(actor=city["operator"], case=report.case, action="accept")
    condition = FilingCondition.objects.filter(matter=case.matter, is_active=True).order_by("pk").first()
    case_act(actor=city["shift_leader"], case=case, action="file",
             **({"filing_condition_id": condition.pk} if condition else {}))
    browser.get("/participation/volunteer/")
    assert "+10" in driver.page_source
    assert browser.page_overflow() == 0
    assert browser.console_errors() == []
    browser.shoot("participation-volunteer-points-phone")
