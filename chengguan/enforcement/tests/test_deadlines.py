"""Statutory periods counted with the working calendar (holidays, 调休 make-up Saturdays, weekends)."""

from datetime import date
from decimal import Decimal

import pytest

from chengguan.core.errors import ValidationError
from chengguan.enforcement import deadlines

from .conftest import at


def local_day(moment):
    from django.utils import timezone

    return timezone.localtime(moment).date()


@pytest.mark.parametrize(
    "name,start,expected",
    [
        # 15 natural days; 2026-05-05 is a Labour Day holiday, so the period ends on the next working day
        ("clue_verification", at(2026, 4, 20), date(2026, 5, 6)),
        ("clue_verification", at(2026, 3, 2), date(2026, 3, 17)),
        # 90 natural days from 2026-03-02 end on Sunday 31 May → Monday 1 June
        ("decision", at(2026, 3, 2), date(2026, 6, 1)),
        # 5 working days across the Qingming holiday (4–6 April)
        ("hearing_request", at(2026, 4, 2), date(2026, 4, 10)),
        # 7 working days across May Day, counting the make-up Saturday 9 May
        ("service", at(2026, 4, 29), date(2026, 5, 12)),
        ("disclosure", at(2026, 4, 29), date(2026, 5, 12)),
        ("payment", at(2026, 3, 13), date(2026, 3, 30)),  # 28 March is a Saturday → Monday 30
        ("seizure", at(2026, 3, 3), date(2026, 4, 2)),
        ("lawsuit_window", at(2026, 3, 13), date(2026, 9, 14)),  # 13 September is a Sunday
        ("review_window", at(2026, 3, 13), date(2026, 5, 12)),
        ("urge_to_court", at(2026, 4, 1), date(2026, 4, 16)),
        ("disclosure_withdrawal", at(2026, 4, 3), date(2026, 4, 9)),
    ],
)
def test_it_counts_statutory_periods(db, name, start, expected):
    due = deadlines.due(name, start)
    assert local_day(due) == expected and (due.hour, due.minute) == (23, 59)


def test_hour_periods_are_exact(db):
    assert deadlines.due("referral_handover", at(2026, 4, 3, 16, 30)) == at(2026, 4, 4, 16, 30)
    assert deadlines.due("emergency_approval", at(2026, 4, 3, 16, 30)) == at(2026, 4, 4, 16, 30)


def test_a_city_may_override_a_period(db, settings):
    settings.ENFORCEMENT_PERIODS = {"payment": (30, "natural_days")}
    assert local_day(deadlines.due("payment", at(2026, 3, 2))) == date(2026, 4, 1)


def test_a_year_the_calendar_does_not_know_follows_the_fallback_rule(db):
    # Mon 3 Mar 2031 + 5 working days, Monday–Friday (issue 12: no refusal; the stored field is provisional).
    assert local_day(deadlines.due("hearing_request", at(2031, 3, 3))) == date(2031, 3, 10)


def test_late_fee_is_three_percent_a_day_capped_at_the_fine(db):
    due = at(2026, 3, 30).replace(hour=23, minute=59)
    fee, days = deadlines.late_fee(fine=Decimal("5000"), payment_due=due, paid_on=date(2026, 4, 4))
    assert (fee, days) == (Decimal("750.00"), 5)
    fee, days = deadlines.late_fee(fine=Decimal("5000"), payment_due=due, paid_on=date(2026, 6, 1))
    assert fee == Decimal("5000") and days == 63
    # no late fee while an administrative review runs (第73条)
    fee, days = deadlines.late_fee(fine=Decimal("5000"), payment_due=due, paid_on=date(2026, 4, 10),
                                   paused=[(date(2026, 4, 2), date(2026, 4, 8))])
    assert days == 4 and fee == Decimal("600.00")


def test_limitation_is_two_years_from_the_end_of_the_act(db):
    assert deadlines.limitation_check(violation_date=date(2024, 3, 1), violation_end_date=None, years=2,
                                      discovered_on=date(2026, 3, 1)) == date(2026, 3, 1)
    with pytest.raises(ValidationError) as err:
        deadlines.limitation_check(violation_date=date(2024, 3, 1), violation_end_date=None, years=2,
                                   discovered_on=date(2026, 3, 2))
    assert err.value.field == "violation_date" and err.value.code == "limitation"
    deadlines.limitation_check(violation_date=date(2023, 1, 1), violation_end_date=date(2024, 6, 1), years=2,
                               discovered_on=date(2026, 3, 2))  # a continuing act counts from its end
    deadlines.limitation_check(violation_date=date(2022, 1, 1), violation_end_date=None, years=5,
                               discovered_on=date(2026, 3, 2))


def test_no_enforcement_at_night_or_on_public_holidays(db):
    assert deadlines.enforcement_time_allowed(at(2026, 4, 3, 10))
    assert not deadlines.enforcement_time_allowed(at(2026, 4, 3, 22, 30))
    assert not deadlines.enforcement_time_allowed(at(2026, 4, 3, 5, 0))
    assert not deadlines.enforcement_time_allowed(at(2026, 4, 6, 10))  # Qingming holiday (a Monday)
    assert deadlines.enforcement_time_allowed(at(2026, 4, 11, 10))  # an ordinary Saturday


def test_traffic_light(db):
    start, due = at(2026, 3, 1), at(2026, 3, 11)
    assert deadlines.light(start, due, at(2026, 3, 5)) == "green"
    assert deadlines.light(start, due, at(2026, 3, 9, 12)) == "yellow"
    assert deadlines.light(start, due, at(2026, 3, 12)) == "red"
    assert deadlines.light(start, due, at(2026, 3, 12), done=at(2026, 3, 10)) == "done"


def test_periods_of_the_body_may_run_into_a_year_the_calendar_does_not_know(db):
    # 6 months from 2026-11-20 is 2027-05-20, a Thursday; the 2027 calendar is not published yet
    assert local_day(deadlines.due("lawsuit_window", at(2026, 11, 20))) == date(2027, 5, 20)
    assert local_day(deadlines.due("decision", at(2026, 12, 3))) == date(2027, 3, 3)
    # Since issue 12 nothing refuses: a gate against the party and the party's own short period follow the
    # fallback rule (1 Jan is 元旦 by its fixed date) and are flagged provisional where they are stored.
    assert local_day(deadlines.due("lawsuit_window", at(2026, 11, 20), strict=True)) == date(2027, 5, 20)
    assert local_day(deadlines.due("hearing_request", at(2026, 12, 28))) == date(2027, 1, 5)
