"""Patrol tracks: phones send GPS points in batches (queued while offline); each point is stored once."""

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.coords import check_crs, to_storage_many
from chengguan.core.errors import PermissionDenied, ValidationError
from chengguan.grids.geocoder import locate_many
from chengguan.grids.models import ResponsibilityGrid
from chengguan.org.models import User

from ..access import FIELD_STAFF, may
from ..models import CoverageDay, StaffProfile, TrackPoint

MAX_BATCH = 2000
MAX_CLOCK_SKEW = timedelta(minutes=5)
MAX_AGE = timedelta(days=30)


@dataclass
class UploadResult:
    accepted: int = 0
    duplicates: int = 0
    rejected: list = field(default_factory=list)  # {"index", "id", "code"}


def _reject(result, index, point_id, code):
    result.rejected.append({"index": index, "id": point_id, "code": code})


def screen_points(points: list[dict], now) -> tuple[UploadResult, list[dict]]:
    """The points of a track batch that may be stored (each {"id", "t", "lng", "lat", …}), the others listed in
    the result's `rejected` with a code (bad_id, bad_time, future, too_old, bad_coordinates) and repeats within the
    batch counted as duplicates. Shared by every track upload (phones here, vehicles in the assets app)."""
    result, good, seen = UploadResult(), [], set()
    for index, p in enumerate(points):
        point_id = str(p.get("id") or "").strip()
        t, lng, lat = p.get("t"), p.get("lng"), p.get("lat")
        if not point_id or len(point_id) > 64:
            _reject(result, index, point_id, "bad_id")
        elif not isinstance(t, datetime) or timezone.is_naive(t):
            _reject(result, index, point_id, "bad_time")
        elif t > now + MAX_CLOCK_SKEW:
            _reject(result, index, point_id, "future")
        elif t < now - MAX_AGE:
            _reject(result, index, point_id, "too_old")
        elif not _coordinate_ok(lng, lat):
            _reject(result, index, point_id, "bad_coordinates")
        elif point_id in seen:
            result.duplicates += 1
        else:
            seen.add(point_id)
            good.append(p | {"id": point_id})
    return result, good


def locate_points(points: list[dict], crs: str):
    """(point, stored lng, stored lat, location or None) for each point given in `crs`."""
    xs, ys = to_storage_many([float(p["lng"]) for p in points], [float(p["lat"]) for p in points], crs)
    located = locate_many(list(zip(xs.tolist(), ys.tolist(), strict=True)), "gcj02")
    return list(zip(points, xs.tolist(), ys.tolist(), located, strict=True))


def may_track(actor: User) -> bool:
    return may(actor, FIELD_STAFF) or StaffProfile.objects.filter(user=actor, left_on__isnull=True).exists()


@transaction.atomic
def track_points_upload(*, actor: User, points: list[dict], crs: str = "wgs84") -> UploadResult:
    """Store the actor's GPS points. Each point is {"id": client id, "t": aware datetime, "lng", "lat",
    "accuracy"?}. Sending the same point again is harmless (counted as a duplicate); a point that cannot be
    stored (bad id, time in the future or older than 30 days, coordinates out of range) is listed in
    `rejected` with a code, and the rest of the batch is still stored."""
    if not may_track(actor):
        raise PermissionDenied(_("Only patrolling staff upload tracks."), field="points")
    crs = check_crs(crs)
    if len(points) > MAX_BATCH:
        raise ValidationError(_("Send at most %(n)d points at a time.") % {"n": MAX_BATCH}, field="points")
    now = timezone.now()
    result, good = screen_points(points, now)
    existing = set(
        TrackPoint.objects.filter(user=actor, client_id__in=[p["id"] for p in good]).values_list(
            "client_id", flat=True
        )
    )
    result.duplicates += len(existing)
    fresh = [p for p in good if p["id"] not in existing]
    if fresh:
        rows = [
            TrackPoint(
                user=actor,
                client_id=p["id"],
                recorded_at=p["t"],
                received_at=now,
                lng=round(x, 7),
                lat=round(y, 7),
                accuracy_m=_accuracy(p.get("accuracy")),
                unit_grid_id=loc.unit_grid_id if loc else None,
            )
            for p, x, y, loc in locate_points(fresh, crs)
        ]
        # ignore_conflicts: a retry racing the first upload of the same batch must not fail either one.
        TrackPoint.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
        result.accepted = len(rows)
        touched = {(timezone.localdate(r.recorded_at), r.unit_grid_id) for r in rows if r.unit_grid_id}
        forget_coverage(touched)
        transaction.on_commit(lambda: forget_coverage(touched))  # and once the points are visible to all
    return result


def forget_coverage(touched) -> int:
    """Drop the cached coverage of the responsibility grids containing these (day, unit grid) pairs."""
    by_day = defaultdict(set)
    for day, unit_id in touched:
        by_day[day].add(unit_id)
    deleted = 0
    for day, units in by_day.items():
        grids = ResponsibilityGrid.unit_grids.through.objects.filter(unitgrid_id__in=units).values(
            "responsibilitygrid_id"
        )
        deleted += CoverageDay.objects.filter(day=day, grid_id__in=grids).delete()[0]
    return deleted


def _coordinate_ok(lng, lat) -> bool:
    try:
        lng, lat = float(lng), float(lat)
    except (TypeError, ValueError):
        return False
    return math.isfinite(lng) and math.isfinite(lat) and -180 <= lng <= 180 and -90 <= lat <= 90


def _accuracy(value) -> float | None:
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) and value >= 0 else None
