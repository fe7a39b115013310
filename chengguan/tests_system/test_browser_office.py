"""The printable forms and the monthly report page in Chromium: the 派遣单 and 延期审批表 pages as on screen and as
printed (print media emulated; print.css), the 执法案件审批表, and the leaders' monthly report page. Screenshots go
to artifacts/office/screens/ to be looked at; the pages load no script error (the print button's script passes
the CSP) and nothing foreign."""

import pytest
import time_machine

from chengguan.cases.testing import T0, Walker
from chengguan.cases.workflow import State
from chengguan.catalog.models import MatterType
from chengguan.grids.testing import make_grids
from chengguan.tests_system.browser import browser, chromium, requires_chromium  # noqa: F401
from chengguan.tests_system.figures import artifacts_dir

pytestmark = [requires_chromium, pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]  # fmt: skip


def _shot(b, name):
    out = artifacts_dir() / "office" / "screens"
    out.mkdir(parents=True, exist_ok=True)
    b.driver.save_screenshot(str(out / f"{name}.png"))


def test_forms_and_the_monthly_page_on_screen_and_in_print(browser, city):  # noqa: F811
    make_grids(city)
    with time_machine.travel(T0, tick=False):
        walk = Walker(city, MatterType.objects.get(code="06010"))
        case = walk.to(State.DISPATCHED)
        walk.act(case, "request_extension", "department_handler", amount=4, unit="working_hours", reason="需协调环卫车辆")
    b = browser
    b.desktop(1100, 1000)
    b.sign_in(city["dispatcher"])
    b.get(f"/cases/{case.pk}/")
    links = [a.text for a in b.all(".print-links a")]
    assert links == ["案卷单", "派遣单", "延期/挂账审批表"], links
    for kind in ("dispatch", "request"):
        b.get(f"/cases/{case.pk}/sheet/{kind}/")
        b.wait(lambda d: b.all("article.sheet"), "no sheet")
        assert b.css(".sheet h1").text in ("城市管理派遣单", "延期审批表")
        assert b.page_overflow() <= 0
        _shot(b, f"sheet-{kind}")
        b.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        assert not b.css(".sheet-tools").is_displayed() and not b.all(".topbar") or not b.css(".topbar").is_displayed()
        _shot(b, f"sheet-{kind}-print")
        b.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    assert not b.console_errors(), b.console_errors()
    assert not b.foreign_requests()
    b.sign_in(city["leader"])
    b.get("/evaluation/monthly/")
    b.wait(lambda d: b.all("table.monthly-reports"), "no monthly table")
    assert "月度分析报告" in b.css("h1").text and len(b.all("table.monthly-reports tbody tr")) >= 12
    _shot(b, "monthly-page")
    assert not b.console_errors(), b.console_errors()
