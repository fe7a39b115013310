"""The patrol API: Track uploads from phones and a day's track."""

from datetime import date, datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Schema

from chengguan.org.models import User

from ..access import ROSTER_MANAGERS, may
from ..models import StaffProfile
from ..selectors import tracks as track_sel
from ..services import tracks
from ._common import router


class PointIn(Schema):
    id: str = Field(..., description="client-generated id, unique per user (e.g. a UUID)")
    t: datetime = Field(..., description="when the phone took the fix, with its UTC offset")
    lng: float
    lat: float
    accuracy: float | None = None


class BatchIn(Schema):
    crs: str = "wgs84"
    points: list[PointIn]


class RejectedOut(Schema):
    index: int
    id: str
    code: str


class BatchOut(Schema):
    accepted: int
    duplicates: int
    rejected: list[RejectedOut]


@router.post(
    "/tracks/points",
    response=BatchOut,
    summary="Upload a batch of GPS points (idempotent per point id; queue offline and resend freely)",
)
def track_upload(request, payload: BatchIn):
    result = tracks.track_points_upload(
        actor=request.auth, points=[p.model_dump() for p in payload.points], crs=payload.crs
    )
    return {"accepted": result.accepted, "duplicates": result.duplicates, "rejected": result.rejected}


class TrackPointOut(Schema):
    t: datetime
    lng: float
    lat: float
    unit_grid: str | None


@router.get("/tracks/{user_id}", response=list[TrackPointOut], summary="A person's track of one day (GCJ-02)")
def track_of(request, user_id: int, day: date | None = None):
    target = get_object_or_404(User, pk=user_id)
    if target.pk != request.auth.pk and not _may_see_tracks_of(request.auth, target):
        raise Http404
    points = track_sel.track_of(target, day or timezone.localdate()).select_related("unit_grid")
    return [
        {
            "t": p.recorded_at,
            "lng": p.lng,
            "lat": p.lat,
            "unit_grid": p.unit_grid.code if p.unit_grid else None,
        }
        for p in points
    ]


def _may_see_tracks_of(viewer, target) -> bool:
    """Roster managers see the tracks of people serving in their regions (by staff file or role)."""
    regions = [p.region for p in StaffProfile.objects.select_related("region").filter(user=target)]
    regions += [a.region for a in target.role_assignments.select_related("region") if a.region_id]
    return any(may(viewer, ROSTER_MANAGERS, r) for r in regions)
