"""Generate unit grids: cover communities with square cells of a given area, clipped to their boundaries.

How a city bootstraps before surveyed grids exist (`chengguan grids generate`). The lattice is laid in a local
equirectangular frame centred on the region (one degree of longitude = its length at the centre latitude), so
each cell is a square of `cell_area` m² there (within 0.5 % anywhere in a city) and maps to an axis-aligned
lon/lat rectangle. Clipping therefore happens on the original lon/lat boundaries: no vertex of a community
boundary is moved by a projection round trip, so grids of neighbouring communities meet exactly.

Cells cut by a community boundary keep the part inside; a part smaller than `min_fraction` of a cell is merged
into the neighbouring part (same community) it shares the longest edge with, so no grid is a sliver. Grids are
numbered 001, 002, … west → east, north → south within each community (Beijing DB11 rule).
"""

import math
from dataclasses import dataclass

import numpy as np
import shapely

from chengguan.core.errors import ValidationError

from .geometry import areas_m2, metres_per_degree

PRECISION_DEG = 1e-7  # ≈ 1 cm, the precision grids are stored with
MAX_SEQUENCE = 999


@dataclass
class GeneratedGrid:
    community: object  # a Region (or any object with .code) the grid lies in
    code: str
    geometry: object  # shapely, storage lon/lat
    area_m2: float
    row: int
    col: int


@dataclass(frozen=True)
class Lattice:
    x0: float  # west edge
    y1: float  # north edge
    dx: float
    dy: float

    @classmethod
    def over(cls, bounds, cell_area_m2: float) -> "Lattice":
        if not cell_area_m2 or cell_area_m2 < 100:
            raise ValidationError("The cell area must be at least 100 m².", field="cell_area")
        xmin, ymin, xmax, ymax = bounds
        mx, my = metres_per_degree((ymin + ymax) / 2)
        side = math.sqrt(cell_area_m2)
        return cls(xmin, ymax, side / mx, side / my)

    def cells_over(self, bounds):
        """(row, col) index arrays and boxes of the lattice cells covering `bounds`."""
        xmin, ymin, xmax, ymax = bounds
        c0, c1 = math.floor((xmin - self.x0) / self.dx), math.ceil((xmax - self.x0) / self.dx)
        r0, r1 = math.floor((self.y1 - ymax) / self.dy), math.ceil((self.y1 - ymin) / self.dy)
        rows, cols = np.meshgrid(
            np.arange(r0, max(r1, r0 + 1)), np.arange(c0, max(c1, c0 + 1)), indexing="ij"
        )
        rows, cols = rows.ravel(), cols.ravel()
        west = self.x0 + cols * self.dx
        north = self.y1 - rows * self.dy
        boxes = shapely.box(west, north - self.dy, west + self.dx, north)
        return rows, cols, boxes


def _polygonal(geom):
    """Keep only the polygon parts of an intersection result (it may contain touching lines or points)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def clip_community(boundary, lattice: Lattice, *, min_fraction: float = 0.2):
    """Cells of `lattice` clipped to `boundary` → list of (row, col, geometry), slivers merged."""
    shapely.prepare(boundary)
    rows, cols, boxes = lattice.cells_over(boundary.bounds)
    hit = shapely.intersects(boundary, boxes)
    rows, cols, boxes = rows[hit], cols[hit], boxes[hit]
    inside = shapely.contains_properly(boundary, boxes)
    pieces = boxes.copy()
    cut = ~inside
    if cut.any():
        pieces[cut] = shapely.intersection(boxes[cut], boundary)
    pieces = np.array([_polygonal(p) if c else p for p, c in zip(pieces, cut, strict=True)], dtype=object)
    pieces = shapely.set_precision(pieces, PRECISION_DEG)
    keep = ~shapely.is_empty(pieces)
    rows, cols, pieces = rows[keep], cols[keep], pieces[keep]
    cell = lattice.dx * lattice.dy
    small = shapely.area(pieces) < min_fraction * cell
    return _merge_slivers(list(rows), list(cols), list(pieces), small)


def _merge_slivers(rows, cols, pieces, small):
    """Union-find: each small piece joins the neighbour group it shares the longest edge with."""
    parent = list(range(len(pieces)))
    geom = list(pieces)

    def find(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    tree = shapely.STRtree(pieces)
    for i in sorted(np.flatnonzero(small).tolist(), key=lambda k: pieces[k].area):
        own = find(i)
        best, best_len = None, 0.0
        for j in tree.query(pieces[i], predicate="intersects").tolist():
            root = find(j)
            if root == own:
                continue
            shared = shapely.intersection(pieces[i].boundary, geom[root].boundary).length
            if shared > best_len:
                best, best_len = root, shared
        if best is None:
            continue  # an isolated small part of the community stays a grid of its own
        geom[best] = shapely.set_precision(shapely.union(geom[best], geom[own]), PRECISION_DEG)
        parent[own] = best
    return [(rows[k], cols[k], geom[k]) for k in range(len(pieces)) if find(k) == k]


def generate(communities, *, cell_area_m2: float = 10_000, min_fraction: float = 0.2, lattice=None):
    """Grids for each (community, boundary) pair; one lattice for all so cells line up across communities."""
    communities = [(c, b) for c, b in communities]
    if not communities:
        return []
    if lattice is None:
        bounds = shapely.total_bounds([b for _c, b in communities])
        lattice = Lattice.over(bounds, cell_area_m2)
    result = []
    for community, boundary in communities:
        parts = clip_community(boundary, lattice, min_fraction=min_fraction)
        parts.sort(key=lambda p: (p[0], p[1]))  # north → south, then west → east
        if len(parts) > MAX_SEQUENCE:
            raise ValidationError(
                f"Community {community.code} would need {len(parts)} grids but the sequence code has 3 digits "
                f"(at most {MAX_SEQUENCE}); use a larger cell area or split the community.",
                field="cell_area",
            )
        for seq, (row, col, geom) in enumerate(parts, start=1):
            result.append(
                GeneratedGrid(community, f"{community.code}{seq:03d}", geom, 0.0, int(row), int(col))
            )
    if result:
        for grid, area in zip(result, areas_m2([g.geometry for g in result]), strict=True):
            grid.area_m2 = round(float(area), 1)
    return result
