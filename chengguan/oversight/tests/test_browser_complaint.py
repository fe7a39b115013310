"""A citizen complains about an officer from a phone-sized browser; the leader assigns it on the desktop page.
Debian's headless Chromium through /usr/bin/chromedriver (chengguan/tests_system/browser.py); skipped without it."""

import pytest

from chengguan.tests_system.browser import browser, chromium, requires_chromium  # noqa: F401 (fixtures)

pytestmark = [
    pytest.mark.browser,
    requires_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_citizen_complains_on_a_phone_and_the_leader_assigns_it(browser, live_server, city):  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from chengguan.oversight.models import Complaint

    driver = browser.driver
    browser.phone()
    browser.get("/complain/")
    assert browser.page_overflow() == 0
    Select(driver.find_element(By.ID, "id_conduct")).select_by_value("rude")
    Select(driver.find_element(By.ID, "id_district")).select_by_visible_text("龙亭区")
    driver.find_element(By.ID, "id_place").send_keys("鼓楼街夜市")
    driver.find_element(By.ID, "id_officer_hint").send_keys("执法证号 豫A-00000")
    driver.find_element(By.ID, "id_text").send_keys("执法人员推搡摊主。")
    driver.find_element(By.ID, "id_phone").send_keys("138 0000 0001")
    browser.shoot("oversight-complaint-phone")
    driver.find_element(By.ID, "complaint-submit").click()
    browser.wait(lambda d: "投诉已受理" in d.page_source, "the complaint was not received")
    complaint = Complaint.objects.get()
    assert complaint.number in driver.page_source and complaint.complainant_phone == "13800000001"
    assert browser.page_overflow() == 0
    browser.shoot("oversight-complaint-received-phone")

    browser.desktop()
    browser.sign_in(city["leader"])
    browser.get(f"/oversight/complaints/{complaint.pk}/")
    Select(driver.find_element(By.ID, "a-officer")).select_by_visible_text(str(city["officer"]))
    Select(driver.find_element(By.ID, "a-inv")).select_by_visible_text(str(city["legal_reviewer"]))
    driver.find_element(By.CSS_SELECTOR, "form input[value=assign] ~ p button[type=submit]").click()
    browser.wait(lambda d: "已交办调查" in d.page_source, "the complaint was not assigned")
    complaint.refresh_from_db()
    assert (complaint.state, complaint.officer, complaint.investigator) == (
        "assigned", city["officer"], city["legal_reviewer"])
    assert not browser.console_errors()
    browser.shoot("oversight-complaint-assigned")
