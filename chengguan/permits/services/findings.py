"""A sign, advertisement or stall found on patrol: checked against the register; without a valid permit an officer
turns it into an enforcement clue. `permits_near` is the check other apps may call."""

import math

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.enforcement.models import Source
from chengguan.enforcement.services import case_register_clue
from chengguan.org.models import Role, RoleAssignment
from chengguan.org.selectors import valid_certificate

from ..access import FINDERS, may
from ..models import Application, Finding, Kind

NEAR_METRES = 30  # a permit within this distance of the finding covers it


def _metres(lng1, lat1, lng2, lat2) -> float:
    r = 6_371_000
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def permits_near(*, kind: str, lng: float, lat: float, day=None, metres: float = NEAR_METRES) -> list[Application]:
    """Permits of `kind` valid on `day` (today) within `metres` of the point, nearest first."""
    if kind not in Kind.values:
        raise ValidationError(_("Not a valid choice: %(value)s") % {"value": kind}, field="kind")
    day = day or timezone.localdate()
    box = metres / 111_000 * 2  # a cheap bounding box before the exact distance
    rows = Application.objects.filter(
        kind=kind, status=Application.Status.GRANTED, valid_from__lte=day, valid_to__gte=day,
        lng__range=(lng - box, lng + box), lat__range=(lat - box, lat + box),
    )
    near = [(d, a) for a in rows if (d := _metres(lng, lat, a.lng, a.lat)) <= metres]
    return [a for _d, a in sorted(near, key=lambda x: x[0])]


@transaction.atomic
def finding_record(*, actor, kind: str, region, lng: float, lat: float, address: str, description: str,
                   now=None) -> Finding:
    now = now or timezone.now()
    if region is None:
        raise ValidationError(_("Choose the district or street."), field="region")
    if not may(actor, FINDERS, region):
        raise PermissionDenied(_("You may not record findings in this region."), field="actor")
    if lng is None or lat is None:
        raise ValidationError(_("Give the place on the map."), field="lng")
    if not (address or "").strip():
        raise ValidationError(_("This field is required."), field="address")
    if not (description or "").strip():
        raise ValidationError(_("This field is required."), field="description")
    near = permits_near(kind=kind, lng=lng, lat=lat, day=timezone.localdate(now))
    return Finding.objects.create(
        kind=kind, region=region, lng=lng, lat=lat, address=address.strip()[:200], description=description.strip(),
        found_by=actor, found_at=now, permit=near[0] if near else None,
    )


def _officer_unit(actor, region):
    for row in RoleAssignment.objects.filter(user=actor, role=Role.OFFICER, department__isnull=False).select_related(
        "department", "region"
    ):
        if row.region is None or region.path.startswith(row.region.path):
            return row.department
    return None


@transaction.atomic
def finding_open_clue(*, actor, finding: Finding, now=None):
    """Open an enforcement clue (线索登记) for a finding with no valid permit: a certified officer of the region."""
    now = now or timezone.now()
    finding = Finding.objects.select_for_update(of=("self",)).select_related("region").get(pk=finding.pk)
    if not may(actor, {Role.OFFICER.value}, finding.region):
        raise PermissionDenied(_("Only an officer of this area may open an enforcement clue."), field="actor")
    if valid_certificate(actor, timezone.localdate(now)) is None:
        raise PermissionDenied(_("You hold no valid enforcement certificate today."), field="actor")
    if finding.clue_id:
        raise Conflict(_("An enforcement clue was opened for this finding already."), field="finding")
    if finding.permit_id and finding.permit.valid_on(timezone.localdate(now)):
        raise Conflict(_("A valid permit (%(number)s) covers this place.") % {"number": finding.permit.permit_number},
                       field="permit")
    unit = _officer_unit(actor, finding.region)
    if unit is None:
        raise PermissionDenied(_("You serve in no enforcement unit for this area."), field="actor")
    without, check = _("without a permit"), _("permit check")
    clue = case_register_clue(
        actor=actor, region=finding.region, department=unit, source=Source.PATROL, now=now,
        title=f"{without}：{finding.get_kind_display()}，{finding.address}"[:200],
        source_reference=f"{check} #{finding.pk}"[:100], lng=finding.lng, lat=finding.lat,
        place=finding.address, facts=finding.description, violation_date=timezone.localdate(finding.found_at),
    )
    finding.clue = clue
    finding.save(update_fields=["clue"])
    return clue
