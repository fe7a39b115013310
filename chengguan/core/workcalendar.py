"""Working-time arithmetic: deadlines and elapsed working time over the working calendar.

Units (`UNITS`): "minutes" are *working* minutes, "working_hours" = 60 working minutes, "working_days" count
working days (see below), "natural_days" / "natural_hours" are plain clock time.

Working-day convention: a start outside working time first moves to the next working instant; N working days
later is the same clock time on the Nth next working day, clamped into that day's working hours. A start at
the very beginning of a working day ends at the close of the Nth working day counting that day (so a report
on Friday evening, due in 1 working day, is due Monday 18:00, not Tuesday 08:00). Friday 15:00 + 1 working
day = Monday 15:00. A fraction of a working day is that share of a standard (Monday) working day, in
working minutes.

A year without official data (neither chinesecalendar nor an admin-entered `CalendarYear` knows it) is never
refused: it follows the fallback rule — Monday–Friday working, and the statutory holidays whose solar dates are
fixed (元旦 1 Jan, 劳动节 1–2 May, 国庆节 1–3 Oct, 全国年节及纪念日放假办法) off, marked tentative. A deadline
whose computation touched such a year is *provisional* (`touches_provisional`); it is stored with a flag and
recomputed when the year's official arrangement is entered (`chengguan.core.calendar_recompute`).

The calendar tables are small; they are read once into a per-process cache, which is cleared when a row
changes in this process and re-read at least every `CACHE_SECONDS` (other processes pick up admin edits
within that time).
"""

import contextlib
import contextvars
import threading
import time as _time
from datetime import date, datetime, timedelta

import chinese_calendar
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import ValidationError

UNITS = ("minutes", "working_hours", "working_days", "natural_days", "natural_hours")
WORKING_UNITS = frozenset({"minutes", "working_hours", "working_days"})
NATURAL_UNITS = frozenset({"natural_days", "natural_hours"})
CACHE_SECONDS = 60
DAY_SECONDS = 86400
# A deadline search gives up after this many days without working time (a broken calendar, not a deadline).
MAX_SEARCH_DAYS = 366 * 3
# 全国年节及纪念日放假办法 (2024): the holidays whose solar dates are fixed; the lunar ones (春节, 端午, 中秋) and
# 清明 (a solar term) cannot be guessed, nor can the 调休 arrangement, which the State Council decides each year.
TENTATIVE_HOLIDAYS = {
    (1, 1): "元旦",
    (5, 1): "劳动节",
    (5, 2): "劳动节",
    (10, 1): "国庆节",
    (10, 2): "国庆节",
    (10, 3): "国庆节",
}


class CalendarUnknown(ValidationError):
    """Kept for callers that still catch it: since issue 12 the calendar never raises it (a year without
    official data follows the fallback rule and its deadlines are provisional)."""

    code = "calendar_unknown"

    def __init__(self, year: int):
        super().__init__(
            _(
                "The working calendar has no data for %(year)s: add its holidays and make-up workdays in admin "
                "→ date overrides, then add %(year)s under calendar years; or upgrade chinesecalendar."
            )
            % {"year": year}
        )
        self.year = year


def _seconds(t) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def package_knows(year: int) -> bool:
    """True when the installed chinesecalendar has the State Council's arrangement for `year`."""
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


class _Calendar:
    """A snapshot of the calendar tables with a memo of each day's working periods (seconds of day).

    `unofficial` names years to treat as if their arrangement had not been entered (their overrides and
    calendar-year row ignored): the calendar a provisional deadline was computed with, for recomputing it.
    """

    def __init__(self, unofficial: frozenset = frozenset()):
        from chengguan.core.models import CalendarDay, CalendarYear, WorkingHours, parse_hours

        self.unofficial = unofficial
        self.loaded_at = _time.monotonic()
        weekday: dict[int, list[tuple[int, int]]] = {}
        for row in WorkingHours.objects.order_by("weekday", "start"):
            weekday.setdefault(row.weekday, []).append((_seconds(row.start), _seconds(row.end)))
        self.weekday = {k: tuple(v) for k, v in weekday.items()}
        self.overrides: dict[date, tuple[str, tuple | None]] = {}
        for row in CalendarDay.objects.all():
            if row.date.year in unofficial:
                continue
            hours = None
            if row.kind == CalendarDay.Kind.WORKDAY and row.hours.strip():
                hours = tuple((_seconds(s), _seconds(e)) for s, e in parse_hours(row.hours))
            self.overrides[row.date] = (row.kind, hours)
        self.years = set(CalendarYear.objects.values_list("year", flat=True)) - unofficial
        self.known: dict[int, bool] = {}
        self.days: dict[date, tuple[tuple[int, int], ...]] = {}
        self.standard_day = sum(e - s for s, e in self.weekday.get(0, ())) or 8 * 3600

    def weekday_hours(self, day: date) -> tuple:
        return self.weekday.get(day.weekday()) or self.weekday.get(0, ())

    def official(self, year: int) -> bool:
        if year not in self.known:
            self.known[year] = year in self.years or (year not in self.unofficial and package_knows(year))
        return self.known[year]

    def statutory_workday(self, day: date) -> bool:
        if day.year not in self.unofficial:
            try:
                return chinese_calendar.is_workday(day)
            except NotImplementedError:
                pass
        if day.year in self.years:
            return day.weekday() < 5
        return day.weekday() < 5 and (day.month, day.day) not in TENTATIVE_HOLIDAYS

    def periods(self, day: date) -> tuple:
        try:
            return self.days[day]
        except KeyError:
            pass
        override = self.overrides.get(day)
        if override is not None:
            kind, hours = override
            result = () if kind == "holiday" else (hours if hours is not None else self.weekday_hours(day))
        else:
            result = self.weekday_hours(day) if self.statutory_workday(day) else ()
        self.days[day] = result
        return result

    def require_hours(self):
        if not self.weekday and not any(h for _k, h in self.overrides.values()):
            raise ValidationError(_("No working hours are configured: add them in admin → working hours."))


_lock = threading.Lock()
_current: _Calendar | None = None
_override: contextvars.ContextVar = contextvars.ContextVar("workcalendar_override", default=None)


def clear_cache() -> None:
    """Forget the cached calendar (called when a calendar row changes; tests call it after rollbacks)."""
    global _current
    with _lock:
        _current = None


@contextlib.contextmanager
def as_unofficial(years):
    """Within the block, compute as if the arrangements of `years` had not been entered (fallback rule)."""
    token = _override.set(_Calendar(frozenset(years)))
    try:
        yield
    finally:
        _override.reset(token)


# `timezone.get_current_timezone()` is a context-local read of several microseconds (asgiref's Local); a loop that
# converts hundreds of thousands of times and activates no zone (the bulk import) reads it once: `fixed_zone()`.
_zone: contextvars.ContextVar = contextvars.ContextVar("workcalendar_zone", default=None)


def current_zone():
    """`timezone.get_current_timezone()`, or the zone a `fixed_zone()` block took at its start (a plain
    context variable: a fraction of the cost)."""
    return _zone.get() or timezone.get_current_timezone()


@contextlib.contextmanager
def fixed_zone():
    """Within the block, `current_zone()` (and every conversion here) answers the zone current at its start
    without reading it again. For a loop that activates no other zone inside the block."""
    token = _zone.set(timezone.get_current_timezone())
    try:
        yield
    finally:
        _zone.reset(token)


def _calendar() -> _Calendar:
    global _current
    override = _override.get()
    if override is not None:
        return override
    cal = _current
    if cal is None or _time.monotonic() - cal.loaded_at > CACHE_SECONDS:
        cal = _Calendar()
        with _lock:
            _current = cal
    return cal


def _local(dt: datetime, tz=None) -> datetime:
    """`dt` in `tz` (default: the current time zone; a caller converting several times looks it up once — the
    look-up is a context-local read, which the bulk import would otherwise pay hundreds of thousands of times)."""
    if timezone.is_naive(dt):
        raise ValueError("working-time arithmetic needs timezone-aware datetimes")
    return dt.astimezone(tz or current_zone())


def _at(day: date, seconds: float, tz=None) -> datetime:
    """`seconds` after local midnight of `day` in `tz` (the zone of the local time being worked on)."""
    midnight = datetime(day.year, day.month, day.day, tzinfo=tz or current_zone())
    return midnight + timedelta(seconds=seconds)


def _second_of_day(dt: datetime) -> float:
    return dt.hour * 3600 + dt.minute * 60 + dt.second + dt.microsecond / 1e6


def _check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise ValidationError(
            _("Unknown time unit %(unit)s; use one of %(units)s.")
            % {"unit": unit, "units": ", ".join(UNITS)},
            field="unit",
        )


def is_official(year: int) -> bool:
    """True when `year`'s arrangement is known (chinesecalendar or an entered calendar year)."""
    return _calendar().official(year)


def _year(value: datetime | date) -> int:
    return timezone.localtime(value, current_zone()).year if isinstance(value, datetime) else value.year


def provisional_years(start: datetime | date | None, end: datetime | date | None) -> list[int]:
    """The years from `start` to `end` (local dates) whose arrangement is not known: a deadline computed
    over them follows the fallback rule. No `start`: only `end`'s year."""
    if end is None:
        return []
    last = _year(end)
    first = min(_year(start), last) if start is not None else last
    cal = _calendar()
    return [y for y in range(first, last + 1) if not cal.official(y)]


def touches_provisional(start: datetime | date | None, end: datetime | date | None) -> bool:
    """True when a deadline `end` counted from `start` was computed with the fallback rule somewhere."""
    return bool(provisional_years(start, end))


def tentative_holiday(day: date) -> str:
    """The name of a fixed-date statutory holiday the fallback rule assumes on `day` ("" if none or if the
    year's arrangement is known)."""
    if is_official(day.year):
        return ""
    return TENTATIVE_HOLIDAYS.get((day.month, day.day), "")


def is_workday(day: date) -> bool:
    """True when the day has working hours (statutory workday or make-up workday, not a holiday)."""
    return bool(_calendar().periods(day))


def working_periods(day: date) -> list[tuple[datetime, datetime]]:
    """The day's working periods as aware datetimes (empty on a rest day)."""
    return [(_at(day, s), _at(day, e)) for s, e in _calendar().periods(day)]


def _add_seconds(cal: _Calendar, start: datetime, seconds: float) -> datetime:
    day, t, remaining = start.date(), _second_of_day(start), seconds
    for _i in range(MAX_SEARCH_DAYS):
        for s, e in cal.periods(day):
            if e <= t:
                continue
            begin = max(s, t)
            if remaining <= e - begin:
                return _at(day, begin + remaining, start.tzinfo)
            remaining -= e - begin
        day, t = day + timedelta(days=1), 0
    raise ValidationError(_("No working time found within %(days)s days.") % {"days": MAX_SEARCH_DAYS})


def _next_working_instant(cal: _Calendar, start: datetime) -> tuple[date, float]:
    day, t = start.date(), _second_of_day(start)
    for _i in range(MAX_SEARCH_DAYS):
        for s, e in cal.periods(day):
            if t < e:
                return day, max(s, t)
        day, t = day + timedelta(days=1), 0
    raise ValidationError(_("No working time found within %(days)s days.") % {"days": MAX_SEARCH_DAYS})


def _next_workday(cal: _Calendar, day: date) -> date:
    for _i in range(MAX_SEARCH_DAYS):
        day += timedelta(days=1)
        if cal.periods(day):
            return day
    raise ValidationError(_("No working time found within %(days)s days.") % {"days": MAX_SEARCH_DAYS})


def _clamp(periods: tuple, t: float) -> float:
    for s, e in periods:
        if t <= e:
            return max(s, t)
    return periods[-1][1]


def _add_working_days(cal: _Calendar, start: datetime, amount: float) -> datetime:
    whole = int(amount)
    fraction = amount - whole
    result = start
    if whole:
        day, t = _next_working_instant(cal, start)
        periods = cal.periods(day)
        if t <= periods[0][0]:
            for _i in range(whole - 1):
                day = _next_workday(cal, day)
            result = _at(day, cal.periods(day)[-1][1], start.tzinfo)
        else:
            for _i in range(whole):
                day = _next_workday(cal, day)
            result = _at(day, _clamp(cal.periods(day), t), start.tzinfo)
    if fraction:
        result = _add_seconds(cal, result, fraction * cal.standard_day)
    return result


def add_working_time(start: datetime, amount: int | float, unit: str = "minutes") -> datetime:
    """The instant `amount` `unit`s after `start` (aware in, aware out in the current time zone)."""
    _check_unit(unit)
    if amount < 0:
        raise ValidationError(_("A time limit cannot be negative."), field="amount")
    local = _local(start)
    if unit == "natural_days":
        return (start + timedelta(days=amount)).astimezone(local.tzinfo)
    if unit == "natural_hours":
        return (start + timedelta(hours=amount)).astimezone(local.tzinfo)
    if not amount:
        return local
    cal = _calendar()
    cal.require_hours()
    if unit == "working_days":
        return _add_working_days(cal, local, amount)
    seconds = amount * (3600 if unit == "working_hours" else 60)
    return _add_seconds(cal, local, seconds)


def _working_seconds(cal: _Calendar, a: datetime, b: datetime) -> float:
    if b <= a:
        return 0
    total, day, last = 0.0, a.date(), b.date()
    lo_first, hi_last = _second_of_day(a), _second_of_day(b)
    while day <= last:
        lo = lo_first if day == a.date() else 0
        hi = hi_last if day == last else DAY_SECONDS
        for s, e in cal.periods(day):
            overlap = min(e, hi) - max(s, lo)
            if overlap > 0:
                total += overlap
        day += timedelta(days=1)
    return total


def working_time_between(a: datetime, b: datetime) -> int:
    """Working minutes from `a` to `b` (whole minutes, 0 if b <= a)."""
    tz = current_zone()
    return int(_working_seconds(_calendar(), _local(a, tz), _local(b, tz)) // 60)


def traffic_light(started_at: datetime, deadline: datetime, now: datetime, unit: str = "minutes") -> str:
    """ "green" below 80 % of the limit used, "yellow" from 80 % up to the deadline, "red" once it has passed.

    The share is measured in working time for working units and in clock time for natural units; a deadline
    that has passed on the clock is red even if no working time has elapsed since (e.g. on a Saturday).
    """
    _check_unit(unit)
    if now > deadline:
        return "red"
    if unit in NATURAL_UNITS:
        limit = (deadline - started_at).total_seconds()
        used = (now - started_at).total_seconds()
    else:
        cal = _calendar()
        start = _local(started_at)
        limit = _working_seconds(cal, start, _local(deadline))
        used = _working_seconds(cal, start, _local(now))
    if limit <= 0:
        return "yellow"
    return "green" if used / limit < 0.8 else "yellow"


def recount(start: datetime, deadline: datetime, years) -> datetime:
    """A provisional deadline counted again now that `years` are official: the working time it granted from
    `start` under the fallback rule for `years`, counted from `start` with the official calendar. Unchanged
    when that working time still ends at `deadline`."""
    start, deadline = _local(start), _local(deadline)
    with as_unofficial(years):
        granted = _working_seconds(_calendar(), start, deadline)
    cal = _calendar()
    if _working_seconds(cal, start, deadline) == granted:
        return deadline
    return _add_seconds(cal, start, granted) if granted else deadline
