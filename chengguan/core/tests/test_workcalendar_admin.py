"""Admins maintain the working calendar; a change takes effect at once."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from chengguan.core import workcalendar
from chengguan.core.models import CalendarDay, CalendarYear
from chengguan.core.testing import package_knows_up_to_2026  # noqa: F401 - autouse: pins chinesecalendar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendar():
    workcalendar.clear_cache()
    yield
    workcalendar.clear_cache()


@pytest.mark.parametrize("model", ["workinghours", "calendarday", "calendaryear"])
def test_it_lists_the_calendar_tables_for_the_admin(city, login, model):
    client = login(city["admin"])
    assert client.get(reverse(f"admin:core_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:core_{model}_add")).status_code == 200


def test_it_keeps_the_calendar_admin_from_everyone_else(city, login):
    for persona in ("shift_leader", "outsider", "nobody"):
        response = login(city[persona]).get(reverse("admin:core_calendarday_changelist"))
        assert response.status_code == 302


def test_it_lets_the_admin_publish_a_new_year(city, login):
    client = login(city["admin"])
    assert not workcalendar.is_official(2027)
    assert workcalendar.is_workday(date(2027, 2, 8))  # the fallback rule: an ordinary Monday
    response = client.post(
        reverse("admin:core_calendarday_add"),
        {"date": "2027-01-01", "kind": "holiday", "hours": "", "note": "元旦"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("admin:core_calendaryear_add"), {"year": "2027", "note": "国务院办公厅通知"}
    )
    assert response.status_code == 302
    assert CalendarYear.objects.filter(year=2027).exists()
    assert not workcalendar.is_workday(date(2027, 1, 1)) and workcalendar.is_workday(date(2027, 1, 4))
    assert workcalendar.is_official(2027)


def test_it_refuses_hours_on_a_holiday_in_the_admin(city, login):
    client = login(city["admin"])
    response = client.post(
        reverse("admin:core_calendarday_add"),
        {"date": "2026-11-24", "kind": "holiday", "hours": "08:00-12:00", "note": ""},
    )
    assert response.status_code == 200 and not CalendarDay.objects.exists()


def test_it_applies_an_override_made_in_the_admin_to_the_next_deadline(city, login):
    sh = ZoneInfo("Asia/Shanghai")
    start = datetime(2026, 11, 23, 17, 0, tzinfo=sh)
    assert workcalendar.add_working_time(start, 2, "working_hours") == datetime(2026, 11, 24, 9, 0, tzinfo=sh)
    login(city["admin"]).post(
        reverse("admin:core_calendarday_add"),
        {"date": "2026-11-24", "kind": "holiday", "hours": "", "note": "停电"},
    )
    assert workcalendar.add_working_time(start, 2, "working_hours") == datetime(2026, 11, 25, 9, 0, tzinfo=sh)


def test_it_answers_for_an_unknown_year_with_the_fallback_rule_instead_of_refusing():
    assert workcalendar.is_workday(date(2027, 6, 1))  # a Tuesday
    assert not workcalendar.is_workday(date(2027, 6, 5))  # a Saturday
    assert not workcalendar.is_workday(date(2027, 10, 1))  # 国庆节, tentative


def test_it_shows_the_calendar_admin_in_chinese(city, login):
    page = login(city["admin"]).get(reverse("admin:core_workinghours_changelist")).content.decode()
    assert "工作时间" in page and "星期一" in page


def test_it_refuses_to_publish_a_year_the_package_already_knows(city, login):
    response = login(city["admin"]).post(reverse("admin:core_calendaryear_add"), {"year": "2026", "note": ""})
    assert response.status_code == 200 and not CalendarYear.objects.exists()
    assert "2026" in response.content.decode()


def test_it_shows_the_weekday_of_each_override_in_chinese(city, login):
    CalendarDay.objects.create(date=date(2026, 10, 10), kind="workday", note="国庆节调休")
    page = login(city["admin"]).get(reverse("admin:core_calendarday_changelist")).content.decode()
    assert "星期六" in page and "国庆节调休" in page
