"""Geo API at /api/v1/geo/: locate points (single and batch), grid and region layers as GeoJSON.

Every signed-in user may use it: the grid map is shared working knowledge of the whole bureau, and the
geocoder is how every report gets its grid. Nothing here reveals cases or people beyond supervisors' names.
"""

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from chengguan.core.coords import check_crs
from chengguan.core.errors import ValidationError
from chengguan.org.models import Region

from . import geocoder
from .geojson_io import geometry_out
from .models import UnitGrid

API_PREFIX = "/geo"
router = Router(tags=["geo"])

MAX_FEATURES = 5000


def batch_limit() -> int:
    return int(getattr(settings, "GEO_BATCH_LIMIT", 10_000))


class Ref(Schema):
    id: int
    code: str
    name: str = ""


class LocationOut(Schema):
    unit_grid: Ref
    community: Ref | None
    street: Ref | None
    district: Ref | None
    responsibility_grid: Ref | None
    lng: float = Field(description="longitude in the storage system (GCJ-02)")
    lat: float


class LocateBatchIn(Schema):
    crs: str = "gcj02"
    points: list[tuple[float, float]] = Field(description="[[lng, lat], ...]")


class LocateBatchOut(Schema):
    found: int
    outside: int
    results: list[LocationOut | None]


@router.get(
    "/locate", response=LocationOut, summary="The unit grid and hierarchy at a point", url_name="geo-locate"
)
def locate(request, lng: float, lat: float, crs: str = "gcj02"):
    return geocoder.describe(geocoder.locate(lng, lat, crs))


@router.post("/locate", response=LocateBatchOut, summary="Locate many points at once")
def locate_batch(request, payload: LocateBatchIn):
    limit = batch_limit()
    if len(payload.points) > limit:
        raise ValidationError(
            _("At most %(limit)d points per request; split the batch.") % {"limit": limit},
            field="points",
            code="too_many_points",
        )
    index = geocoder.current_index()
    found = geocoder.locate_many(payload.points, check_crs(payload.crs))
    results = [index.describe(f) if f is not None else None for f in found]
    hits = sum(r is not None for r in results)
    return {"found": hits, "outside": len(results) - hits, "results": results}


def _bbox(value: str | None):
    if not value:
        return None
    try:
        minx, miny, maxx, maxy = (float(v) for v in value.split(","))
    except ValueError as exc:
        raise ValidationError(_("bbox is minLng,minLat,maxLng,maxLat."), field="bbox") from exc
    if not (minx < maxx and miny < maxy):
        raise ValidationError(_("bbox is minLng,minLat,maxLng,maxLat."), field="bbox")
    return minx, miny, maxx, maxy


def _in_bbox(geometry: dict, bbox) -> bool:
    if bbox is None:
        return True
    xs, ys = [], []
    for ring in (
        geometry["coordinates"]
        if geometry["type"] == "Polygon"
        else [r for poly in geometry["coordinates"] for r in poly]
    ):
        xs += [p[0] for p in ring]
        ys += [p[1] for p in ring]
    return not (max(xs) < bbox[0] or min(xs) > bbox[2] or max(ys) < bbox[1] or min(ys) > bbox[3])


@router.get(
    "/unit-grids.geojson",
    summary="Unit grids valid today (optionally in a bounding box)",
    url_name="geo-unit-grids",
)
def unit_grids_geojson(request, bbox: str | None = None, region: str | None = None, crs: str = "gcj02"):
    crs = check_crs(crs)
    box = _bbox(bbox)
    today = timezone.localdate()
    qs = UnitGrid.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    if region:
        parent = Region.objects.filter(code=region).first()
        if parent is None:
            raise Http404
        qs = qs.filter(community__path__startswith=parent.path)
    features, truncated = [], False
    for code, geometry in qs.order_by("code").values_list("code", "geometry").iterator(chunk_size=2000):
        if not _in_bbox(geometry, box):
            continue
        if len(features) == MAX_FEATURES:
            truncated = True
            break
        features.append(
            {
                "type": "Feature",
                "properties": {"code": code, "district": code[:6]},
                "geometry": geometry_out(geometry, crs),
            }
        )
    return {"type": "FeatureCollection", "truncated": truncated, "features": features}


@router.get(
    "/regions.geojson", summary="Boundaries of districts, streets or communities", url_name="geo-regions"
)
def regions_geojson(request, level: str = "district", parent: str | None = None, crs: str = "gcj02"):
    crs = check_crs(crs)
    if level not in Region.Level.values:
        raise ValidationError(
            _("level is one of %(levels)s.") % {"levels": ", ".join(Region.Level.values)}, field="level"
        )
    qs = Region.objects.filter(level=level, boundary__isnull=False).order_by("code")
    if parent:
        ancestor = Region.objects.filter(code=parent).first()
        if ancestor is None:
            raise Http404
        qs = qs.filter(path__startswith=ancestor.path)
    features = [
        {
            "type": "Feature",
            "properties": {"code": r.code, "name": r.name, "level": r.level, "district": r.code[:6]},
            "geometry": geometry_out(r.boundary, crs),
        }
        for r in qs
    ]
    return {"type": "FeatureCollection", "features": features}


class UnitGridOut(Schema):
    code: str
    area_m2: float
    land_use: str
    management_level: str
    valid_from: str | None
    valid_to: str | None
    community: Ref
    street: Ref | None
    district: Ref | None
    responsibility_grids: list[dict]
    components: int


@router.get("/unit-grids/{code}", response=UnitGridOut, summary="One unit grid with its hierarchy")
def unit_grid_detail(request, code: str):
    grid = UnitGrid.objects.select_related("community__parent__parent").filter(code=code).first()
    if grid is None:
        raise Http404
    community = grid.community
    street = community.parent if community.parent and community.parent.level == "street" else None
    district = street.parent if street and street.parent else None

    def ref(region):
        return {"id": region.pk, "code": region.code, "name": region.name} if region else None

    return {
        "code": grid.code,
        "area_m2": grid.area_m2,
        "land_use": grid.land_use,
        "management_level": grid.management_level,
        "valid_from": grid.valid_from.isoformat() if grid.valid_from else None,
        "valid_to": grid.valid_to.isoformat() if grid.valid_to else None,
        "community": ref(community),
        "street": ref(street),
        "district": ref(district),
        "responsibility_grids": [
            {"code": rg.code, "name": rg.name, "supervisors": [str(u) for u in rg.supervisors.all()]}
            for rg in grid.responsibility_grids.prefetch_related("supervisors")
        ],
        "components": grid.components.count(),
    }
