"""Everything sensing does to a case goes through the cases app's services, as the system (`system_role`):
file and dispatch an alarm, attach a repeat, and the automatic check (pass on a clear, rework on a repeat)."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from chengguan.cases.evidence import attachment_create
from chengguan.cases.models import Case, Source
from chengguan.cases.services import (
    case_accept,
    case_check_fail,
    case_check_pass,
    case_dispatch,
    case_file,
    case_report,
)
from chengguan.cases.workflow import State
from chengguan.core.errors import DomainError, ValidationError

from .models import Alarm, AutoCheck

log = logging.getLogger("chengguan.sensing")
SYSTEM = "system"
DEFAULT_CHECK_WINDOW = timedelta(hours=2)


def _snapshot_photo(alarm: Alarm, kind: str) -> list[int]:
    """A copy of the alarm's snapshot as a case photo (the case's evidence lives with the case)."""
    if not alarm.snapshot:
        return []
    alarm.snapshot.open("rb")
    try:
        data = alarm.snapshot.read()
    finally:
        alarm.snapshot.close()
    upload = ContentFile(data, name=f"alarm-{alarm.pk}.jpg")
    return [attachment_create(actor=None, file=upload, kind=kind, at=alarm.received_at).pk]


def _describe(alarm: Alarm) -> str:
    """In the site's language whatever the caller's (a command, a vendor's request): it is stored."""
    with translation.override(settings.LANGUAGE_CODE):
        return _describe_now(alarm)


def _describe_now(alarm: Alarm) -> str:
    device = alarm.device
    if alarm.kind == Alarm.Kind.AI:
        text = _("%(algorithm)s detected by camera %(device)s (confidence %(confidence)s)") % {
            "algorithm": alarm.algorithm.name if alarm.algorithm else alarm.matter.name,
            "device": device.name,
            "confidence": f"{alarm.confidence:.2f}" if alarm.confidence is not None else "—",
        }
    else:
        text = _("%(type)s of sensor %(device)s reads %(value)s %(unit)s, beyond its threshold") % {
            "type": device.type.name,
            "device": device.name,
            "value": f"{alarm.value:g}",
            "unit": device.type.unit,
        }
    return text


def file_case(*, alarm: Alarm, at: datetime, dispatch: bool = True) -> Case:
    """Report, accept, file and (by the routing rule) dispatch a case for the alarm; without a routing rule the
    case waits at 'awaiting dispatch' for a dispatcher. One transaction: all of it or nothing."""
    device = alarm.device
    with transaction.atomic():
        case = case_report(
            actor=None,
            source=Source.CAMERA,
            matter=alarm.matter,
            lng=device.lng,
            lat=device.lat,
            description=_describe(alarm),
            address=device.name,
            photos=_snapshot_photo(alarm, "before"),
            reported_at=min(alarm.occurred_at, at),
            external_id=f"sensing-{alarm.pk}",
            channel_ref=alarm.vendor.code if alarm.vendor_id else "iot",
            at=at,
            system_role=SYSTEM,
        )
        case_accept(actor=None, case=case, at=at, system_role=SYSTEM)
        case_file(actor=None, case=case, at=at, system_role=SYSTEM)
        if dispatch:
            try:
                with transaction.atomic():
                    case_dispatch(actor=None, case=case, at=at, system_role=SYSTEM)
            except ValidationError as exc:  # no routing rule: a dispatcher decides
                log.info("sensing: case %s left for a dispatcher: %s", case.number, exc)
        alarm.case = case
        alarm.save(update_fields=["case"])
    return case


def open_case_for(*, camera=None, sensor=None, matter, since: datetime) -> Case | None:
    """The open case a repeat from this device for this matter belongs to (its alarms since `since`)."""
    alarms = Alarm.objects.filter(
        matter=matter, case__is_open=True, occurred_at__gte=since, event=Alarm.Event.ALARM
    )
    alarms = alarms.filter(camera=camera) if camera is not None else alarms.filter(sensor=sensor)
    found = alarms.exclude(case=None).select_related("case").order_by("-occurred_at").first()
    return found.case if found else None


def open_check(*, case: Case, at: datetime, window: timedelta) -> AutoCheck | None:
    """After the department's reply: wait for the device of the case's first alarm."""
    first = (
        Alarm.objects.filter(case=case, event=Alarm.Event.ALARM)
        .exclude(kind=Alarm.Kind.OFFLINE)
        .order_by("occurred_at", "pk")
        .first()
    )
    if first is None or first.matter_id is None:
        return None
    return AutoCheck.objects.create(
        case=case,
        camera=first.camera,
        sensor=first.sensor,
        matter=first.matter,
        opened_at=at,
        due_at=at + window,
    )


def waiting_check(*, camera=None, sensor=None, matter, at: datetime) -> AutoCheck | None:
    checks = AutoCheck.objects.filter(
        status=AutoCheck.Status.WAITING,
        matter=matter,
        opened_at__lte=at,
        due_at__gte=at,
        case__state=State.CHECKING,
    )
    checks = checks.filter(camera=camera) if camera is not None else checks.filter(sensor=sensor)
    return checks.select_related("case").order_by("opened_at").first()


def settle_check(*, check: AutoCheck, alarm: Alarm | None, passed: bool, at: datetime) -> AutoCheck:
    """Pass (a clear within the window, its snapshot as the after-photo) or send back for rework (a repeat)."""
    with translation.override(settings.LANGUAGE_CODE):  # the reason is stored
        return _settle(check=check, alarm=alarm, passed=passed, at=at)


def _settle(*, check: AutoCheck, alarm: Alarm | None, passed: bool, at: datetime) -> AutoCheck:
    with transaction.atomic():
        locked = AutoCheck.objects.select_for_update().get(pk=check.pk)
        if locked.status != AutoCheck.Status.WAITING:
            return locked
        locked.status = AutoCheck.Status.PASSED if passed else AutoCheck.Status.FAILED
        locked.decided_at, locked.evidence = at, alarm
        locked.save(update_fields=["status", "decided_at", "evidence"])
        photos = _snapshot_photo(alarm, "after") if alarm is not None else []
        try:
            with transaction.atomic():
                if passed:
                    case_check_pass(
                        actor=None,
                        case=locked.case,
                        reason=_("Automatic check: the device reported the problem cleared."),
                        photos=photos,
                        at=at,
                        system_role=SYSTEM,
                    )
                else:
                    case_check_fail(
                        actor=None,
                        case=locked.case,
                        reason=_("Automatic check: the device reported the problem again."),
                        photos=photos,
                        at=at,
                        system_role=SYSTEM,
                    )
        except DomainError as exc:  # someone checked by hand a moment earlier
            log.info("sensing: automatic check of %s not applied: %s", locked.case.number, exc)
            locked.status = AutoCheck.Status.MOOT
            locked.save(update_fields=["status"])
        if alarm is not None and alarm.case_id is None:
            alarm.case = locked.case
            alarm.save(update_fields=["case"])
    return locked
