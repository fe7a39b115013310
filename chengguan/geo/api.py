"""Gazetteer API, beside the grid geocoder at /api/v1/geo/: address search and reverse lookup.

Every signed-in user may use it (the same rule as the geocoder): the gazetteer is shared working knowledge
and holds no personal data. Points answer in the storage system (GCJ-02) unless `crs` asks for another.
"""

from django.utils.translation import gettext as _
from ninja import Router

from chengguan.core.coords import check_crs, from_storage
from chengguan.core.errors import ValidationError
from chengguan.grids import geocoder

from . import search

API_PREFIX = "/geo"
router = Router(tags=["geo"])

MAX_QUERY = 100
MAX_LIMIT = 50


def candidate(address, score: float | None, crs: str = "gcj02") -> dict:
    """One address as the API and the pickers show it, with its grid and community as of today."""
    lng, lat = from_storage(address.lng, address.lat, crs) if crs != "gcj02" else (address.lng, address.lat)
    index = geocoder.current_index()
    found = index.locate(address.lng, address.lat)
    place = index.describe(found) if found is not None else {}
    out = {
        "id": address.id,
        "full": address.full,
        "level": address.level,
        "name": address.name,
        "poi_kind": address.poi_kind,
        "district": address.district,
        "street": address.street,
        "road": address.road,
        "number": address.number,
        "building": address.building,
        "unit": address.unit,
        "lng": round(lng, 7),
        "lat": round(lat, 7),
        "crs": crs,
        "unit_grid": place.get("unit_grid"),
        "community": place.get("community"),
        "responsibility_grid": place.get("responsibility_grid"),
        "is_demo": address.is_demo,
    }
    if score is not None:
        out["score"] = score
    return out


@router.get("/addresses", summary="Search the standard address gazetteer", url_name="geo-addresses")
def addresses(request, q: str = "", limit: int = 10, crs: str = "gcj02"):
    crs = check_crs(crs)
    if len(q) > MAX_QUERY:
        raise ValidationError(_("At most %(n)d characters.") % {"n": MAX_QUERY}, field="q")
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError(_("limit is 1 to %(n)d.") % {"n": MAX_LIMIT}, field="limit")
    found = search.search(q, limit=limit)
    return {"query": q, "count": len(found), "results": [candidate(a, s, crs) for a, s in found]}


@router.get("/reverse", summary="The nearest address, road, community and grid at a point", url_name="geo-reverse")
def reverse(request, lng: float, lat: float, crs: str = "gcj02"):
    crs = check_crs(crs)
    if not (-180 <= lng <= 180):
        raise ValidationError(_("Longitude is -180 to 180."), field="lng")
    if not (-90 <= lat <= 90):
        raise ValidationError(_("Latitude is -90 to 90."), field="lat")
    address = search.reverse(lng, lat, crs)
    try:
        place = geocoder.describe(geocoder.locate(lng, lat, crs))
    except geocoder.OutsideCity:
        place = None
    return {
        "address": candidate(address, None, crs) if address else None,
        "road": address.road if address else "",
        "community": place["community"] if place else None,
        "unit_grid": place["unit_grid"] if place else None,
        "responsibility_grid": place["responsibility_grid"] if place else None,
    }


@router.get("/outlines", summary="Outlines of the unit grid and the responsibility grid at a point", url_name="geo-outlines")
def outlines(request, lng: float, lat: float, crs: str = "gcj02"):
    """For the case page's map: the unit grid the point falls in and its responsibility grid's outline."""
    import shapely

    from chengguan.grids.geojson_io import geometry_out
    from chengguan.grids.geometry import to_geojson
    from chengguan.grids.models import ResponsibilityGrid, UnitGrid

    crs = check_crs(crs)
    try:
        found = geocoder.locate(lng, lat, crs)
    except geocoder.OutsideCity:
        return {"type": "FeatureCollection", "features": []}
    grid = UnitGrid.objects.get(pk=found.unit_grid_id)
    features = [{"type": "Feature", "properties": {"kind": "unit_grid", "code": grid.code},
                 "geometry": geometry_out(grid.geometry, crs)}]
    if found.responsibility_grid_id:
        rg = ResponsibilityGrid.objects.get(pk=found.responsibility_grid_id)
        shapes = [shapely.geometry.shape(g) for g in rg.unit_grids.values_list("geometry", flat=True)]
        union = shapely.unary_union(shapes).simplify(0.00001)
        features.append({"type": "Feature", "properties": {"kind": "responsibility_grid", "code": rg.code,
                                                           "name": rg.name},
                         "geometry": geometry_out(to_geojson(union), crs)})
    return {"type": "FeatureCollection", "features": features}
