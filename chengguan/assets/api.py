"""/api/v1/vehicles: the squads' enforcement vehicles, their positions (the patrol phones' track upload shape:
`{"crs", "points": [{"id", "t", "lng", "lat", "speed"?}]}` → `{"accepted", "duplicates", "rejected"}`) and a
vehicle's track of a day. User token or session; the viewer's scope decides which vehicles exist."""

from datetime import date, datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema

from . import selectors
from .access import require_view
from .models import Asset
from .services import vehicle_points_upload

API_PREFIX = "/vehicles"
router = Router(tags=["vehicles"])


class VehicleOut(Schema):
    id: int
    code: str
    name: str
    plate: str
    squad: str
    status: str
    last_t: datetime | None
    last_lng: float | None
    last_lat: float | None


class VehiclePointIn(Schema):
    id: str = Field(..., description="client-generated id, unique per vehicle (e.g. a UUID)")
    t: datetime = Field(..., description="when the terminal took the fix, with its UTC offset")
    lng: float
    lat: float
    speed: float | None = Field(None, description="km/h")


class VehicleBatchIn(Schema):
    crs: str = "wgs84"
    points: list[VehiclePointIn]


class VehicleRejectedOut(Schema):
    index: int
    id: str
    code: str


class VehicleBatchOut(Schema):
    accepted: int
    duplicates: int
    rejected: list[VehicleRejectedOut]


class VehicleTrackPointOut(Schema):
    t: datetime
    lng: float
    lat: float
    speed: float | None
    unit_grid: str | None


def _vehicle(user, vehicle_id: int) -> Asset:
    require_view(user)
    found = selectors.assets(user, Asset.Kind.VEHICLE).filter(pk=vehicle_id).first()
    if found is None:
        raise Http404
    return found


def _out(v: Asset) -> dict:
    last = v.points.order_by("-recorded_at").first()
    return {"id": v.pk, "code": v.code, "name": v.name, "plate": v.plate, "squad": v.squad.name, "status": v.status,
            "last_t": last.recorded_at if last else None, "last_lng": last.lng if last else None,
            "last_lat": last.lat if last else None}


@router.get("", response=list[VehicleOut], summary="The enforcement vehicles of your squads")
def vehicle_list(request):
    require_view(request.auth)
    return [_out(v) for v in selectors.assets(request.auth, Asset.Kind.VEHICLE)[:500]]


@router.get("/{vehicle_id}", response=VehicleOut, summary="One vehicle with its last position")
def vehicle_detail(request, vehicle_id: int):
    return _out(_vehicle(request.auth, vehicle_id))


@router.post("/{vehicle_id}/track/points", response=VehicleBatchOut,
             summary="Upload a batch of a vehicle's GPS points (idempotent per point id)")
def vehicle_track_upload(request, vehicle_id: int, payload: VehicleBatchIn):
    vehicle = _vehicle(request.auth, vehicle_id)
    result = vehicle_points_upload(actor=request.auth, vehicle=vehicle,
                                   points=[p.model_dump() for p in payload.points], crs=payload.crs)
    return {"accepted": result.accepted, "duplicates": result.duplicates, "rejected": result.rejected}


@router.get("/{vehicle_id}/track", response=list[VehicleTrackPointOut], summary="A vehicle's track of one day (GCJ-02)")
def vehicle_track(request, vehicle_id: int, day: date | None = None):
    vehicle = _vehicle(request.auth, vehicle_id)
    return [{"t": p.recorded_at, "lng": p.lng, "lat": p.lat, "speed": p.speed_kmh,
             "unit_grid": p.unit_grid.code if p.unit_grid_id else None}
            for p in selectors.track(vehicle, day or timezone.localdate()).select_related("unit_grid")]
