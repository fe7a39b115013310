"""`grids check`: is the grid layer a proper cover of the city?

Reports invalid geometries, overlaps between grids (pairs and m²), grids reaching outside their community,
and area of communities no grid covers. Pieces smaller than `tolerance_m2` or thinner on average than
`min_width_m` are ignored: coordinates stored to 1e-7° (≈ 1 cm) leave hair-thin slivers along shared edges
that are not real gaps or overlaps.
"""

from dataclasses import dataclass, field

import numpy as np
import shapely
from django.db.models import Q
from django.utils import timezone

from chengguan.org.models import Region

from .geocoder import geometries_from_geojson
from .geometry import project_affine
from .models import UnitGrid


@dataclass
class CheckReport:
    grids: int = 0
    communities: int = 0
    invalid: list = field(default_factory=list)  # (grid code, reason)
    overlaps: list = field(default_factory=list)  # (code a, code b, m²)
    crossing: list = field(default_factory=list)  # (grid code, community code, m² outside)
    uncovered: list = field(default_factory=list)  # (community code, m²)
    without_boundary: list = field(default_factory=list)  # community codes (not an error: nothing to compare)

    @property
    def ok(self) -> bool:
        return not (self.invalid or self.overlaps or self.crossing or self.uncovered)

    @property
    def overlap_m2(self) -> float:
        return sum(a for _x, _y, a in self.overlaps)

    @property
    def uncovered_m2(self) -> float:
        return sum(a for _c, a in self.uncovered)

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "grids": self.grids,
            "communities": self.communities,
            "invalid": [{"grid": c, "reason": r} for c, r in self.invalid],
            "overlaps": [{"a": a, "b": b, "m2": round(m, 1)} for a, b, m in self.overlaps],
            "overlap_m2": round(self.overlap_m2, 1),
            "crossing": [{"grid": g, "community": c, "m2": round(m, 1)} for g, c, m in self.crossing],
            "uncovered": [{"community": c, "m2": round(m, 1)} for c, m in self.uncovered],
            "uncovered_m2": round(self.uncovered_m2, 1),
            "without_boundary": self.without_boundary,
        }


def _significant_area(geoms, tolerance_m2: float, min_width_m: float) -> np.ndarray:
    """Per geometry: the area (m²) of its parts that are at least `tolerance_m2` and, on average, at least
    `min_width_m` wide (2 × area / perimeter): hair-thin slivers left by coordinate rounding do not count."""
    geoms = np.asarray(geoms, dtype=object)
    result = np.zeros(len(geoms))
    if not len(geoms):
        return result
    parts, owner = shapely.get_parts(geoms, return_index=True)
    polygonal = np.isin(shapely.get_type_id(parts), [3, 6])  # Polygon, MultiPolygon
    parts, owner = parts[polygonal], owner[polygonal]
    if len(parts):
        projected = project_affine(parts)
        areas, lengths = shapely.area(projected), shapely.length(projected)
        width = np.divide(2 * areas, lengths, out=np.zeros_like(areas), where=lengths > 0)
        big = (areas >= tolerance_m2) & (width >= min_width_m)
        np.add.at(result, owner[big], areas[big])
    return result


def check_grids(
    *, region: Region | None = None, tolerance_m2: float = 1.0, min_width_m: float = 0.1, today=None
) -> CheckReport:
    today = today or timezone.localdate()
    grids = UnitGrid.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    communities = Region.objects.filter(level=Region.Level.COMMUNITY)
    if region is not None:
        grids = grids.filter(community__path__startswith=region.path)
        communities = communities.filter(path__startswith=region.path)
    rows = list(grids.order_by("code").values_list("code", "community_id", "geometry"))
    report = CheckReport(grids=len(rows))
    codes = [r[0] for r in rows]
    geoms = geometries_from_geojson([r[2] for r in rows]) if rows else np.array([], dtype=object)

    # 1. invalid geometries (excluded from the other checks)
    if len(geoms):
        polygonal = np.isin(shapely.get_type_id(geoms), [3, 6])
        valid = shapely.is_valid(geoms) & polygonal
        for i in np.flatnonzero(~valid):
            reason = (
                shapely.is_valid_reason(geoms[i]) if polygonal[i] else f"not a polygon ({geoms[i].geom_type})"
            )
            report.invalid.append((codes[i], reason))
    else:
        valid = np.zeros(0, dtype=bool)
    ok = np.flatnonzero(valid)
    geoms_ok = geoms[ok]

    # 2. overlaps: pairs whose intersection has a significant area
    if len(geoms_ok):
        tree = shapely.STRtree(geoms_ok)
        a, b = tree.query(geoms_ok, predicate="intersects")
        pair = a < b
        a, b = a[pair], b[pair]
        inter = shapely.intersection(geoms_ok[a], geoms_ok[b])
        areas = _significant_area(inter, tolerance_m2, min_width_m)
        for i, j, m2 in zip(a[areas > 0], b[areas > 0], areas[areas > 0], strict=True):
            report.overlaps.append((codes[ok[i]], codes[ok[j]], float(m2)))

    # 3. grids reaching outside their community; 4. community area no grid covers
    community_rows = list(communities.values_list("id", "code", "boundary"))
    report.communities = len(community_rows)
    by_community: dict[int, list[int]] = {}
    for k in ok.tolist():
        by_community.setdefault(rows[k][1], []).append(k)
    with_boundary = [(pk, code, b) for pk, code, b in community_rows if b]
    report.without_boundary = [code for _pk, code, b in community_rows if not b]
    if not with_boundary:
        return report
    boundaries = dict(
        zip(
            [pk for pk, _c, _b in with_boundary],
            geometries_from_geojson([b for *_x, b in with_boundary]),
            strict=True,
        )
    )
    community_code = {pk: code for pk, code, _b in community_rows}
    crossing_ids, crossing_geoms = [], []
    for pk, members in by_community.items():
        boundary = boundaries.get(pk)
        if boundary is None:
            continue
        shapely.prepare(boundary)
        member_geoms = geoms[members]
        outside = ~shapely.contains(boundary, member_geoms)
        for k, geom in zip(np.asarray(members)[outside].tolist(), member_geoms[outside], strict=True):
            crossing_ids.append(k)
            crossing_geoms.append(shapely.difference(geom, boundary))
    if crossing_geoms:
        areas = _significant_area(crossing_geoms, tolerance_m2, min_width_m)
        for k, m2 in zip(crossing_ids, areas, strict=True):
            if m2 > 0:
                report.crossing.append((codes[k], community_code[rows[k][1]], float(m2)))
    gaps, gap_codes = [], []
    for pk, boundary in boundaries.items():
        members = by_community.get(pk, [])
        cover = shapely.union_all(geoms[members]) if members else shapely.Polygon()
        gaps.append(shapely.difference(boundary, cover))
        gap_codes.append(community_code[pk])
    areas = _significant_area(gaps, tolerance_m2, min_width_m)
    report.uncovered = [(c, float(m2)) for c, m2 in zip(gap_codes, areas, strict=True) if m2 > 0]
    return report
