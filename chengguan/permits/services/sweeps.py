"""The daily and hourly sweeps: permits past their end date expire; the handlers of an application whose statutory
deadline is within one working day (or past) get one inbox notice per deadline; holders' permits expiring within
30 days are listed to the handlers once."""

from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.cases.models import Notification
from chengguan.core import workcalendar
from chengguan.org.models import RoleAssignment, User

from ..models import Application
from ..workflow import CLERKS
from .base import record

EXPIRY_NOTICE_DAYS = 30


def expire_permits(now=None) -> int:
    """Granted permits whose end date has passed become expired (compare-and-set: the job may run twice)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    done = 0
    for pk in Application.objects.filter(status=Application.Status.GRANTED, valid_to__lt=today).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            if Application.objects.filter(pk=pk, status=Application.Status.GRANTED).update(
                status=Application.Status.EXPIRED
            ):
                application = Application.objects.get(pk=pk)
                record(application, "expire", Application.Status.GRANTED, None, now)
                done += 1
    return done


def _handlers(region) -> list[User]:
    rows = RoleAssignment.objects.filter(role__in=CLERKS, region__isnull=False).select_related("region", "user")
    return sorted({r.user for r in rows if region.path.startswith(r.region.path) and r.user.is_active},
                  key=lambda u: u.pk)


def _notify(application: Application, key: str, message: str, now) -> int:
    if application.warned_key == key:
        return 0
    link = reverse("permits:detail", args=[application.pk])
    rows = [Notification(user=u, kind="permit_deadline", text=message[:300], created_at=now, link=link,
                         key=f"permit:{application.pk}:{key}") for u in _handlers(application.region)]
    Notification.objects.bulk_create(rows)
    Application.objects.filter(pk=application.pk).update(warned_key=key)
    return len(rows)


def warn_deadlines(now=None) -> int:
    now = now or timezone.now()
    soon = workcalendar.add_working_time(now, 1, "working_days")
    sent = 0
    open_rows = Application.objects.filter(status__in=["submitted", "accepted"]).select_related("region")
    for a in open_rows:
        due = a.due
        if due is None or due > soon:
            continue
        what = _("acceptance") if a.status == "submitted" else _("decision")
        state = _("is overdue") if due < now else _("is due within one working day")
        message = _("Permit application %(number)s: the %(what)s %(state)s (%(due)s).") % {
            "number": a.number, "what": what, "state": state, "due": timezone.localtime(due).strftime("%Y-%m-%d %H:%M")}
        sent += _notify(a, f"{a.status}:{due:%Y%m%d%H%M}:{'late' if due < now else 'soon'}", message, now)
    horizon = timezone.localdate(now) + timedelta(days=EXPIRY_NOTICE_DAYS)
    for a in Application.objects.filter(status="granted", valid_to__lte=horizon).select_related("region"):
        if a.renewals.exists():
            continue
        message = _("Permit %(number)s (%(holder)s) ends on %(day)s; no renewal has been filed.") % {
            "number": a.permit_number, "holder": a.applicant_name, "day": a.valid_to}
        sent += _notify(a, f"expiry:{a.valid_to:%Y%m%d}", message, now)
    return sent


def run_sweeps() -> dict:
    return {"expired": expire_permits(), "warnings": warn_deadlines()}
