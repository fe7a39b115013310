"""Periods: every kind parses, knows its days and its predecessor; bad input names `period`."""

from datetime import date

import pytest

from chengguan.core.errors import ValidationError
from chengguan.evaluation.periods import parse_period, period_of_kind


@pytest.mark.parametrize(
    "text, kind, start, end",
    [
        ("2026-11-03", "day", date(2026, 11, 3), date(2026, 11, 4)),
        ("2026-W45", "week", date(2026, 11, 2), date(2026, 11, 9)),
        ("2026-11", "month", date(2026, 11, 1), date(2026, 12, 1)),
        ("2026-12", "month", date(2026, 12, 1), date(2027, 1, 1)),
        ("2026-Q4", "quarter", date(2026, 10, 1), date(2027, 1, 1)),
        ("2026", "year", date(2026, 1, 1), date(2027, 1, 1)),
        ("2026-11-01..2026-11-15", "custom", date(2026, 11, 1), date(2026, 11, 16)),
    ],
)
def test_it_parses_every_kind(text, kind, start, end):
    p = parse_period(text)
    assert (p.kind, p.start, p.end) == (kind, start, end)
    assert parse_period(p.code) == p


def test_it_steps_back_and_builds_series():
    assert parse_period("2026-01").previous().code == "2025-12"
    assert parse_period("2026-Q1").previous().code == "2025-Q4"
    assert parse_period("2026-W01").previous().code == "2025-W52"
    assert [p.code for p in parse_period("2026-03").series(3)] == ["2026-01", "2026-02", "2026-03"]
    custom = parse_period("2026-03-11..2026-03-20")
    assert custom.previous().code == "2026-03-01..2026-03-10"


def test_months_convert_counts_for_monthly_ladders():
    assert parse_period("2026-02").months == 1
    assert parse_period("2026").months == 12
    assert parse_period("2026-Q2").months == 3
    assert parse_period("2026-03-01..2026-03-31").months == pytest.approx(31 / 30.4375)


def test_an_empty_period_is_the_current_month():
    assert parse_period("", today=date(2026, 11, 22)).code == "2026-11"
    assert period_of_kind("week", date(2026, 11, 22)).code == "2026-W47"


@pytest.mark.parametrize(
    "text",
    ["2026-13", "2026-00", "2026-W54", "2026-Q5", "26", "2026-02-30", "x..y", "2026-03-02..2026-03-01"],
)
def test_bad_periods_name_the_field(text):
    with pytest.raises(ValidationError) as err:
        parse_period(text)
    assert err.value.field == "period" and err.value.status == 422
