"""Deadlines over the working calendar: lunch, nights, weekends, 2026 holidays and make-up workdays."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chengguan.core import workcalendar
from chengguan.core.errors import ValidationError
from chengguan.core.models import CalendarDay, CalendarYear, WorkingHours, parse_hours
from chengguan.core.testing import package_knows_up_to_2026  # noqa: F401 - autouse: pins chinesecalendar
from chengguan.core.workcalendar import (
    add_working_time,
    is_workday,
    traffic_light,
    working_time_between,
)

SH = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_calendar():
    # The calendar cache outlives a test's rolled-back transaction; start and end each test clean.
    workcalendar.clear_cache()
    yield
    workcalendar.clear_cache()


def at(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SH)


# 2026-11-23 is a Monday; 2026-11-20 a Friday.


def test_it_adds_minutes_within_a_morning():
    assert add_working_time(at(2026, 11, 23, 9, 0), 30) == at(2026, 11, 23, 9, 30)


def test_it_skips_the_lunch_break():
    assert add_working_time(at(2026, 11, 23, 11, 30), 60) == at(2026, 11, 23, 14, 30)


def test_it_ends_at_noon_rather_than_after_lunch_when_the_morning_is_exactly_used():
    assert add_working_time(at(2026, 11, 23, 11, 30), 30) == at(2026, 11, 23, 12, 0)


def test_it_skips_the_night():
    assert add_working_time(at(2026, 11, 23, 17, 30), 60) == at(2026, 11, 24, 8, 30)


def test_it_starts_counting_at_the_next_working_instant_for_a_report_at_night():
    assert add_working_time(at(2026, 11, 23, 22, 0), 30) == at(2026, 11, 24, 8, 30)
    assert add_working_time(at(2026, 11, 23, 12, 40), 30) == at(2026, 11, 23, 14, 30)


def test_it_skips_the_weekend():
    assert add_working_time(at(2026, 11, 20, 17, 0), 2, "working_hours") == at(2026, 11, 23, 9, 0)


def test_it_takes_fractions_of_working_hours():
    assert add_working_time(at(2026, 11, 23, 8, 0), 0.5, "working_hours") == at(2026, 11, 23, 8, 30)


def test_it_returns_the_start_for_a_zero_limit():
    assert add_working_time(at(2026, 11, 21, 10, 0), 0) == at(2026, 11, 21, 10, 0)


def test_it_keeps_the_clock_time_for_working_days():
    assert add_working_time(at(2026, 11, 20, 15, 0), 1, "working_days") == at(2026, 11, 23, 15, 0)
    assert add_working_time(at(2026, 11, 23, 9, 15), 3, "working_days") == at(2026, 11, 26, 9, 15)


def test_it_ends_a_working_day_at_the_close_of_business_for_a_report_out_of_hours():
    friday_evening = at(2026, 11, 20, 20, 0)
    assert add_working_time(friday_evening, 1, "working_days") == at(2026, 11, 23, 18, 0)
    saturday = at(2026, 11, 21, 10, 0)
    assert add_working_time(saturday, 2, "working_days") == at(2026, 11, 24, 18, 0)
    early_monday = at(2026, 11, 23, 7, 0)
    assert add_working_time(early_monday, 1, "working_days") == at(2026, 11, 23, 18, 0)


def test_it_counts_working_days_in_the_same_working_time_as_minutes():
    start = at(2026, 11, 20, 15, 0)
    assert working_time_between(start, add_working_time(start, 2, "working_days")) == 2 * 480


def test_it_moves_a_lunch_time_start_to_the_afternoon_for_working_days():
    assert add_working_time(at(2026, 11, 20, 12, 30), 1, "working_days") == at(2026, 11, 23, 14, 0)


def test_it_adds_half_a_working_day_as_four_working_hours():
    assert add_working_time(at(2026, 11, 23, 10, 0), 1.5, "working_days") == at(2026, 11, 24, 16, 0)


def test_it_skips_national_day_2026():
    # Wed 30 Sep 17:00 + 2 working hours: 1–7 Oct are holidays, Thu 8 Oct is a workday.
    assert add_working_time(at(2026, 9, 30, 17, 0), 2, "working_hours") == at(2026, 10, 8, 9, 0)
    assert add_working_time(at(2026, 9, 30, 15, 0), 1, "working_days") == at(2026, 10, 8, 15, 0)


def test_it_works_on_the_make_up_saturday_after_national_day():
    # Sat 10 Oct 2026 is a 调休 workday; Sun 20 Sep 2026 too.
    assert is_workday(date(2026, 10, 10)) and is_workday(date(2026, 9, 20))
    assert not is_workday(date(2026, 10, 11)) and not is_workday(date(2026, 10, 1))
    assert add_working_time(at(2026, 10, 9, 17, 0), 2, "working_hours") == at(2026, 10, 10, 9, 0)
    assert add_working_time(at(2026, 10, 9, 16, 0), 1, "working_days") == at(2026, 10, 10, 16, 0)


def test_it_uses_mondays_hours_on_a_make_up_saturday():
    assert workcalendar.working_periods(date(2026, 10, 10)) == [
        (at(2026, 10, 10, 8), at(2026, 10, 10, 12)),
        (at(2026, 10, 10, 14), at(2026, 10, 10, 18)),
    ]


def test_it_skips_the_spring_festival_2026():
    # 15–23 Feb 2026 are holidays, Sat 14 Feb and Sat 28 Feb make-up workdays.
    assert is_workday(date(2026, 2, 14)) and is_workday(date(2026, 2, 28))
    assert add_working_time(at(2026, 2, 14, 17, 0), 2, "working_hours") == at(2026, 2, 24, 9, 0)


def test_it_measures_working_time_between_two_instants():
    assert working_time_between(at(2026, 11, 23, 11, 0), at(2026, 11, 23, 15, 0)) == 120
    assert working_time_between(at(2026, 11, 20, 17, 0), at(2026, 11, 23, 9, 0)) == 120
    assert working_time_between(at(2026, 9, 30, 8, 0), at(2026, 10, 9, 8, 0)) == 480 * 2
    assert working_time_between(at(2026, 11, 23, 15, 0), at(2026, 11, 23, 11, 0)) == 0


def test_it_measures_in_the_current_time_zone_whatever_the_input_zone():
    utc = ZoneInfo("UTC")
    start = datetime(2026, 11, 23, 1, 0, tzinfo=utc)  # 09:00 in Shanghai
    deadline = add_working_time(start, 60)
    assert deadline == at(2026, 11, 23, 10, 0) and deadline.tzinfo is not None
    assert str(deadline.tzinfo) == "Asia/Shanghai"


def test_it_adds_natural_time_plainly():
    assert add_working_time(at(2026, 9, 30, 17, 0), 2, "natural_days") == at(2026, 10, 2, 17, 0)
    assert add_working_time(at(2026, 11, 21, 23, 0), 3, "natural_hours") == at(2026, 11, 22, 2, 0)


def test_it_rejects_an_unknown_unit_a_negative_amount_and_a_naive_datetime():
    with pytest.raises(ValidationError) as err:
        add_working_time(at(2026, 11, 23, 9), 1, "fortnights")
    assert err.value.field == "unit"
    with pytest.raises(ValidationError):
        add_working_time(at(2026, 11, 23, 9), -5)
    with pytest.raises(ValueError):
        add_working_time(datetime(2026, 11, 23, 9), 5)


def test_a_year_the_calendar_does_not_know_follows_the_fallback_rule_and_is_provisional():
    # Thu 31 Dec 2026 17:00 + 2 h: 1 Jan 2027 (Fri) is 元旦 by the fixed-date rule, then the weekend.
    deadline = add_working_time(at(2026, 12, 31, 17, 0), 2, "working_hours")
    assert deadline == at(2027, 1, 4, 9, 0)
    assert workcalendar.touches_provisional(at(2026, 12, 31, 17, 0), deadline)
    assert not workcalendar.touches_provisional(at(2026, 12, 1, 9, 0), at(2026, 12, 31, 18, 0))  # control
    assert workcalendar.provisional_years(at(2026, 12, 31), deadline) == [2027]
    # Monday–Friday work; 元旦, 劳动节 (1–2 May) and 国庆节 (1–3 Oct) are tentative holidays.
    assert is_workday(date(2027, 3, 1)) and not is_workday(date(2027, 3, 6))
    assert not is_workday(date(2027, 10, 1)) and is_workday(date(2027, 10, 4))
    assert workcalendar.tentative_holiday(date(2027, 5, 1)) == "劳动节"
    assert workcalendar.tentative_holiday(date(2026, 5, 1)) == ""  # an official year has no tentative days
    # The dispatcher's 20-working-day extension on 5 Dec 2026 (issue 12): no refusal.
    assert add_working_time(at(2026, 12, 28, 9, 0), 40, "working_hours") == at(2027, 1, 5, 9, 0)
    # Sat 5 Dec: 19 working days in December from Mon 7, 1 Jan off, Mon 4 Jan is the 20th.
    assert add_working_time(at(2026, 12, 5, 10, 0), 20, "working_days") == at(2027, 1, 4, 18, 0)


def test_it_uses_an_admin_published_year_with_its_overrides():
    CalendarDay.objects.create(date=date(2027, 1, 1), kind="holiday", note="元旦")
    CalendarYear.objects.create(year=2027, note="国办发明电〔2026〕x号")
    # Thu 31 Dec 2026 17:00 + 2 h: Fri 1 Jan 2027 is a holiday, then the weekend.
    assert add_working_time(at(2026, 12, 31, 17, 0), 2, "working_hours") == at(2027, 1, 4, 9, 0)
    assert not is_workday(date(2027, 1, 2)) and is_workday(date(2027, 1, 5))


def test_it_lets_an_override_declare_a_statutory_workday_a_holiday():
    CalendarDay.objects.create(date=date(2026, 11, 24), kind="holiday", note="local holiday")
    assert add_working_time(at(2026, 11, 23, 17, 0), 2, "working_hours") == at(2026, 11, 25, 9, 0)


def test_it_lets_an_override_declare_a_sunday_a_workday_with_its_own_hours():
    CalendarDay.objects.create(date=date(2026, 11, 22), kind="workday", hours="09:00-11:00", note="防汛值守")
    assert add_working_time(at(2026, 11, 21, 12, 0), 150) == at(2026, 11, 23, 8, 30)


def test_it_picks_up_changed_working_hours_at_once():
    assert add_working_time(at(2026, 11, 23, 16, 30), 60) == at(2026, 11, 23, 17, 30)
    afternoon = WorkingHours.objects.get(weekday=0, start=time(14))
    afternoon.end = time(17)
    afternoon.save()
    assert add_working_time(at(2026, 11, 23, 16, 30), 60) == at(2026, 11, 24, 8, 30)


def test_it_says_what_to_add_when_no_working_hours_exist():
    WorkingHours.objects.all().delete()
    with pytest.raises(ValidationError) as err:
        add_working_time(at(2026, 11, 23, 9), 30)
    assert "工作时间" in err.value.message  # the UI language is Chinese by default


def test_it_colours_the_traffic_light_by_the_share_of_working_time_used():
    start = at(2026, 11, 23, 9, 0)
    deadline = add_working_time(start, 100)  # 10:40
    assert traffic_light(start, deadline, at(2026, 11, 23, 10, 19)) == "green"  # 79 %
    assert traffic_light(start, deadline, at(2026, 11, 23, 10, 20)) == "yellow"  # 80 %
    assert traffic_light(start, deadline, deadline) == "yellow"  # 100 %
    assert traffic_light(start, deadline, at(2026, 11, 23, 10, 41)) == "red"


def test_it_does_not_count_the_weekend_towards_the_traffic_light():
    start = at(2026, 11, 20, 17, 0)
    deadline = add_working_time(start, 8, "working_hours")  # Mon 17:00
    assert traffic_light(start, deadline, at(2026, 11, 22, 20, 0)) == "green"  # 1 h used of 8
    assert traffic_light(start, deadline, at(2026, 11, 23, 15, 30)) == "yellow"


def test_it_turns_red_once_the_deadline_has_passed_even_outside_working_time():
    start = at(2026, 11, 20, 9, 0)
    deadline = add_working_time(start, 1, "working_days")  # Mon 09:00
    assert traffic_light(start, deadline, at(2026, 11, 22, 10, 0)) == "yellow"
    assert traffic_light(start, deadline, at(2026, 11, 23, 9, 1), "working_days") == "red"


def test_it_measures_natural_limits_in_clock_time():
    start = at(2026, 11, 20, 9, 0)
    deadline = add_working_time(start, 10, "natural_days")
    assert traffic_light(start, deadline, at(2026, 11, 27, 9, 0), "natural_days") == "green"  # 70 %
    assert traffic_light(start, deadline, at(2026, 11, 28, 9, 0), "natural_days") == "yellow"  # 80 %


def test_it_validates_hours_written_by_an_admin():
    assert parse_hours("14:00-18:00，08:00-12:00") == [(time(8), time(12)), (time(14), time(18))]
    for bad in ("8-12", "12:00-08:00", "08:00-12:00,11:00-13:00", "25:00-26:00"):
        with pytest.raises(DjangoValidationError):
            parse_hours(bad)
    holiday = CalendarDay(date=date(2026, 11, 24), kind="holiday", hours="08:00-12:00")
    with pytest.raises(DjangoValidationError):
        holiday.full_clean()


def test_it_rejects_overlapping_working_hours_for_one_weekday():
    overlapping = WorkingHours(weekday=0, start=time(11), end=time(15))
    with pytest.raises(DjangoValidationError):
        overlapping.full_clean()
    WorkingHours(weekday=5, start=time(9), end=time(12)).full_clean()


# Any instant of 2026 before mid-December (so that deadlines stay inside the known years).
instants_2026 = st.integers(min_value=0, max_value=340 * 24 * 60).map(
    lambda m: at(2026, 1, 1) + timedelta(minutes=m, seconds=m % 7)
)
property_settings = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@property_settings
@given(start=instants_2026, minutes=st.integers(min_value=0, max_value=3000))
def test_it_always_measures_back_the_minutes_it_added(start, minutes):
    deadline = add_working_time(start, minutes)
    assert deadline >= start
    assert working_time_between(start, deadline) == minutes


@property_settings
@given(start=instants_2026, days=st.integers(min_value=1, max_value=10))
def test_it_makes_a_working_day_worth_one_standard_day_of_working_time(start, days):
    deadline = add_working_time(start, days, "working_days")
    assert working_time_between(start, deadline) == days * 480
    assert is_workday(deadline.date())


@property_settings
@given(
    start=instants_2026,
    a=st.integers(min_value=0, max_value=2000),
    b=st.integers(min_value=0, max_value=2000),
)
def test_it_never_gives_a_longer_limit_an_earlier_deadline(start, a, b):
    low, high = sorted((a, b))
    assert add_working_time(start, low) <= add_working_time(start, high)


def test_fixed_zone_answers_the_zone_current_at_its_start_and_computes_the_same():
    from django.utils import timezone

    start = at(2026, 11, 20, 15)
    expected = [add_working_time(start, n, unit) for n, unit in ((90, "minutes"), (1, "working_days"))]
    with timezone.override(SH):
        with workcalendar.fixed_zone():
            assert workcalendar.current_zone() is SH
            assert [add_working_time(start, n, u) for n, u in ((90, "minutes"), (1, "working_days"))] == expected
            assert working_time_between(start, expected[0]) == 90
        with timezone.override(ZoneInfo("UTC")):
            assert str(workcalendar.current_zone()) == "UTC"  # outside the block: read again
