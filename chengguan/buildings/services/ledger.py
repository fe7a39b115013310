"""A ledger item's life: discovered (存量 from a census, 新增 from patrol) → stopped on site → enforcement case
linked or clue opened → demolished (or retained awaiting treatment). A new structure stopped and taken up by
enforcement on the day it was found counts as 当日发现、立即制止、当日查处."""

import uuid
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.enforcement.models import EnforcementCase
from chengguan.enforcement.models import Source as ClueSource
from chengguan.enforcement.services import case_register_clue
from chengguan.org.models import Role, RoleAssignment
from chengguan.org.selectors import valid_certificate

from ..access import may, require
from ..models import BuildingEvent, Category, IllegalBuilding, Source, Use
from ..workflow import LEADERS, OFFICERS, REGISTRARS, TRANSITIONS

CLUE_SOURCES = {Source.REPORT: ClueSource.COMPLAINT, Source.REFERRAL: ClueSource.REFERRAL}


def _decimal(value, field: str) -> Decimal:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValidationError(_("Give a number."), field=field) from exc
    if not d.is_finite() or d <= 0:
        raise ValidationError(_("Give a number above zero."), field=field)
    if d >= Decimal("100000000"):
        raise ValidationError(_("The number is too large."), field=field)
    return d.quantize(Decimal("0.01"))


def _choice(value, choices, field: str) -> str:
    if value not in choices.values:
        raise ValidationError(_("Not a valid choice: %(value)s") % {"value": value}, field=field)
    return value


def _record(building, act, old, actor, at, note="", **payload):
    BuildingEvent.objects.create(building=building, act=act, from_status=old, to_status=building.status,
                                 actor=actor, at=at, note=note, payload=payload)


def _same_day(b: IllegalBuilding) -> bool:
    if b.category != Category.NEW or not (b.stopped_at and b.handled_at):
        return False
    return timezone.localdate(b.stopped_at) == b.discovered_on == timezone.localdate(b.handled_at)


@transaction.atomic
def building_register(*, actor, region, address: str, lng: float, lat: float, area_m2, floors: int, households: int,
                      use: str, category: str, source: str, discovered_at: datetime | None = None,
                      party_name: str = "", description: str = "", project=None, campaign=None,
                      now=None) -> IllegalBuilding:
    now = now or timezone.now()
    if region is None:
        raise ValidationError(_("Choose the district or street."), field="region")
    require(actor, REGISTRARS, region, _("You may not enter structures in the ledger for this region."))
    if not (address or "").strip():
        raise ValidationError(_("This field is required."), field="address")
    for name, v in (("lng", lng), ("lat", lat)):
        if not isinstance(v, int | float):
            raise ValidationError(_("Give the place on the map."), field=name)
    area = _decimal(area_m2, "area_m2")
    if not isinstance(floors, int) or not 1 <= floors <= 60:
        raise ValidationError(_("Floors: 1 to 60."), field="floors")
    if not isinstance(households, int) or households < 0:
        raise ValidationError(_("Give a number of zero or more."), field="households")
    discovered_at = discovered_at or now
    if discovered_at > now:
        raise ValidationError(_("The discovery cannot be in the future."), field="discovered_at")
    b = IllegalBuilding(
        number=f"tmp-{uuid.uuid4().hex[:16]}", region=region, address=address.strip()[:200], lng=lng, lat=lat,
        area_m2=area, floors=floors, households=households, use=_choice(use, Use, "use"),
        category=_choice(category, Category, "category"), source=_choice(source, Source, "source"),
        discovered_at=discovered_at, discovered_on=timezone.localdate(discovered_at),
        party_name=(party_name or "").strip()[:100], description=(description or "").strip(), project=project,
        campaign=campaign, created_by=actor,
    )
    b.save()
    b.number = f"WJ{b.discovered_on:%Y}{b.pk:06d}"
    b.save(update_fields=["number"])
    _record(b, "register", "", actor, now, category=category, area_m2=str(area))
    return b


def _locked(building) -> IllegalBuilding:
    return IllegalBuilding.objects.select_for_update(of=("self",)).select_related("region").get(pk=building.pk)


def _transition(actor, b: IllegalBuilding, act: str):
    sources, target, roles = TRANSITIONS[act]
    if b.status not in sources:
        raise Conflict(_("This cannot be done while the structure is “%(status)s”.")
                       % {"status": b.get_status_display()}, field="status")
    if not may(actor, roles, b.region):
        if act == "stop" and may(actor, {Role.ASSISTANT.value}, b.region):
            raise PermissionDenied(_("Assistants hold no enforcement certificate: an officer orders the stop."),
                                   field="actor", code="assistant_not_certified")
        raise PermissionDenied(_("You may not do this for structures of this region."), field="actor")
    return target


@transaction.atomic
def building_stop(*, actor, building, note: str = "", now=None) -> IllegalBuilding:
    """立即制止: the building work is ordered to stop on site."""
    now = now or timezone.now()
    b = _locked(building)
    old = b.status
    b.status = _transition(actor, b, "stop")
    b.stopped_at = now
    b.same_day = _same_day(b)
    b.save(update_fields=["status", "stopped_at", "same_day"])
    _record(b, "stop", old, actor, now, note=(note or "").strip())
    return b


def _handled(b: IllegalBuilding, now) -> None:
    if b.handled_at is None:
        b.handled_at = now
    b.same_day = _same_day(b)
    b.save(update_fields=["handled_at", "same_day"])


@transaction.atomic
def building_link_case(*, actor, building, case: EnforcementCase, now=None) -> IllegalBuilding:
    """Link an enforcement case already open about the structure (查处)."""
    now = now or timezone.now()
    b = _locked(building)
    require(actor, OFFICERS | LEADERS, b.region, _("Only officers and leaders of this area link enforcement cases."))
    if case is None or not may(actor, OFFICERS | LEADERS, case.region):
        raise ValidationError(_("No such enforcement case in your area."), field="case")
    if b.enforcement_cases.filter(pk=case.pk).exists():
        raise Conflict(_("This case is linked already."), field="case")
    b.enforcement_cases.add(case)
    _handled(b, now)
    _record(b, "link_case", b.status, actor, now, case=case.pk, number=case.number or case.clue_number)
    return b


def _officer_unit(actor, region):
    for row in RoleAssignment.objects.filter(user=actor, role=Role.OFFICER, department__isnull=False).select_related(
        "department", "region"
    ):
        if row.region is None or region.path.startswith(row.region.path):
            return row.department
    return None


@transaction.atomic
def building_open_clue(*, actor, building, now=None) -> EnforcementCase:
    """Open an enforcement clue (线索登记) for the structure and link it: a certified officer of the area."""
    now = now or timezone.now()
    b = _locked(building)
    require(actor, OFFICERS, b.region, _("Only an officer of this area may open an enforcement clue."))
    if valid_certificate(actor, timezone.localdate(now)) is None:
        raise PermissionDenied(_("You hold no valid enforcement certificate today."), field="actor")
    unit = _officer_unit(actor, b.region)
    if unit is None:
        raise PermissionDenied(_("You serve in no enforcement unit for this area."), field="actor")
    label = _("illegal building")
    clue = case_register_clue(
        actor=actor, region=b.region, department=unit, source=CLUE_SOURCES.get(b.source, ClueSource.PATROL), now=now,
        title=f"{label}：{b.address}，{b.area_m2}㎡"[:200], source_reference=b.number,
        lng=b.lng, lat=b.lat, place=b.address, facts=b.description or b.address,
        party_name=b.party_name, violation_date=b.discovered_on,
    )
    b.enforcement_cases.add(clue)
    _handled(b, now)
    _record(b, "open_clue", b.status, actor, now, case=clue.pk, number=clue.clue_number)
    return clue


@transaction.atomic
def building_retain(*, actor, building, reason: str, now=None) -> IllegalBuilding:
    """保留待处理: kept for now (e.g. awaiting a planning decision), with the reason."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason."), field="reason")
    b = _locked(building)
    old = b.status
    b.status = _transition(actor, b, "retain")
    b.retained_reason = reason[:300]
    b.save(update_fields=["status", "retained_reason"])
    _record(b, "retain", old, actor, now, note=reason)
    return b


@transaction.atomic
def building_demolish(*, actor, building, demolished_on: date, area_m2=None, note: str = "",
                      now=None) -> IllegalBuilding:
    """已拆除: the day and the floor area removed (at most the recorded area)."""
    now = now or timezone.now()
    b = _locked(building)
    old = b.status
    target = _transition(actor, b, "demolish")
    if not isinstance(demolished_on, date):
        raise ValidationError(_("Give a date."), field="demolished_on")
    if demolished_on > timezone.localdate(now) or demolished_on < b.discovered_on:
        raise ValidationError(_("The day must lie between the discovery and today."), field="demolished_on")
    area = b.area_m2 if area_m2 in (None, "") else _decimal(area_m2, "area_m2")
    if area > b.area_m2:
        raise ValidationError(_("More than the recorded area (%(area)s m²).") % {"area": b.area_m2}, field="area_m2")
    b.status, b.demolished_on, b.demolished_area_m2 = target, demolished_on, area
    b.save(update_fields=["status", "demolished_on", "demolished_area_m2"])
    _record(b, "demolish", old, actor, now, note=(note or "").strip(), area_m2=str(area),
            demolished_on=demolished_on.isoformat())
    return b


@transaction.atomic
def building_assign(*, actor, building, project=None, campaign=None, now=None) -> IllegalBuilding:
    """Put the structure in a demolition project and/or a campaign (None leaves it as it is)."""
    now = now or timezone.now()
    b = _locked(building)
    require(actor, OFFICERS | LEADERS, b.region, _("You may not do this for structures of this region."))
    fields = []
    if project is not None:
        if not b.region.path.startswith(project.region.path) and not project.region.path.startswith(b.region.path):
            raise ValidationError(_("The project is in another region."), field="project")
        b.project = project
        fields.append("project")
    if campaign is not None:
        if not b.region.path.startswith(campaign.region.path):
            raise ValidationError(_("The campaign is in another region."), field="campaign")
        b.campaign = campaign
        fields.append("campaign")
    if not fields:
        raise ValidationError(_("Choose a project or a campaign."), field="project")
    b.save(update_fields=fields)
    _record(b, "assign", b.status, actor, now, project=b.project_id, campaign=b.campaign_id)
    return b
