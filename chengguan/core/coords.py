"""Coordinate systems: WGS84, GCJ-02, BD-09 and CGCS2000 lon/lat, converted to and from the storage system.

Every point that comes in names its system (`crs`); the platform stores one system (`settings.STORAGE_CRS`,
GCJ-02, because the DataV boundaries and most Chinese web maps use it).

* GCJ-02 (国测局, "Mars" coordinates) is WGS84 with a published obfuscation offset of up to ~700 m inside
  China and no offset outside it. The forward formula is public; the inverse has no closed form, so it is
  solved by fixed-point iteration until the forward transform reproduces the input to 1e-10° (≈ 0.01 mm).
* BD-09 (Baidu) is a further rotation/scaling of GCJ-02; its inverse is refined the same way.
* CGCS2000 differs from WGS84 (G1762) by a few centimetres for the purpose of locating a grid; we treat it as
  WGS84. A survey-grade pipeline would apply the epoch/plate-motion correction before import.
"""

import math

import numpy as np

from chengguan.core.errors import ValidationError

CRS_CHOICES = ("wgs84", "gcj02", "bd09", "cgcs2000")

_A = 6378245.0  # Krasovsky 1940 semi-major axis, used by the GCJ-02 formula
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0
_TOLERANCE_DEG = 1e-10
_MAX_ITERATIONS = 30


def check_crs(crs: str) -> str:
    value = (crs or "").strip().lower().replace("-", "").replace("_", "")
    if value not in CRS_CHOICES:
        raise ValidationError(
            f"Unknown coordinate system {crs!r}; use one of: {', '.join(CRS_CHOICES)}.", field="crs"
        )
    return value


def out_of_china(lng: float, lat: float) -> bool:
    """The bounding box every GCJ-02 implementation uses: no offset is applied outside it."""
    return not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _offset(lng: float, lat: float) -> tuple[float, float]:
    x, y = lng - 105.0, lat - 35.0
    sx = math.sqrt(abs(x))
    common = (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sx + common
    dlat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    dlng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sx + common
    dlng += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    dlng += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * math.pi)
    dlng = (dlng * 180.0) / (_A / sqrtmagic * math.cos(radlat) * math.pi)
    return dlng, dlat


def wgs84_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    if out_of_china(lng, lat):
        return lng, lat
    dlng, dlat = _offset(lng, lat)
    return lng + dlng, lat + dlat


def _invert(forward, lng: float, lat: float) -> tuple[float, float]:
    """Solve forward(w) == (lng, lat) for w; the Jacobian is close to identity, so fixed-point converges."""
    wlng, wlat = lng, lat
    for _ in range(_MAX_ITERATIONS):
        flng, flat = forward(wlng, wlat)
        elng, elat = lng - flng, lat - flat
        wlng, wlat = wlng + elng, wlat + elat
        if abs(elng) < _TOLERANCE_DEG and abs(elat) < _TOLERANCE_DEG:
            break
    return wlng, wlat


def gcj02_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    if out_of_china(lng, lat):
        return lng, lat
    return _invert(wgs84_to_gcj02, lng, lat)


def gcj02_to_bd09(lng: float, lat: float) -> tuple[float, float]:
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * _X_PI)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


def bd09_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    x, y = lng - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    # The published closed form is an approximation (error up to ~1e-6°); refine it to round-trip exactly.
    glng, glat = z * math.cos(theta), z * math.sin(theta)
    for _ in range(_MAX_ITERATIONS):
        blng, blat = gcj02_to_bd09(glng, glat)
        elng, elat = lng - blng, lat - blat
        glng, glat = glng + elng, glat + elat
        if abs(elng) < _TOLERANCE_DEG and abs(elat) < _TOLERANCE_DEG:
            break
    return glng, glat


_TO_GCJ02 = {
    "gcj02": lambda lng, lat: (lng, lat),
    "wgs84": wgs84_to_gcj02,
    "cgcs2000": wgs84_to_gcj02,
    "bd09": bd09_to_gcj02,
}
_FROM_GCJ02 = {
    "gcj02": lambda lng, lat: (lng, lat),
    "wgs84": gcj02_to_wgs84,
    "cgcs2000": gcj02_to_wgs84,
    "bd09": gcj02_to_bd09,
}


def _check_point(lng, lat) -> tuple[float, float]:
    try:
        lng, lat = float(lng), float(lat)
    except (TypeError, ValueError) as exc:
        raise ValidationError("Longitude and latitude must be numbers.", field="lng") from exc
    if not (math.isfinite(lng) and -180.0 <= lng <= 180.0):
        raise ValidationError("Longitude must be between -180 and 180.", field="lng")
    if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise ValidationError("Latitude must be between -90 and 90.", field="lat")
    return lng, lat


def _storage() -> str:
    from django.conf import settings

    return getattr(settings, "STORAGE_CRS", "gcj02")


def convert(lng: float, lat: float, src: str, dst: str) -> tuple[float, float]:
    src, dst = check_crs(src), check_crs(dst)
    lng, lat = _check_point(lng, lat)
    if src == dst:
        return lng, lat
    return _FROM_GCJ02[dst](*_TO_GCJ02[src](lng, lat))


def to_storage(lng: float, lat: float, crs: str) -> tuple[float, float]:
    """A point given in `crs` → the storage system (GCJ-02)."""
    return convert(lng, lat, crs, _storage())


def from_storage(lng: float, lat: float, crs: str) -> tuple[float, float]:
    """A stored point → `crs` (for exports and clients that draw on a WGS84 or Baidu map)."""
    return convert(lng, lat, _storage(), crs)


# --- vectorised versions for batches (numpy arrays of lng, lat) ---------------------------------------------


def _offset_array(lng: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, y = lng - 105.0, lat - 35.0
    pi = np.pi
    sx = np.sqrt(np.abs(x))
    common = (20.0 * np.sin(6.0 * x * pi) + 20.0 * np.sin(2.0 * x * pi)) * 2.0 / 3.0
    dlat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sx + common
    dlat += (20.0 * np.sin(y * pi) + 40.0 * np.sin(y / 3.0 * pi)) * 2.0 / 3.0
    dlat += (160.0 * np.sin(y / 12.0 * pi) + 320.0 * np.sin(y * pi / 30.0)) * 2.0 / 3.0
    dlng = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sx + common
    dlng += (20.0 * np.sin(x * pi) + 40.0 * np.sin(x / 3.0 * pi)) * 2.0 / 3.0
    dlng += (150.0 * np.sin(x / 12.0 * pi) + 300.0 * np.sin(x / 30.0 * pi)) * 2.0 / 3.0
    radlat = lat / 180.0 * pi
    magic = 1 - _EE * np.sin(radlat) ** 2
    sqrtmagic = np.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrtmagic) * pi)
    dlng = (dlng * 180.0) / (_A / sqrtmagic * np.cos(radlat) * pi)
    return dlng, dlat


def _outside_array(lng, lat):
    return ~((lng >= 72.004) & (lng <= 137.8347) & (lat >= 0.8293) & (lat <= 55.8271))


def _wgs84_to_gcj02_array(lng, lat):
    dlng, dlat = _offset_array(lng, lat)
    outside = _outside_array(lng, lat)
    return np.where(outside, lng, lng + dlng), np.where(outside, lat, lat + dlat)


def _gcj02_to_bd09_array(lng, lat):
    z = np.sqrt(lng * lng + lat * lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lng) + 0.000003 * np.cos(lng * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def _invert_array(forward, lng, lat, start=None):
    wlng, wlat = start if start is not None else (lng.copy(), lat.copy())
    for _ in range(_MAX_ITERATIONS):
        flng, flat = forward(wlng, wlat)
        elng, elat = lng - flng, lat - flat
        wlng, wlat = wlng + elng, wlat + elat
        if np.all(np.abs(elng) < _TOLERANCE_DEG) and np.all(np.abs(elat) < _TOLERANCE_DEG):
            break
    return wlng, wlat


def _bd09_to_gcj02_array(lng, lat):
    x, y = lng - 0.0065, lat - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return _invert_array(_gcj02_to_bd09_array, lng, lat, (z * np.cos(theta), z * np.sin(theta)))


def _gcj02_to_wgs84_array(lng, lat):
    wlng, wlat = _invert_array(_wgs84_to_gcj02_array, lng, lat)
    outside = _outside_array(lng, lat)
    return np.where(outside, lng, wlng), np.where(outside, lat, wlat)


_TO_GCJ02_ARRAY = {
    "gcj02": lambda lng, lat: (lng, lat),
    "wgs84": _wgs84_to_gcj02_array,
    "cgcs2000": _wgs84_to_gcj02_array,
    "bd09": _bd09_to_gcj02_array,
}
_FROM_GCJ02_ARRAY = {
    "gcj02": lambda lng, lat: (lng, lat),
    "wgs84": _gcj02_to_wgs84_array,
    "cgcs2000": _gcj02_to_wgs84_array,
    "bd09": _gcj02_to_bd09_array,
}


def convert_many(lngs, lats, src: str, dst: str) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised `convert` for arrays of longitudes and latitudes (no range checks: callers validate)."""
    src, dst = check_crs(src), check_crs(dst)
    lngs = np.asarray(lngs, dtype=np.float64)
    lats = np.asarray(lats, dtype=np.float64)
    if src == dst:
        return lngs, lats
    return _FROM_GCJ02_ARRAY[dst](*_TO_GCJ02_ARRAY[src](lngs, lats))


def to_storage_many(lngs, lats, crs: str) -> tuple[np.ndarray, np.ndarray]:
    return convert_many(lngs, lats, crs, _storage())


def from_storage_many(lngs, lats, crs: str) -> tuple[np.ndarray, np.ndarray]:
    return convert_many(lngs, lats, _storage(), crs)
