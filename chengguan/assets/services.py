"""Vehicle positions (the patrol phones' track upload shape: a batch of points with client ids, idempotent per
point, bad points listed and the rest stored) and body-camera files attached to enforcement cases."""

import math
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.coords import check_crs
from chengguan.core.errors import PermissionDenied, ValidationError
from chengguan.enforcement.models import Evidence
from chengguan.enforcement.services.evidence import evidence_add
from chengguan.org.scope import user_covers_department
from chengguan.patrol.services.tracks import (
    MAX_BATCH,
    MAX_CLOCK_SKEW,
    UploadResult,
    locate_points,
    screen_points,
)

from .access import require_crew
from .models import Asset, BodyCameraFile, VehiclePoint


def _speed(value) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) and 0 <= value <= 300 else None


@transaction.atomic
def vehicle_points_upload(*, actor, vehicle: Asset, points: list[dict], crs: str = "wgs84") -> UploadResult:
    """Store a vehicle's points: {"id", "t" (aware datetime), "lng", "lat", "speed"?}. The same point sent again
    is a duplicate; a point that cannot be stored is listed in `rejected` (codes as the patrol track upload:
    bad_id, bad_time, future, too_old, bad_coordinates) and the rest is stored."""
    if vehicle.kind != Asset.Kind.VEHICLE:
        raise ValidationError(_("This asset is not a vehicle."), field="vehicle")
    require_crew(actor, vehicle)
    if vehicle.status == Asset.Status.RETIRED:
        raise ValidationError(_("This vehicle is retired."), field="vehicle")
    crs = check_crs(crs)
    if len(points) > MAX_BATCH:
        raise ValidationError(_("Send at most %(n)d points at a time.") % {"n": MAX_BATCH}, field="points")
    now = timezone.now()
    result, good = screen_points(points, now)
    existing = set(
        VehiclePoint.objects.filter(vehicle=vehicle, client_id__in=[p["id"] for p in good]).values_list(
            "client_id", flat=True
        )
    )
    result.duplicates += len(existing)
    fresh = [p for p in good if p["id"] not in existing]
    if fresh:
        rows = [
            VehiclePoint(vehicle=vehicle, client_id=p["id"], recorded_at=p["t"], received_at=now, lng=round(x, 7),
                         lat=round(y, 7), speed_kmh=_speed(p.get("speed")),
                         unit_grid_id=loc.unit_grid_id if loc else None, sent_by=actor)
            for p, x, y, loc in locate_points(fresh, crs)
        ]
        VehiclePoint.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        result.accepted = len(rows)
    return result


def bodycam_attach(*, actor, case, camera: Asset, file, recorded_at: datetime | None = None,
                   description: str = "", now=None) -> BodyCameraFile:
    """Attach a body-camera recording to an enforcement case: the enforcement app's evidence service stores the
    file (audio-visual material), its SHA-256 and the hash-chained record entry, and checks that the actor is a
    certified officer of the case; here: the device is a body camera in service of a squad the actor belongs to.
    One transaction: the evidence and the device record together or neither."""
    now = now or timezone.now()
    if camera.kind != Asset.Kind.BODY_CAMERA or camera.status != Asset.Status.IN_SERVICE:
        raise ValidationError(_("Choose a body camera in service."), field="camera")
    if not user_covers_department(actor, camera.squad, roles={"officer", "admin"}):
        raise PermissionDenied(_("This body camera belongs to another squad."), field="camera")
    if file is None:
        raise ValidationError(_("Choose the recording."), field="file")
    recorded_at = recorded_at or now
    if recorded_at > now + MAX_CLOCK_SKEW:
        raise ValidationError(_("The recording time is in the future."), field="recorded_at")
    text = (description or "").strip() or _("Body camera %(device)s recording") % {"device": camera.device_id}
    with transaction.atomic():
        evidence = evidence_add(actor=actor, case=case, kind=Evidence.Kind.AUDIOVISUAL, description=text,
                                file=file, collected_at=recorded_at, now=now)
        return BodyCameraFile.objects.create(
            case=case, evidence=evidence, camera=camera, device_id=camera.device_id, sha256=evidence.sha256,
            recorded_at=recorded_at, attached_by=actor, attached_at=now,
        )
