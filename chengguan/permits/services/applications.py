"""An application's life: submit (online or at the counter) → accept within 5 working days, or one one-time notice
of everything missing → resubmission restarts the 5 days → decide within 20 working days of acceptance
(+10 once, approved by a leader) → the permit, numbered in the bureau's series 许, valid for a period; renewal."""

import uuid
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import Conflict, ValidationError
from chengguan.enforcement.services.cases import body_for
from chengguan.enforcement.services.documents import next_number

from ..models import ApplicantType, Application, Channel, Kind, VendingZone
from .base import (
    ACCEPT_DAYS,
    DECIDE_DAYS,
    EXTEND_DAYS,
    handling_department,
    record,
    text,
    transition,
    working_deadline,
)
from .zones import check_stall

PERMIT_SERIES = "许"
MAX_PERIOD_DAYS = 5 * 366  # no permit of the bureau runs longer than five years


def _period(valid_from, valid_to, field_from="requested_from", field_to="requested_to"):
    if not isinstance(valid_from, date):
        raise ValidationError(_("Give a date."), field=field_from)
    if not isinstance(valid_to, date):
        raise ValidationError(_("Give a date."), field=field_to)
    if valid_to < valid_from:
        raise ValidationError(_("The end date is before the start date."), field=field_to)
    if (valid_to - valid_from).days > MAX_PERIOD_DAYS:
        raise ValidationError(_("A permit runs at most five years."), field=field_to)


def _items(values, field: str) -> list[str]:
    if not isinstance(values, list | tuple):
        raise ValidationError(_("Give a list."), field=field)
    items = [str(v).strip() for v in values if str(v).strip()]
    if any(len(v) > 200 for v in items):
        raise ValidationError(_("At most %(n)d characters.") % {"n": 200}, field=field)
    return items


@transaction.atomic
def application_submit(*, actor, channel: str, kind: str, region, applicant_type: str, applicant_name: str,
                       applicant_phone: str, address: str, description: str, requested_from: date,
                       requested_to: date, applicant_id_number: str = "", lng: float | None = None,
                       lat: float | None = None, size: str = "", zone: VendingZone | None = None,
                       stall_number: str = "", materials=(), now=None, renewal_of: Application | None = None
                       ) -> Application:
    """Register an application; `actor` is the counter clerk (channel counter) or None/the citizen (online)."""
    now = now or timezone.now()
    if channel not in Channel.values:
        raise ValidationError(_("Not a valid choice: %(value)s") % {"value": channel}, field="channel")
    if channel == Channel.COUNTER:
        from ..access import require_handle

        require_handle(actor)
    if kind not in Kind.values:
        raise ValidationError(_("Not a valid choice: %(value)s") % {"value": kind}, field="kind")
    if applicant_type not in ApplicantType.values:
        raise ValidationError(_("Not a valid choice: %(value)s") % {"value": applicant_type}, field="applicant_type")
    phone = text(applicant_phone, "applicant_phone", 20)
    if not phone.replace("-", "").isdigit() or len(phone) < 7:
        raise ValidationError(_("Give a phone number of digits."), field="applicant_phone")
    _period(requested_from, requested_to)
    if (lng is None) != (lat is None):
        raise ValidationError(_("Give both longitude and latitude, or neither."), field="lng")
    if kind == Kind.STALL:
        if zone is None or not zone.is_active:
            raise ValidationError(_("A stall permit is for a vending zone in use: choose one."), field="zone")
        region = zone.region
        lng, lat = zone.lng, zone.lat
        address = address or zone.address or zone.name
    elif zone is not None:
        raise ValidationError(_("Only stall permits are bound to a vending zone."), field="zone")
    if region is None:
        raise ValidationError(_("Choose the district or street."), field="region")
    application = Application(
        number=f"tmp-{uuid.uuid4().hex[:16]}", kind=kind, channel=channel, region=region,
        department=handling_department(region), applicant_type=applicant_type,
        applicant_name=text(applicant_name, "applicant_name", 100),
        applicant_id_number=(applicant_id_number or "").strip()[:30], applicant_phone=phone,
        address=text(address, "address"), lng=lng, lat=lat, description=text(description, "description", 2000),
        size=(size or "").strip()[:60], zone=zone, stall_number=(stall_number or "").strip()[:12],
        requested_from=requested_from, requested_to=requested_to, materials=_items(list(materials), "materials"),
        renewal_of=renewal_of, submitted_by=actor if actor is not None and actor.is_authenticated else None,
        submitted_at=now, acceptance_started_at=now,
    )
    application.acceptance_due, application.deadline_provisional = working_deadline(now, ACCEPT_DAYS)
    application.save()
    application.number = f"XK{timezone.localtime(now):%Y}{application.pk:06d}"
    application.save(update_fields=["number"])
    record(application, "submit", "", actor, now, deadline=application.acceptance_due, channel=channel,
           renewal_of=renewal_of.pk if renewal_of else None)
    return application


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update(of=("self",)).select_related("region", "zone").get(pk=application.pk)


@transaction.atomic
def application_accept(*, actor, application: Application, now=None) -> Application:
    """Accept (受理). Accepted late, the application counts as accepted when its materials arrived (第32条), so
    the 20 working days run from then."""
    now = now or timezone.now()
    application = _locked(application)
    old = application.status
    application.status = transition(actor, application, "accept")
    deemed = now > application.acceptance_due
    start = application.acceptance_started_at if deemed else now
    application.accepted_at = start
    application.decision_due, provisional = working_deadline(start, DECIDE_DAYS)
    application.deadline_provisional = provisional
    application.save(update_fields=["status", "accepted_at", "decision_due", "deadline_provisional"])
    record(application, "accept", old, actor, now, deadline=application.decision_due, deemed=deemed)
    return application


@transaction.atomic
def application_notice(*, actor, application: Application, missing_items, now=None) -> Application:
    """The one-time notice (一次性告知): everything missing, in one list, within the acceptance period. A later
    notice may only repeat items of the first that are still missing — never ask for something new."""
    now = now or timezone.now()
    items = _items(missing_items, "missing_items")
    if not items:
        raise ValidationError(_("List what is missing."), field="missing_items")
    application = _locked(application)
    old = application.status
    target = transition(actor, application, "notice")
    if now > application.acceptance_due:
        raise Conflict(_("The five working days are over: the application counts as accepted and a notice can no "
                         "longer be given."), field="missing_items")
    first = application.events.filter(act="notice").order_by("at", "pk").first()
    if first is not None:
        new = [i for i in items if i not in first.payload.get("missing_items", [])]
        if new:
            raise ValidationError(
                _("The one-time notice already listed what was missing; not in it: %(items)s")
                % {"items": "、".join(new)}, field="missing_items")
    application.status = target
    application.missing_items = items
    application.notice_at = now
    application.save(update_fields=["status", "missing_items", "notice_at"])
    record(application, "notice", old, actor, now, missing_items=items)
    return application


@transaction.atomic
def application_resubmit(*, actor, application: Application, materials, now=None) -> Application:
    """The applicant hands in the missing items: the five working days start again."""
    now = now or timezone.now()
    supplied = _items(materials, "materials")
    if not supplied:
        raise ValidationError(_("List what you hand in."), field="materials")
    application = _locked(application)
    old = application.status
    application.status = transition(actor, application, "resubmit")
    application.materials = [*application.materials, *supplied]
    application.acceptance_started_at = now
    application.acceptance_due, application.deadline_provisional = working_deadline(now, ACCEPT_DAYS)
    application.save(update_fields=["status", "materials", "acceptance_started_at", "acceptance_due",
                                    "deadline_provisional"])
    record(application, "resubmit", old, actor, now, deadline=application.acceptance_due, materials=supplied)
    return application


@transaction.atomic
def application_extend(*, actor, application: Application, reason: str, now=None) -> Application:
    """Ten more working days for the decision, once, approved by a leader of the region (第42条)."""
    now = now or timezone.now()
    reason = text(reason, "reason", 300)
    application = _locked(application)
    old = application.status
    transition(actor, application, "extend")
    if application.extended_at is not None:
        raise ValidationError(_("The decision period may be extended only once."), field="extension")
    if now > application.decision_due:
        raise Conflict(_("The decision period is over; it can no longer be extended."), field="extension")
    application.decision_due, provisional = working_deadline(application.decision_due, EXTEND_DAYS)
    application.deadline_provisional = application.deadline_provisional or provisional
    application.extended_at = now
    application.extension_approved_by = actor
    application.extension_reason = reason
    application.save(update_fields=["decision_due", "deadline_provisional", "extended_at",
                                    "extension_approved_by", "extension_reason"])
    record(application, "extend", old, actor, now, deadline=application.decision_due, note=reason)
    return application


@transaction.atomic
def application_grant(*, actor, application: Application, valid_from: date | None = None,
                      valid_to: date | None = None, now=None) -> Application:
    """Grant: the permit gets the next number of the bureau's 许 series and its validity; a stall needs room in its
    zone and a stall number no other valid permit holds."""
    now = now or timezone.now()
    application = _locked(application)
    old = application.status
    target = transition(actor, application, "grant")
    valid_from = valid_from or application.requested_from
    valid_to = valid_to or application.requested_to
    _period(valid_from, valid_to, "valid_from", "valid_to")
    if application.kind == Kind.STALL:
        VendingZone.objects.select_for_update().get(pk=application.zone_id)  # one grant per zone at a time
        check_stall(application, valid_from, valid_to)
    body = body_for(application.department)
    application.permit_number = next_number(body, PERMIT_SERIES, timezone.localtime(now).year)
    application.status = target
    application.valid_from, application.valid_to = valid_from, valid_to
    application.decided_at, application.decided_by = now, actor
    application.save(update_fields=["status", "permit_number", "valid_from", "valid_to", "decided_at",
                                    "decided_by"])
    record(application, "grant", old, actor, now, permit_number=application.permit_number,
           on_time=now <= application.decision_due)
    return application


def _close(act: str, *, actor, application: Application, reason: str, now=None) -> Application:
    now = now or timezone.now()
    reason = text(reason, "reason", 2000)
    application = _locked(application)
    old = application.status
    application.status = transition(actor, application, act)
    application.decided_at, application.decided_by, application.decision_reason = now, actor, reason
    application.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    record(application, act, old, actor, now, note=reason)
    return application


@transaction.atomic
def application_refuse(*, actor, application: Application, reason: str, now=None) -> Application:
    """Refuse, with the reasons and the remedies the applicant has (第38条)."""
    return _close("refuse", actor=actor, application=application, reason=reason, now=now)


@transaction.atomic
def application_not_accept(*, actor, application: Application, reason: str, now=None) -> Application:
    """Not accepted (不予受理): not the bureau's matter, or not a permit matter at all."""
    return _close("not_accept", actor=actor, application=application, reason=reason, now=now)


@transaction.atomic
def application_withdraw(*, actor, application: Application, reason: str = "", now=None) -> Application:
    return _close("withdraw", actor=actor, application=application, reason=reason or _("withdrawn"), now=now)


@transaction.atomic
def permit_renew(*, actor, permit: Application, requested_to: date, channel: str, now=None) -> Application:
    """A renewal (延续) is a new application for the period after the permit's; it may be filed while the permit
    is valid, one at a time."""
    now = now or timezone.now()
    permit = Application.objects.select_for_update().get(pk=permit.pk)
    today = timezone.localdate(now)
    if not permit.valid_on(today):
        raise Conflict(_("Only a permit valid today can be renewed; apply anew."), field="permit")
    if permit.renewals.filter(status__in=["submitted", "notice", "accepted"]).exists():
        raise Conflict(_("A renewal of this permit is under way already."), field="permit")
    start = permit.valid_to + timedelta(days=1)
    if not isinstance(requested_to, date) or requested_to < start:
        raise ValidationError(_("The renewal must run past the current end date."), field="requested_to")
    return application_submit(
        actor=actor, channel=channel, kind=permit.kind, region=permit.region, applicant_type=permit.applicant_type,
        applicant_name=permit.applicant_name, applicant_phone=permit.applicant_phone,
        applicant_id_number=permit.applicant_id_number, address=permit.address, lng=permit.lng, lat=permit.lat,
        description=permit.description, size=permit.size, zone=permit.zone, stall_number=permit.stall_number,
        requested_from=start, requested_to=requested_to, materials=[_("renewal of %(number)s")
                                                                    % {"number": permit.permit_number}],
        now=now, renewal_of=permit,
    )
