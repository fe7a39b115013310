"""Evaluation periods: a day, an ISO week, a month, a quarter, a year or a custom range of days.

    2026-11-03            day
    2026-W45              ISO week (Monday to Sunday)
    2026-11               month
    2026-Q4               quarter
    2026                  year
    2026-11-01..2026-11-15  custom, both days included

A bad period raises `ValidationError(field="period")` (HTTP 422).
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengguan.core.errors import ValidationError

KINDS = ("day", "week", "month", "quarter", "year", "custom")
KIND_LABELS = {
    "day": _("day"),
    "week": _("week"),
    "month": _("month"),
    "quarter": _("quarter"),
    "year": _("year"),
    "custom": _("custom"),
}
MAX_CUSTOM_DAYS = 366 * 3
DAYS_PER_MONTH = 365.25 / 12

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$", re.I)
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.I)
_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Period:
    kind: str
    start: date  # first day
    end: date  # first day after the period

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def code(self) -> str:
        s = self.start
        if self.kind == "day":
            return s.isoformat()
        if self.kind == "week":
            year, week, _wd = s.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return f"{s.year}-{s.month:02d}"
        if self.kind == "quarter":
            return f"{s.year}-Q{(s.month - 1) // 3 + 1}"
        if self.kind == "year":
            return str(s.year)
        return f"{s.isoformat()}..{self.last.isoformat()}"

    def __str__(self):
        return self.code

    @property
    def months(self) -> float:
        """How many months the period is worth, for ladders whose bounds are per month."""
        exact = {"month": 1, "quarter": 3, "year": 12}
        return exact.get(self.kind, self.days / DAYS_PER_MONTH)

    def previous(self) -> "Period":
        if self.kind == "day":
            return day_period(self.start - timedelta(days=1))
        if self.kind == "week":
            return Period("week", self.start - timedelta(days=7), self.start)
        if self.kind == "month":
            return month_period(*_shift_month(self.start.year, self.start.month, -1))
        if self.kind == "quarter":
            y, m = _shift_month(self.start.year, self.start.month, -3)
            return Period("quarter", date(y, m, 1), self.start)
        if self.kind == "year":
            return Period("year", date(self.start.year - 1, 1, 1), self.start)
        return Period("custom", self.start - timedelta(days=self.days), self.start)

    def series(self, n: int) -> list["Period"]:
        """The `n` periods of the same kind ending with this one, oldest first."""
        out = [self]
        while len(out) < n:
            out.append(out[-1].previous())
        return out[::-1]


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def day_start(day: date) -> datetime:
    """Midnight (local time) at the start of `day`, aware."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def day_period(day: date) -> Period:
    return Period("day", day, day + timedelta(days=1))


def month_period(year: int, month: int) -> Period:
    y, m = _shift_month(year, month, 1)
    return Period("month", date(year, month, 1), date(y, m, 1))


def _bad(text: str) -> ValidationError:
    return ValidationError(
        f"Unknown period {text!r}: use 2026-11-03, 2026-W45, 2026-11, 2026-Q4, 2026 or 2026-11-01..2026-11-15.",
        field="period",
    )


def _date(text: str, original: str) -> date:
    m = _DAY.match(text.strip())
    if not m:
        raise _bad(original)
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError as exc:
        raise _bad(original) from exc


def parse_period(text: str | None, *, today: date | None = None) -> Period:
    """Parse a period; an empty one is the current month."""
    original = text or ""
    text = (text or "").strip()
    if not text:
        today = today or timezone.localdate()
        return month_period(today.year, today.month)
    if ".." in text:
        first, _sep, last = text.partition("..")
        start, stop = _date(first, original), _date(last, original)
        if stop < start:
            raise ValidationError("The period ends before it starts.", field="period")
        if (stop - start).days >= MAX_CUSTOM_DAYS:
            raise ValidationError("A custom period is at most three years long.", field="period")
        return Period("custom", start, stop + timedelta(days=1))
    if _DAY.match(text):
        return day_period(_date(text, original))
    try:
        if m := _WEEK.match(text):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return Period("week", monday, monday + timedelta(days=7))
        if m := _MONTH.match(text):
            if not 1 <= int(m[2]) <= 12:
                raise _bad(original)
            return month_period(int(m[1]), int(m[2]))
        if m := _QUARTER.match(text):
            first_month = (int(m[2]) - 1) * 3 + 1
            y, mm = _shift_month(int(m[1]), first_month, 3)
            return Period("quarter", date(int(m[1]), first_month, 1), date(y, mm, 1))
        if m := _YEAR.match(text):
            return Period("year", date(int(m[1]), 1, 1), date(int(m[1]) + 1, 1, 1))
    except ValueError as exc:
        raise _bad(original) from exc
    raise _bad(original)


def period_of_kind(kind: str, today: date) -> Period:
    """The current period of a kind containing `today` (custom: the last 30 days)."""
    if kind == "day":
        return day_period(today)
    if kind == "week":
        monday = today - timedelta(days=today.weekday())
        return Period("week", monday, monday + timedelta(days=7))
    if kind == "quarter":
        first = (today.month - 1) // 3 * 3 + 1
        return parse_period(f"{today.year}-Q{(first - 1) // 3 + 1}")
    if kind == "year":
        return parse_period(str(today.year))
    if kind == "custom":
        return Period("custom", today - timedelta(days=29), today + timedelta(days=1))
    return month_period(today.year, today.month)
