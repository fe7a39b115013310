"""Coordinate systems against published reference pairs.

Sources of the reference values (each an independent implementation of the public GCJ-02 / BD-09 formulas):
* wandergis/coordtransform README (also used by hutool's CoordinateUtilTest and coordtransform_rs tests):
  wgs84togcj02(116.404, 39.915) = (116.41024449916938, 39.91640428150164);
  gcj02tobd09(116.404, 39.915) = (116.41036949371029, 39.92133699351021);
  bd09togcj02(116.404, 39.915) = (116.39762729119315, 39.90865673957631) (closed-form approximation).
* pyxis (Rust/Python "pyxis" crypto tests): WGS84 (121.0917077, 30.6107779) ↔
  GCJ-02 (121.09626935575027, 30.608604331756705) ↔ BD-09 (121.10271724622564, 30.61484575976839).
* hujiulong/gcoord test/unit/crs/GCJ02.spec.js: GCJ-02 → WGS84 of (123, 45) = (122.99395597, 44.99804071);
  (183, 45) is outside China and unchanged.
"""

import math

import pytest

from chengguan.core import coords
from chengguan.core.errors import ValidationError


def metres(a, b) -> float:
    """Great-circle distance in metres between two lon/lat pairs (good to mm at these distances)."""
    lng1, lat1, lng2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    return 2 * 6371008.8 * math.asin(math.sqrt(h))


REFERENCE = [
    # (source crs, point, target crs, expected)
    ("wgs84", (116.404, 39.915), "gcj02", (116.41024449916938, 39.91640428150164)),
    ("gcj02", (116.404, 39.915), "bd09", (116.41036949371029, 39.92133699351021)),
    ("bd09", (116.404, 39.915), "gcj02", (116.39762729119315, 39.90865673957631)),
    ("wgs84", (121.0917077, 30.6107779), "gcj02", (121.09626935575027, 30.608604331756705)),
    ("gcj02", (121.09626935575027, 30.608604331756705), "wgs84", (121.0917077, 30.6107779)),
    ("wgs84", (121.0917077, 30.6107779), "bd09", (121.10271724622564, 30.61484575976839)),
    ("bd09", (121.10271724622564, 30.61484575976839), "wgs84", (121.0917077, 30.6107779)),
    ("gcj02", (123.0, 45.0), "wgs84", (122.99395597, 44.99804071)),
    ("cgcs2000", (116.404, 39.915), "gcj02", (116.41024449916938, 39.91640428150164)),
]


@pytest.mark.parametrize(("src", "point", "dst", "expected"), REFERENCE)
def test_it_matches_published_reference_pairs_within_half_a_metre(src, point, dst, expected):
    assert metres(coords.convert(*point, src, dst), expected) < 0.5


@pytest.mark.parametrize(("src", "point", "dst", "expected"), REFERENCE)
def test_it_matches_them_in_batches_too(src, point, dst, expected):
    lngs, lats = coords.convert_many([point[0]], [point[1]], src, dst)
    assert metres((lngs[0], lats[0]), expected) < 0.5


@pytest.mark.parametrize("crs", ["wgs84", "bd09", "cgcs2000"])
def test_it_round_trips_kaifeng_points_to_a_millimetre(crs):
    for lng, lat in [(114.3075, 34.7972), (114.35, 34.79), (114.12, 34.94), (114.49, 34.70)]:
        there = coords.from_storage(lng, lat, crs)
        assert metres(there, (lng, lat)) > 100  # the systems really differ here
        back = coords.to_storage(*there, crs)
        assert metres(back, (lng, lat)) < 0.001


def test_it_stores_gcj02_unchanged():
    assert coords.to_storage(114.3075, 34.7972, "gcj02") == (114.3075, 34.7972)
    assert coords.to_storage(114.3075, 34.7972, "GCJ-02") == (114.3075, 34.7972)


def test_it_leaves_points_outside_china_alone():
    assert coords.convert(183 - 360, 45, "gcj02", "wgs84") == (-177, 45)
    assert coords.convert(2.35, 48.85, "wgs84", "gcj02") == (2.35, 48.85)


def test_it_rejects_an_unknown_system_naming_the_field():
    with pytest.raises(ValidationError) as err:
        coords.to_storage(114.3, 34.8, "epsg:3857")
    assert err.value.field == "crs"
    with pytest.raises(ValidationError):
        coords.convert_many([114.3], [34.8], "mars", "gcj02")


@pytest.mark.parametrize(("lng", "lat", "field"), [(200, 34.8, "lng"), (114.3, 95, "lat"), ("x", 1, "lng")])
def test_it_rejects_impossible_coordinates(lng, lat, field):
    with pytest.raises(ValidationError) as err:
        coords.to_storage(lng, lat, "wgs84")
    assert err.value.field == field
