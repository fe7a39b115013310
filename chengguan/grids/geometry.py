"""Geometry helpers: GeoJSON ↔ shapely, areas in m², a local metric frame for sizing cells.

Stored coordinates are GCJ-02 lon/lat. GCJ-02 shifts WGS84 by a smooth offset of a few hundred metres, which
changes lengths and areas by far less than 0.01 %, so areas are computed on the WGS84 ellipsoid directly.
"""

import functools
import json
import math

import numpy as np
import shapely
from shapely.geometry import shape


@functools.cache
def _geod():
    """pyproj is imported on first use (~24 MB per process that a web worker placing points never needs)."""
    from pyproj import Geod

    return Geod(ellps="WGS84")

COORDINATE_DECIMALS = 7  # ≈ 1 cm; keeps stored GeoJSON small


def to_shape(geojson: dict):
    return shape(geojson)


def to_geojson(geom, decimals: int = COORDINATE_DECIMALS) -> dict:
    """A shapely geometry → a GeoJSON dict with rounded coordinates (plain lists, JSON-serialisable)."""
    data = json.loads(shapely.to_geojson(geom))
    if decimals is not None:
        data = _round(data, decimals)
    return data


def _round(obj, decimals):
    if isinstance(obj, dict):
        return {k: (_round(v, decimals) if k == "coordinates" else v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_round(v, decimals) for v in obj]
    if isinstance(obj, float):
        return round(obj, decimals)
    return obj


def area_m2(geom) -> float:
    """Geodesic area of a lon/lat polygon or multipolygon in m²."""
    if geom.is_empty:
        return 0.0
    area, _perimeter = _geod().geometry_area_perimeter(
        shapely.geometry.polygon.orient(geom) if geom.geom_type == "Polygon" else geom
    )
    return abs(area)


def equal_area_transformer(lng0: float, lat0: float):
    """Lambert azimuthal equal-area centred on a point: metres, areas exact, shapes good within a city."""
    from pyproj import Transformer

    return Transformer.from_crs(
        "+proj=longlat +ellps=WGS84 +no_defs",
        f"+proj=laea +lat_0={lat0} +lon_0={lng0} +ellps=WGS84 +units=m +no_defs",
        always_xy=True,
    )


def project_local(geoms) -> np.ndarray:
    """Lon/lat geometries → metres in a local equal-area projection centred on them (empty ones stay)."""
    geoms = np.asarray(geoms, dtype=object)
    present = ~shapely.is_empty(geoms) if len(geoms) else np.zeros(0, dtype=bool)
    if not present.any():
        return geoms
    b = shapely.total_bounds(geoms[present])
    transformer = equal_area_transformer((b[0] + b[2]) / 2, (b[1] + b[3]) / 2)
    return shapely.transform(geoms, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def project_affine(geoms) -> np.ndarray:
    """Lon/lat → metres by scaling each axis at the centre latitude (local equirectangular).

    Unlike a true projection this keeps straight lon/lat edges straight, so it measures what is stored:
    slivers between two grids that share an edge stay slivers (a projection bends a long edge but not its
    neighbour's short ones and would invent area). Scale error: ±0.3 % over ±0.25° of latitude."""
    geoms = np.asarray(geoms, dtype=object)
    present = ~shapely.is_empty(geoms) if len(geoms) else np.zeros(0, dtype=bool)
    if not present.any():
        return geoms
    b = shapely.total_bounds(geoms[present])
    lng0, lat0 = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
    scale = np.array(metres_per_degree(lat0))
    origin = np.array([lng0, lat0])
    return shapely.transform(geoms, lambda xy: (xy - origin) * scale)


def areas_m2(geoms) -> np.ndarray:
    """Vectorised areas (m²) for many lon/lat geometries of one city."""
    geoms = np.asarray(geoms, dtype=object)
    if not len(geoms):
        return np.zeros(0)
    return shapely.area(project_local(geoms))


def metres_per_degree(lat: float) -> tuple[float, float]:
    """Length of one degree of longitude and of latitude at `lat` on the WGS84 ellipsoid (m)."""
    phi = math.radians(lat)
    a, e2 = 6378137.0, 0.00669437999014
    n = a / math.sqrt(1 - e2 * math.sin(phi) ** 2)
    m = a * (1 - e2) / (1 - e2 * math.sin(phi) ** 2) ** 1.5
    return math.radians(1) * n * math.cos(phi), math.radians(1) * m


def reproject_to_storage(geom, crs: str):
    """A lon/lat geometry in `crs` → the storage system (vectorised over its coordinates)."""
    from chengguan.core.coords import check_crs, to_storage_many

    crs = check_crs(crs)
    if crs == "gcj02":
        return geom
    return shapely.transform(geom, lambda xy: np.column_stack(to_storage_many(xy[:, 0], xy[:, 1], crs)))


def reproject_from_storage(geom, crs: str):
    from chengguan.core.coords import check_crs, from_storage_many

    crs = check_crs(crs)
    if crs == "gcj02":
        return geom
    return shapely.transform(geom, lambda xy: np.column_stack(from_storage_many(xy[:, 0], xy[:, 1], crs)))


def parse_area_geometry(value, *, crs: str = "gcj02", field: str = "geometry"):
    """Validate an incoming GeoJSON (Multi)Polygon in `crs`; return the shapely geometry in storage CRS."""
    from chengguan.core.errors import ValidationError

    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError("The geometry must be a GeoJSON Polygon or MultiPolygon.", field=field)
    try:
        geom = shape(value)
    except Exception as exc:  # noqa: BLE001 - shapely raises several types for malformed input
        raise ValidationError(f"The geometry cannot be read: {exc}", field=field) from exc
    if geom.is_empty:
        raise ValidationError("The geometry is empty.", field=field)
    bounds = geom.bounds
    if not (-180 <= bounds[0] <= bounds[2] <= 180 and -90 <= bounds[1] <= bounds[3] <= 90):
        raise ValidationError("The geometry's coordinates are not longitude/latitude.", field=field)
    if not geom.is_valid:
        reason = shapely.is_valid_reason(geom)
        raise ValidationError(f"The geometry is not valid: {reason}.", field=field)
    return reproject_to_storage(geom, crs)
