"""Entering a year's holiday arrangement, recomputing provisional deadlines, and the next-year status.

Apps that store deadlines subscribe to `arrangement_entered` (recompute theirs, return a list of changes) and
to `arrangement_missing` (tell the administrators); the calendar itself imports no app above core.
"""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core import workcalendar
from chengguan.core.errors import Conflict
from chengguan.core.holiday_notice import Arrangement
from chengguan.core.models import CalendarDay, CalendarYear

# Sent inside the entering transaction with years=, at=, actor=; each receiver returns a list of change dicts
# ({"kind", "id", "number", "old", "new", "provisional", ...}).
arrangement_entered = Signal()
# Sent by the daily reminder with year=, at=, while next year's arrangement is missing from 1 October on.
arrangement_missing = Signal()
REMINDER_FROM = (10, 1)


def calendar_status(today: date | None = None) -> dict:
    """Next year's calendar: official (chinesecalendar or entered) or following the fallback rule."""
    today = today or timezone.localdate()
    year = today.year + 1
    if workcalendar.package_knows(year):
        source = "chinesecalendar"
    elif CalendarYear.objects.filter(year=year).exists():
        source = "entered"
    else:
        source = "fallback"
    return {
        "year": year,
        "official": source != "fallback",
        "source": source,
        "reminder": source == "fallback" and (today.month, today.day) >= REMINDER_FROM,
    }


def _system_actor(actor):
    if actor is not None:
        return actor
    return get_user_model().objects.filter(is_superuser=True, is_active=True).order_by("pk").first()


def recompute(*, years=None, actor=None, at: datetime | None = None) -> list[dict]:
    """Count the provisional deadlines of open cases, requests and enforcement steps again for `years` (default:
    every entered year from this year on), writing a history row per change. Idempotent."""
    at = at or timezone.now()
    if years is None:
        this_year = timezone.localtime(at).year
        years = list(CalendarYear.objects.filter(year__gte=this_year).values_list("year", flat=True))
    years = sorted(set(years))
    if not years:
        return []
    changes = []
    for _receiver, result in arrangement_entered.send(
        sender=CalendarYear, years=years, at=at, actor=_system_actor(actor)
    ):
        changes.extend(result or [])
    return changes


@transaction.atomic
def enter_arrangement(*, arrangement: Arrangement, actor=None, at: datetime | None = None) -> dict:
    """Save a parsed notice as date overrides and a calendar year, then recompute provisional deadlines."""
    at = at or timezone.now()
    year = arrangement.year
    if workcalendar.package_knows(year):
        raise Conflict(
            _("chinesecalendar already knows %(year)s: nothing to enter.") % {"year": year},
            field="text", code="year_known",
        )
    if CalendarYear.objects.filter(year=year).exists():
        raise Conflict(
            _("The arrangement of %(year)s has been entered already; delete that calendar year in admin first.")
            % {"year": year},
            field="text", code="year_entered",
        )
    note = arrangement.document_number or _("State Council notice")
    for day, name in arrangement.holidays:
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": "holiday", "hours": "", "note": name})
    for day, name in arrangement.workdays:
        CalendarDay.objects.update_or_create(date=day, defaults={"kind": "workday", "hours": "", "note": name})
    CalendarYear.objects.create(year=year, note=note[:200])
    workcalendar.clear_cache()
    changes = recompute(years=[year], actor=actor, at=at)
    return {"year": year, "holidays": len(arrangement.holidays), "workdays": len(arrangement.workdays),
            "changes": changes}


def remind(today: date | None = None) -> int:
    """Daily job: from 1 October, tell the administrators while next year's arrangement is missing."""
    status = calendar_status(today)
    if not status["reminder"]:
        return 0
    sent = 0
    for _receiver, result in arrangement_missing.send(sender=CalendarYear, year=status["year"], at=timezone.now()):
        sent += int(result or 0)
    return sent
