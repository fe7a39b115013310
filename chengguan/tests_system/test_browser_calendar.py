"""Issue 12 in a real browser, on 5 December 2026 with no official 2027 calendar: the dispatcher approves a
20-working-day extension that reaches into 2027 — no refusal, the new deadline is shown with 暂定; the
administrator sees the banner, pastes the 2027 notice, checks what was read and saves it; the case's deadline is
recomputed (a history row) and no longer provisional. Screenshots: artifacts/screenshots/calendar-*.png."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from chengguan.cases.testing import Walker
from chengguan.core import workcalendar
from chengguan.core.testing import NOTICE_2027, package_knows_up_to_2026  # noqa: F401 - autouse fixture

from .browser import requires_chromium
from .figures import add

pytestmark = [
    pytest.mark.browser,
    requires_chromium,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
TODAY = datetime(2026, 12, 5, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))  # a Saturday; the "today"


def test_the_dispatcher_approves_a_20_working_day_extension_into_2027_today(browser, city, settings, tmp_path):
    from chengguan.cases.models import CaseEvent
    from chengguan.cases.workflow import State
    from chengguan.catalog.models import MatterType
    from chengguan.grids.testing import make_grids

    settings.MEDIA_ROOT = tmp_path / "media"
    make_grids(city)
    b = browser
    with time_machine.travel(TODAY, tick=True):
        walker = Walker(city, MatterType.objects.get(code="06010"))
        case = walker.to(State.DISPATCHED)
        case = walker.act(case, "request_extension", "department_handler", amount=20, unit="working_days",
                          reason="需协调供电部门迁改线路")
        before = case.deadline

        # The dispatcher approves on the case page.
        b.sign_in(city["dispatcher"])
        b.get(f"/cases/{case.pk}/")
        panel = b.css('details[data-action="approve_extension"]')
        if not panel.get_attribute("open"):
            b.css("summary", panel).click()
        b.css("button[type=submit]", panel).click()
        b.wait(lambda d: b.all(".messages li"), "no answer from the page")
        said = " | ".join(e.text for e in b.all(".messages li"))
        assert b.all(".messages li.success"), f"the extension was refused: {said}"
        case.refresh_from_db()
        assert case.extension_count == 1 and case.deadline > before and case.deadline.year == 2027
        assert case.deadline_provisional
        facts = b.css("dl").text
        assert "暂定" in facts and f"{workcalendar.timezone.localtime(case.deadline):%Y-%m-%d %H:%M}" in facts
        b.shoot("calendar-1-extension-approved")
        add("browser: steps done", 1)

        # The administrator sees the banner (from 1 October), pastes the 2027 notice, checks it and saves it.
        b.sign_in(city["admin"])
        b.get("/")
        assert "2027年的节假日安排尚未录入" in b.css(".calendar-banner").text
        b.css(".calendar-banner a").click()
        b.wait(lambda d: d.current_url.endswith("/calendar/import/"), "the banner's link did not open the form")
        b.js("document.getElementById('notice-text').value = arguments[0]", NOTICE_2027.read_text(encoding="utf-8"))
        b.css('button[value="preview"]').click()
        b.wait(lambda d: b.all("#notice-preview"), "the notice was not read")
        preview = b.css("#notice-preview").text
        assert "春节" in preview and "2月5日–2月12日" in preview and "2月20日" in preview
        b.shoot("calendar-2-notice-preview")
        b.css('button[value="save"]').click()
        b.wait(lambda d: b.all("#notice-saved"), "the notice was not saved")
        assert not b.all(".calendar-banner")
        b.shoot("calendar-3-notice-saved")

        # The 2027 notice keeps 1–3 January off as the fallback did: the deadline stands, no longer provisional
        # (a deadline the notice moves is recomputed with a history row: cases/tests/test_calendar_rollover.py).
        approved = case.deadline
        case.refresh_from_db()
        assert not case.deadline_provisional and case.deadline == approved
        assert f"{workcalendar.timezone.localtime(approved):%Y-%m-%d %H:%M}" == "2027-01-07 18:00"
        assert not CaseEvent.objects.filter(case=case, action="recompute_deadline").exists()
        b.sign_in(city["dispatcher"])
        b.get(f"/cases/{case.pk}/")
        assert "暂定" not in b.css("dl").text
        b.shoot("calendar-4-case-after")
    assert not b.console_errors()
    add("browser: journeys completed", 1)
