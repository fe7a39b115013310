"""The registry of phone numbers printed on illegal small ads (非法小广告): sightings and the number's status
(notified by a call, suspended by the carrier, cleared)."""

import re
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import ValidationError
from chengguan.grids.geocoder import OutsideCity, locate
from chengguan.org.models import Region, User

from .. import workflow
from ..access import FIELD_STAFF, INSPECTORS, OPERATION_STAFF, require
from ..models import AdPhone, AdSighting
from ._base import log, require_choice
from .links import open_case_for_sighting

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{9,11}$")
_SERVICE = re.compile(r"^(400|800)\d{7}$")


def normalize_number(raw: str) -> str:
    """Digits only, without the +86 country code; mobile, landline with area code, or 400/800 numbers."""
    digits = re.sub(r"\D", "", raw or "")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not (_MOBILE.match(digits) or _LANDLINE.match(digits) or _SERVICE.match(digits)):
        raise ValidationError(_("Not a Chinese phone number: %(n)s") % {"n": raw}, field="number")
    return digits


@transaction.atomic
def ad_sighting_record(
    *,
    actor: User,
    number: str,
    region: Region | None = None,
    lng: float | None = None,
    lat: float | None = None,
    crs: str = "wgs84",
    seen_at: datetime | None = None,
    location: str = "",
    ad_kind: str = AdSighting.AdKind.STICKER,
    ads_count: int = 1,
    removed: bool = False,
    open_case: bool = False,
) -> AdSighting:
    """Record ads found with a number; the number is added to the registry, or put back on the active list if
    it had been notified or cleared (a relapse). A suspended number stays suspended. With `open_case` and a
    position, a supervisor's sighting also opens a 非法小广告 case."""
    number = normalize_number(number)
    require_choice(ad_kind, AdSighting.AdKind, "ad_kind")
    if isinstance(ads_count, bool) or not isinstance(ads_count, int) or not 1 <= ads_count <= 10000:
        raise ValidationError(_("Enter how many ads were found."), field="ads_count")
    unit_grid_id = None
    if lng is not None and lat is not None:
        try:
            found = locate(lng, lat, crs)
        except OutsideCity as exc:
            raise ValidationError(_("The position is outside the city's grids."), field="lng") from exc
        lng, lat, unit_grid_id = found.lng, found.lat, found.unit_grid_id
        region = Region.objects.get(pk=found.community_id)
    elif region is None:
        raise ValidationError(_("Give the position or the region."), field="region")
    require(actor, FIELD_STAFF | INSPECTORS, region)
    now = timezone.now()
    seen_at = seen_at or now
    if seen_at > now:
        raise ValidationError(_("The time is in the future."), field="seen_at")
    phone, created = AdPhone.objects.select_for_update().get_or_create(
        number=number, defaults={"first_seen_at": seen_at, "last_seen_at": seen_at}
    )
    sighting = AdSighting.objects.create(
        phone=phone,
        seen_at=seen_at,
        reported_by=actor,
        region=region,
        unit_grid_id=unit_grid_id,
        lng=lng,
        lat=lat,
        location=location.strip()[:200],
        ad_kind=ad_kind,
        ads_count=ads_count,
        removed=removed,
    )
    phone.sightings_count += 1
    phone.first_seen_at = min(phone.first_seen_at, seen_at)
    phone.last_seen_at = max(phone.last_seen_at, seen_at)
    fields = ["sightings_count", "first_seen_at", "last_seen_at"]
    if (
        not created
        and workflow.can("ad_phone", phone.status, AdPhone.Status.ACTIVE)
        and seen_at > _status_time(phone)
    ):
        log(actor, "ad_phone.relapse", phone, region=region, summary=number, previous=phone.status)
        phone.status = AdPhone.Status.ACTIVE
        fields.append("status")
    phone.save(update_fields=fields)
    log(actor, "ad_phone.sighting", phone, region=region, summary=number, sighting=sighting.pk)
    if open_case:
        open_case_for_sighting(actor=actor, sighting=sighting)
    return sighting


def _status_time(phone: AdPhone) -> datetime:
    """When the number last changed status (sightings from before that do not count as a relapse)."""
    from ..models import ActivityLog

    at = (
        ActivityLog.objects.filter(target="patrol.adphone", target_id=phone.pk, action="ad_phone.status")
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return at or phone.first_seen_at


@transaction.atomic
def ad_phone_status_change(*, actor: User, phone: AdPhone, status: str, note: str = "") -> AdPhone:
    require(actor, OPERATION_STAFF)
    require_choice(status, AdPhone.Status, "status")
    phone = AdPhone.objects.select_for_update().get(pk=phone.pk)
    workflow.check("ad_phone", phone.status, status)
    previous, phone.status = phone.status, status
    if note.strip():
        phone.note = (
            phone.note + "\n" if phone.note else ""
        ) + f"{timezone.localdate():%Y-%m-%d} {note.strip()}"
    phone.save(update_fields=["status", "note"])
    log(
        actor,
        "ad_phone.status",
        phone,
        summary=f"{previous} → {status}",
        previous=previous,
        note=note.strip(),
    )
    return phone
