"""Statutory periods of the penalty procedure and how they are counted.

Counting follows the law: a period in days starts the day after the triggering act and ends at the end of its
last day; when the last day of a natural-day period is not a working day the period ends on the next working
day. 行政处罚法第85条 makes its "2/3/5/7 days" working days, and 行政强制法第69条 does the same for its periods of
ten days or less; the other periods are natural days. A city may override an amount or unit in the setting
ENFORCEMENT_PERIODS = {"payment": (15, "natural_days")} (configuration over code).
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chengguan.core.errors import ValidationError


@dataclass(frozen=True)
class Period:
    amount: int
    unit: str  # working_days | natural_days | natural_hours | months
    basis: str
    label: str


# Formerly the periods that could be counted before the calendar of their last year was published. Since issue 12
# no period refuses: a year without an official arrangement follows the calendar's fallback rule (Monday–Friday,
# fixed-date holidays), the deadline is flagged provisional (chengguan.enforcement.provisional) and counted again
# when the arrangement is entered. Kept for callers that still pass `lenient`/`strict`.
LENIENT = {"clue_verification", "clue_verification_extension", "decision", "decision_extension", "seizure",
           "seizure_extension", "review_window", "lawsuit_window", "court_application", "disclosure",
           "service", "disclosure_withdrawal", "cash_handover", "referral_decision", "police_reply"}


PERIODS = {
    "clue_verification": Period(15, "natural_days", "住房和城乡建设行政处罚程序规定第15条", _("verify the clue")),
    "clue_verification_extension": Period(10, "natural_days", "住房和城乡建设行政处罚程序规定第15条",
                                          _("verification extension")),
    "decision": Period(90, "natural_days", "行政处罚法第60条", _("decide")),
    "decision_extension": Period(30, "natural_days", "行政处罚法第60条（负责人批准延长）", _("decision extension")),
    "hearing_request": Period(5, "working_days", "行政处罚法第64条第1项、第85条", _("statements / hearing request")),
    "hearing_notice": Period(7, "working_days", "行政处罚法第64条第2项、第85条", _("hearing notice before")),
    "service": Period(7, "working_days", "行政处罚法第61条、第85条", _("serve the decision")),
    "disclosure": Period(7, "working_days", "国办发〔2018〕118号（行政处罚决定7个工作日内公开）", _("disclose")),
    "disclosure_withdrawal": Period(3, "working_days", "行政处罚法第48条、第85条", _("withdraw the disclosure")),
    "payment": Period(15, "natural_days", "行政处罚法第67条", _("pay the fine")),
    "cash_handover": Period(2, "working_days", "行政处罚法第71条、第85条", _("hand cash to the body")),
    "seizure": Period(30, "natural_days", "行政强制法第25条", _("sealing / seizure ends")),
    "seizure_extension": Period(30, "natural_days", "行政强制法第25条", _("sealing / seizure extension")),
    "emergency_approval": Period(24, "natural_hours", "行政强制法第19条", _("approve the emergency measure")),
    "referral_decision": Period(3, "natural_days", "行政执法机关移送涉嫌犯罪案件的规定第5条", _("decide on referral")),
    "referral_handover": Period(24, "natural_hours", "行政执法机关移送涉嫌犯罪案件的规定第5条", _("hand over")),
    "police_reply": Period(3, "natural_days", "行政执法机关移送涉嫌犯罪案件的规定第8条", _("police decides")),
    "urge_to_court": Period(10, "working_days", "行政强制法第54条、第69条", _("wait after the reminder")),
    "review_window": Period(60, "natural_days", "行政复议法第20条", _("administrative review window")),
    "lawsuit_window": Period(6, "months", "行政诉讼法第46条", _("lawsuit window")),
    "court_application": Period(3, "months", "行政强制法第53条", _("apply to the court")),
}
LATE_FEE_RATE = Decimal("0.03")  # 行政处罚法第72条: 3 % of the fine per day, at most the fine
NIGHT_START, NIGHT_END = time(22, 0), time(6, 0)  # 行政强制法第43条: no enforcement at night


def period(name: str) -> Period:
    base = PERIODS[name]
    override = getattr(settings, "ENFORCEMENT_PERIODS", {}).get(name)
    if override:
        return Period(override[0], override[1], base.basis, base.label)
    return base


def is_workday(day: date, *, lenient: bool = False) -> bool:
    from chengguan.core.workcalendar import is_workday as calendar_is_workday

    return calendar_is_workday(day)


def is_statutory_holiday(day: date) -> bool:
    """A named public holiday (not an ordinary weekend), e.g. for 行政强制法第43条."""
    import chinese_calendar

    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return not is_workday(day) and day.weekday() < 5
    return bool(on_holiday and name)


def end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _roll_to_workday(day: date, lenient: bool) -> date:
    while not is_workday(day, lenient=lenient):
        day += timedelta(days=1)
    return day


def add_period(start: datetime, amount: int, unit: str, *, lenient: bool = False) -> datetime:
    if unit == "natural_hours":
        return start + timedelta(hours=amount)
    first = timezone.localtime(start).date()
    if unit == "working_days":
        day, left = first, amount
        while left:
            day += timedelta(days=1)
            left -= is_workday(day, lenient=lenient)
        return end_of_day(day)
    if unit == "natural_days":
        return end_of_day(_roll_to_workday(first + timedelta(days=amount), lenient))
    if unit == "months":
        return end_of_day(_roll_to_workday(_add_months(first, amount), lenient))
    raise ValueError(f"unknown period unit {unit!r}")


def due(name: str, start: datetime, amount: int | None = None, *, strict: bool = False) -> datetime:
    """The deadline of the statutory period `name` triggered at `start` (over a year without an official
    arrangement: the fallback rule, a provisional deadline; `strict` no longer refuses)."""
    p = period(name)
    lenient = name in LENIENT and not strict
    return add_period(start, p.amount if amount is None else amount, p.unit, lenient=lenient)


def earliest_after(name: str, start: datetime) -> datetime:
    """The first moment after the period `name` has fully run (e.g. a hearing may be held from then on)."""
    p = period(name)
    if p.unit == "working_days":
        return add_period(start, p.amount, p.unit) + timedelta(seconds=1)
    return due(name, start) + timedelta(seconds=1)


def limitation_check(*, violation_date: date | None, violation_end_date: date | None, years: int,
                     discovered_on: date) -> date:
    """Raise unless the violation was discovered within the limitation (行政处罚法第36条); return its end."""
    if violation_date is None:
        raise ValidationError(gettext("the violation date is required to check the limitation"), field="violation_date")
    start = violation_end_date or violation_date
    if start > discovered_on:
        raise ValidationError(gettext("the violation date lies after its discovery"), field="violation_date")
    try:
        expiry = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        expiry = start.replace(year=start.year + years, day=28)
    if discovered_on > expiry:
        raise ValidationError(
            gettext("the violation ended on %(end)s and was discovered on %(found)s, after the %(years)s-year "
                    "limitation ran out on %(expiry)s (行政处罚法第36条): it can no longer be penalised")
            % {"end": f"{start:%Y-%m-%d}", "found": f"{discovered_on:%Y-%m-%d}", "years": years,
               "expiry": f"{expiry:%Y-%m-%d}"},
            field="violation_date",
            code="limitation",
        )
    return expiry


def late_fee(*, fine: Decimal, payment_due: datetime, paid_on: date, paused: list[tuple[date, date | None]] = ()) -> tuple[Decimal, int]:
    """Late fee 3 %/day from the day after the due date up to `paid_on`, capped at the fine (第72条),
    not accruing while an administrative review or lawsuit runs (第73条). Returns (fee, days counted)."""
    first = timezone.localtime(payment_due).date() + timedelta(days=1)
    days = 0
    day = first
    while day <= paid_on:
        if not any(start <= day <= (end or paid_on) for start, end in paused):
            days += 1
        day += timedelta(days=1)
    fee = min(fine, fine * LATE_FEE_RATE * days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return fee, days


def enforcement_time_allowed(moment: datetime) -> bool:
    """行政强制法第43条: no enforcement at night or on statutory holidays (emergencies aside)."""
    local = timezone.localtime(moment)
    if local.time() >= NIGHT_START or local.time() < NIGHT_END:
        return False
    return not is_statutory_holiday(local.date())


def light(start: datetime | None, deadline: datetime | None, now: datetime, done: datetime | None = None) -> str:
    """green < 80 % of the period used, yellow 80–100 %, red past the deadline; "done" once the act is done."""
    if deadline is None:
        return ""
    if done is not None:
        return "done-late" if done > deadline else "done"
    if now > deadline:
        return "red"
    if start is None or deadline <= start:
        return "green"
    share = (now - start) / (deadline - start)
    return "yellow" if share >= 0.8 else "green"
