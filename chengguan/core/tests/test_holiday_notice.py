"""The State Council's holiday notice, read line by line: the real 2025 and 2026 wording agrees with
chinesecalendar day by day; a text it cannot read is refused naming the line; entering it is one step."""

from datetime import date, timedelta
from io import StringIO

import chinese_calendar
import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from chengguan.core import workcalendar
from chengguan.core.calendar_service import calendar_status, remind
from chengguan.core.errors import ValidationError
from chengguan.core.holiday_notice import parse_notice
from chengguan.core.models import CalendarDay, CalendarYear
from chengguan.core.testing import NOTICE_DIR, package_knows_up_to_2026  # noqa: F401 - autouse fixture

REAL_IS_WORKDAY = chinese_calendar.is_workday  # before the autouse pin: the package's own answer


def notice(year) -> str:
    name = "notice_2027_sample.txt" if year == 2027 else f"notice_{year}.txt"
    return (NOTICE_DIR / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_real_notice_agrees_with_chinesecalendar_on_every_day_of_its_year(year):
    arrangement = parse_notice(notice(year))
    assert arrangement.year == year and arrangement.document_number.startswith("国办发明电")
    off = {d for d, _n in arrangement.holidays}
    on = {d for d, _n in arrangement.workdays}
    day, disagreements = date(year, 1, 1), []
    while day.year == year:
        expected = day in on or (day.weekday() < 5 and day not in off)
        if REAL_IS_WORKDAY(day) != expected:
            disagreements.append(day)
        day += timedelta(days=1)
    assert disagreements == []
    assert len(on) == {2025: 5, 2026: 6}[year]


def test_it_reads_each_holiday_and_its_make_up_workdays():
    a = parse_notice(notice(2026))
    rows = {r["name"]: r for r in a.summary()}
    assert list(rows) == ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]
    assert (rows["春节"]["first"], rows["春节"]["last"], rows["春节"]["count"]) == (date(2026, 2, 15), date(2026, 2, 23), 9)
    assert rows["春节"]["workdays"] == [date(2026, 2, 14), date(2026, 2, 28)]
    assert rows["国庆节"]["workdays"] == [date(2026, 9, 20), date(2026, 10, 10)]
    assert parse_notice(notice(2025)).summary()[-1]["name"] == "国庆节、中秋节"
    a27 = parse_notice(notice(2027))
    assert a27.year == 2027 and (date(2027, 2, 20), "春节调休") in a27.workdays
    assert (date(2027, 6, 9), "端午节") in a27.holidays and len(a27.holidays) == 3 + 8 + 3 + 5 + 1 + 1 + 7


@pytest.mark.parametrize(
    "line, why",
    [
        ("二、春节：2月5日（农历除夕、周五）至12日（农历正月初七、周五）放假调休，共9天。", "共9天"),
        ("二、春节：2月5日（周四）至12日（周五）放假调休，共8天。", "不是周四"),
        ("二、春节：2月5日（周五）至12日（周五）放假调休，共8天。2月17日（周三）上班。", "不是周末"),
        ("二、春节：放假安排另行通知。", "放假日期"),
        ("二、春节：2月5日至12日放假调休，共8天。另行安排补班。", "看不懂"),
        ("2月20日（周六）上班。", "条目"),
    ],
)
def test_it_refuses_a_text_it_cannot_read_naming_the_line(line, why):
    lines = notice(2027).splitlines()
    number = next(i for i, text in enumerate(lines) if "二、春节" in text)
    lines[number] = "　　" + line
    with pytest.raises(ValidationError) as err:
        parse_notice("\n".join(lines))
    assert err.value.message.startswith(f"第{number + 1}行") and why in err.value.message
    assert err.value.field == "text"


def test_it_refuses_a_text_without_year_or_holidays():
    with pytest.raises(ValidationError, match="找不到年份"):
        parse_notice("一、元旦：1月1日（周五）放假1天。")
    with pytest.raises(ValidationError, match="没有找到放假条目"):
        parse_notice("国务院办公厅关于2027年部分节假日安排的通知\n经国务院批准，另行通知。")


@pytest.mark.django_db
def test_the_command_reads_saves_and_refuses(tmp_path):
    path = tmp_path / "2027.txt"
    path.write_text(notice(2027), encoding="utf-8")
    out = StringIO()
    call_command("calendar", "import", str(path), "--dry-run", stdout=out)
    assert "春节: 02-05 – 02-12, 8 days; make-up workdays 02-20" in out.getvalue()
    assert not CalendarYear.objects.exists()
    call_command("calendar", "import", str(path), stdout=out)
    assert CalendarYear.objects.get().year == 2027
    assert CalendarDay.objects.get(date=date(2027, 2, 20)).kind == "workday"
    assert not workcalendar.is_workday(date(2027, 2, 8)) and workcalendar.is_workday(date(2027, 2, 20))
    with pytest.raises(CommandError, match="已录入|entered already"):
        call_command("calendar", "import", str(path), stdout=out)
    path.write_text(notice(2026), encoding="utf-8")
    with pytest.raises(CommandError, match="2026"):  # the package knows 2026 already
        call_command("calendar", "import", str(path), stdout=out)


@pytest.mark.django_db
def test_the_admin_pastes_checks_and_saves_the_notice_in_one_step(city, login):
    client = login(city["admin"])
    url = reverse("calendar_import")
    page = client.get(url).content.decode()
    assert "录入节假日安排" in page and "尚未录入" in page
    preview = client.post(url, {"text": notice(2027), "step": "preview"}).content.decode()
    assert "从通知中读出：2027年" in preview and "2月20日" in preview and "确认并保存" in preview
    assert not CalendarYear.objects.exists()
    saved = client.post(url, {"text": notice(2027), "step": "save"}).content.decode()
    assert "已保存2027年" in saved and CalendarYear.objects.filter(year=2027).exists()
    bad = client.post(url, {"text": notice(2027).replace("共8天", "共9天"), "step": "preview"})
    assert bad.status_code == 422 and "第7行无法识别" in bad.content.decode()


@pytest.mark.django_db
def test_only_calendar_administrators_may_enter_the_notice(city, login):
    url = reverse("calendar_import")
    for persona in ("dispatcher", "outsider"):
        client = login(city[persona])
        assert client.get(url).status_code == 403
        assert client.post(url, {"text": notice(2027), "step": "save"}).status_code == 403
    assert not CalendarYear.objects.exists()
    assert login(city["admin"]).get(url).status_code == 200  # positive control


@pytest.mark.django_db
def test_administrators_are_reminded_from_october_until_the_year_is_entered(city, login):
    from chengguan.cases.models import Notification

    with time_machine.travel("2026-09-30 10:00 +0800", tick=False):
        assert not calendar_status()["reminder"] and remind() == 0
        assert "calendar-banner" not in login(city["admin"]).get("/").content.decode()
    with time_machine.travel("2026-10-01 10:00 +0800", tick=False):
        assert calendar_status() == {"year": 2027, "official": False, "source": "fallback", "reminder": True}
        page = login(city["admin"]).get("/").content.decode()
        assert "calendar-banner" in page and "2027年的节假日安排尚未录入" in page
        assert "calendar-banner" in login(city["admin"]).get(reverse("admin:index")).content.decode()
        assert "calendar-banner" not in login(city["dispatcher"]).get("/").content.decode()
        assert remind() >= 1 and remind() == 0  # one unread notice per administrator
        assert Notification.objects.filter(user=city["admin"], kind="calendar_missing").count() == 1
        assert not Notification.objects.filter(user=city["dispatcher"], kind="calendar_missing").exists()
        assert login(city["admin"]).get("/healthz").json()["calendar_next_year"] == {"year": 2027, "source": "fallback"}
        CalendarYear.objects.create(year=2027)
        assert remind() == 0 and "calendar-banner" not in login(city["admin"]).get("/").content.decode()
        assert login(city["admin"]).get("/healthz").json()["calendar_next_year"]["source"] == "entered"
