"""The supervisor's offline queue in headless Chromium (issue #13, item 4): with the network cut by DevTools
(`Network.emulateNetworkConditions`), a report with a photo waits on the phone as 待上传 1 and nothing reaches
the server; when the network is back it is uploaded by itself and the case exists once — also after the same
report is sent again (its client id is the Idempotency-Key). Screenshots: artifacts/screenshots/outbox-*.png."""

import pytest
from PIL import Image

from chengguan.tests_system.browser import requires_chromium

pytestmark = [
    pytest.mark.browser,
    requires_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

POINT = (114.3075, 34.8075)  # GCJ-02, 西门社区, in the supervisor's grid


def network(b, *, offline: bool):
    b.driver.execute_cdp_cmd("Network.enable", {})
    b.driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
        "offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})


def test_a_report_made_offline_waits_and_is_uploaded_once_when_the_network_is_back(browser, city, tmp_path, settings):
    from chengguan.cases.models import Case
    from chengguan.grids.testing import make_grids

    make_grids(city)
    settings.MEDIA_ROOT = tmp_path / "media"
    photo = tmp_path / "garbage.png"
    Image.new("RGB", (64, 48), (90, 140, 60)).save(photo)
    b = browser
    b.phone()
    b.driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": b.url, "permissions": ["geolocation"]})
    b.driver.execute_cdp_cmd("Emulation.setGeolocationOverride", {"latitude": 34.8062, "longitude": 114.3016,
                                                                  "accuracy": 8})  # WGS84 of POINT, roughly
    b.sign_in(city["supervisor"])
    b.get("/m/report/")
    b.wait(lambda d: b.js("return !!window.ChengguanOutbox"), "the outbox did not start")
    b.js("document.getElementById('lng').value = arguments[0]; document.getElementById('lat').value = arguments[1];"
         "document.getElementById('crs').value = 'gcj02';", *POINT)
    b.css("#matter_code").send_keys("06010")
    b.css("#description").send_keys("人行道暴露垃圾，离线上报")
    b.css("#photos").send_keys(str(photo))
    network(b, offline=True)
    try:
        b.wait(lambda d: b.js("return navigator.onLine") is False, "the page still thinks it is online")
        b.css("#report-form button[type=submit]").click()
        b.wait(lambda d: b.css("[data-outbox-count]").text == "待上传 1", "待上传 1 not shown")
        assert not Case.objects.exists()
        assert "网络恢复后自动上传" in b.css("[data-outbox-status]").text
        kept = b.driver.execute_async_script(
            "var done = arguments[0]; var r = indexedDB.open('chengguan-outbox', 1); r.onsuccess = function () {"
            " var q = r.result.transaction('reports').objectStore('reports').getAll();"
            " q.onsuccess = function () { window.__kept = q.result[0];"
            " done([q.result.length, q.result[0].photos.length, q.result[0].clientId]); r.result.close(); }; };")
        assert kept[0] == 1 and kept[1] == 1 and len(kept[2]) >= 16  # the photo and a client id are kept
        b.js("document.querySelector('[data-outbox]').scrollIntoView()")
        b.shoot("outbox-offline-phone")
    finally:
        network(b, offline=False)
    b.wait(lambda d: Case.objects.count() == 1, "the waiting report was not uploaded when the network came back",
           timeout=45)
    b.wait(lambda d: b.css("[data-outbox-count]").text == "待上传 0", "the queue did not empty")
    assert "已上传 1 条上报" in b.css("[data-outbox-status]").text
    case = Case.objects.get()
    assert case.attachments.count() == 1 and case.description == "人行道暴露垃圾，离线上报"
    assert case.reporter == city["supervisor"] and case.source == "supervisor"

    # The same report once more (an answer lost on a bad line): still one case.
    b.driver.execute_async_script(
        "var done = arguments[0]; var r = indexedDB.open('chengguan-outbox', 1); r.onsuccess = function () {"
        " var t = r.result.transaction('reports', 'readwrite'); t.objectStore('reports').put(window.__kept);"
        " t.oncomplete = function () { r.result.close(); done(true); }; };")
    b.js("window.ChengguanOutbox.render()")
    b.wait(lambda d: b.css("[data-outbox-count]").text == "待上传 1", "the re-sent report is not waiting")
    b.css("[data-outbox-send]").click()
    b.wait(lambda d: "已上传 1 条上报" in b.css("[data-outbox-status]").text, "the re-sent report was not sent")
    assert Case.objects.count() == 1 and Case.objects.get().attachments.count() == 1
    b.js("document.querySelector('[data-outbox]').scrollIntoView()")
    b.shoot("outbox-online-phone")
    offline_noise = ("ERR_INTERNET_DISCONNECTED", "htmx:sendError", "htmx:afterRequest")  # the cut network itself
    assert [e for e in b.console_errors() if not any(n in e for n in offline_noise)] == []
    assert b.foreign_requests() == []
