"""A point-in-grid index for a set of non-overlapping polygons: microseconds per point, vectorised batches.

The bounding box of all polygons is rasterised into small square cells (about half a grid's side). A cell
that lies strictly inside one polygon (with a safety margin) *owns* it: a point falling in that cell is
answered by one array read. A cell touched by no polygon is empty. Only cells crossed by polygon edges keep a
short list of candidate polygons, tested exactly with the crossing-number rule.

Which grid gets a point on a shared edge? The crossing-number test is *half-open*: a point on the edge between
two grids belongs to the grid east of a vertical edge and north of a horizontal one (for an axis-aligned
rectangle: xmin ≤ x < xmax and ymin ≤ y < ymax), so a tessellation assigns every point to exactly one grid.
Every edge is evaluated with its end points in a canonical order, so two grids sharing an edge compute
bit-identical intersections. A point that no grid claims that way but that touches a grid (the east or north
edge of the whole city, or a floating-point sliver where vertices do not match) goes to the touching grid
with the lowest index. Indices follow the order given (the geocoder sorts by code). The scalar and the batch
path apply the same rule; the tests check they agree.
"""

from array import array

import numpy as np
import shapely

EMPTY = -1
_MAX_CELLS = 6_000_000
_MARGIN_FRACTION = 1e-3  # of a cell: covers rounding when a point is binned
_BUILD_SLICE = 20_000  # cells classified at a time while building


def _edges(geoms):
    """All ring edges of all polygons, end points in canonical (y, x) order, grouped per polygon (CSR)."""
    parts, part_index = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    ring_index = part_index[ring_part]
    coords, coord_ring = shapely.get_coordinates(rings, return_index=True)
    same_ring = coord_ring[1:] == coord_ring[:-1]
    a, b = coords[:-1][same_ring], coords[1:][same_ring]
    owner = ring_index[coord_ring[:-1][same_ring]]
    swap = (a[:, 1] > b[:, 1]) | ((a[:, 1] == b[:, 1]) & (a[:, 0] > b[:, 0]))
    a2 = np.where(swap[:, None], b, a)
    b2 = np.where(swap[:, None], a, b)
    counts = np.bincount(owner, minlength=len(geoms))
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    return a2[:, 0], a2[:, 1], b2[:, 0], b2[:, 1], starts, counts


class PolygonIndex:
    def __init__(self, geometries, *, cell_size: float | None = None):
        geoms = np.asarray(geometries, dtype=object)
        self.size = len(geoms)
        self.geoms = geoms
        self.nx = self.ny = 0
        self.x0 = self.y0 = 0.0
        self.inv = 1.0
        self._owner = array("i")
        self._owner_np = np.zeros(0, dtype=np.int32)
        if self.size == 0:
            return
        shapely.prepare(geoms)  # for the build only: released at the end of __init__
        self._tree = shapely.STRtree(geoms)
        bounds = shapely.bounds(geoms)
        box_areas = (bounds[:, 2] - bounds[:, 0]) * (bounds[:, 3] - bounds[:, 1])
        is_rect = (shapely.get_num_coordinates(geoms) == 5) & np.isclose(
            shapely.area(geoms), box_areas, rtol=1e-12, atol=0
        )
        self._bounds_list = [tuple(b) if r else None for b, r in zip(bounds.tolist(), is_rect, strict=True)]
        self._bounds, self._is_rect = bounds, is_rect
        self._ex1, self._ey1, self._ex2, self._ey2, self._estart, self._ecount = _edges(geoms)
        # the same edges as one flat array of doubles (x1, y1, x2, y2, ...) for the scalar path
        self._edges_flat = array(
            "d", np.column_stack([self._ex1, self._ey1, self._ex2, self._ey2]).ravel().tobytes()
        )
        self._estart_list = self._estart.tolist()
        self._ecount_list = self._ecount.tolist()
        xmin, ymin = bounds[:, 0].min(), bounds[:, 1].min()
        xmax, ymax = bounds[:, 2].max(), bounds[:, 3].max()
        width, height = max(xmax - xmin, 1e-9), max(ymax - ymin, 1e-9)
        if cell_size is None:
            # about half a typical grid's side, but not more than ~16 cells per grid over the whole extent
            # (grids of very different sizes, or a sparse city, would otherwise make millions of cells)
            typical = float(np.sqrt(np.median(box_areas))) / 2.0
            cell_size = max(typical, float(np.sqrt(width * height / (16 * self.size)))) or 1e-4
        while (width / cell_size + 1) * (height / cell_size + 1) > _MAX_CELLS:
            cell_size *= 1.5
        self.cell = cell_size
        self.inv = 1.0 / cell_size
        self.x0, self.y0 = float(xmin), float(ymin)
        self.nx = int(width / cell_size) + 1
        self.ny = int(height / cell_size) + 1
        self._build_cells()
        # What a worker keeps: packed arrays. The prepared geometries (GEOS indexes per polygon) and the tree
        # served the build; lookups resolve edge cells from the edge arrays, and the rare fallback on an
        # outer edge works on unprepared geometries. (Kaifeng's 9,163 grids: see bench/geocode.py.)
        shapely.destroy_prepared(geoms)
        self._tree = None

    def _classify(self, first: int, last: int):
        """(cell, polygon) pairs meeting cells first..last-1, and whether the cell lies inside that polygon
        alone. Done in slices so that the cell boxes (GEOS objects) never all exist at once."""
        c = self.cell
        k = np.arange(first, last)
        iy, ix = np.divmod(k, self.nx)
        margin = c * _MARGIN_FRACTION
        x0 = self.x0 + ix * c - margin
        y0 = self.y0 + iy * c - margin
        boxes = shapely.box(x0, y0, x0 + c + 2 * margin, y0 + c + 2 * margin)
        cells, polys = self._tree.query(boxes, predicate="intersects")
        counts = np.bincount(cells, minlength=len(k))
        single = counts[cells] == 1
        inside = np.zeros(len(cells), dtype=bool)
        if single.any():
            inside[single] = shapely.contains_properly(self.geoms[polys[single]], boxes[cells[single]])
        return cells + first, polys, inside

    def _build_cells(self):
        n = self.nx * self.ny
        owner = np.full(n, EMPTY, dtype=np.int32)
        parts = [self._classify(a, min(a + _BUILD_SLICE, n)) for a in range(0, n, _BUILD_SLICE)]
        cells = np.concatenate([p[0] for p in parts])
        polys = np.concatenate([p[1] for p in parts])
        inside = np.concatenate([p[2] for p in parts])
        del parts
        owner[cells[inside]] = polys[inside]
        # Mixed cells: owner = -2 - m, where m numbers the candidate lists.
        mc, mp = cells[~inside], polys[~inside]
        order = np.lexsort((mp, mc))
        mc, mp = mc[order], mp[order]
        self._cand_lists: list[tuple[int, ...]] = []
        if len(mc):
            first = np.r_[True, mc[1:] != mc[:-1]]
            starts = np.flatnonzero(first)
            ends = np.r_[starts[1:], len(mc)]
            owner[mc[starts]] = -2 - np.arange(len(starts), dtype=np.int32)
            mp_list = mp.tolist()
            self._cand_lists = [
                tuple(mp_list[s:e]) for s, e in zip(starts.tolist(), ends.tolist(), strict=True)
            ]
            self._cand_ptr = np.r_[starts, len(mc)]
            self._cand_flat = mp
        self._owner_np = owner
        self._owner = array("i", owner.tobytes())

    # --- scalar -------------------------------------------------------------------------------------------

    def _crosses(self, i: int, x: float, y: float) -> bool:
        b = self._bounds_list[i]
        if b is not None:
            return b[0] <= x < b[2] and b[1] <= y < b[3]
        e = self._edges_flat
        inside = False
        start = self._estart_list[i] * 4
        for j in range(start, start + self._ecount_list[i] * 4, 4):
            y1, y2 = e[j + 1], e[j + 3]
            if (y1 > y) != (y2 > y):
                x1 = e[j]
                if x < (e[j + 2] - x1) * (y - y1) / (y2 - y1) + x1:
                    inside = not inside
        return inside

    def lookup(self, x: float, y: float) -> int:
        """The index of the polygon containing (x, y), or -1."""
        fx = (x - self.x0) * self.inv
        fy = (y - self.y0) * self.inv
        if not (0.0 <= fx < self.nx and 0.0 <= fy < self.ny):  # also False for NaN
            return EMPTY
        owner = self._owner[int(fy) * self.nx + int(fx)]
        if owner >= EMPTY:
            return owner
        candidates = self._cand_lists[-2 - owner]
        for i in candidates:
            if self._crosses(i, x, y):
                return i
        for i in candidates:
            if shapely.intersects_xy(self.geoms[i], x, y):
                return i
        return EMPTY

    # --- batch --------------------------------------------------------------------------------------------

    def lookup_many(self, xs, ys) -> np.ndarray:
        """Vectorised `lookup`: an int array of polygon indices, -1 where a point is in none."""
        xs = np.asarray(xs, dtype=np.float64)
        ys = np.asarray(ys, dtype=np.float64)
        result = np.full(len(xs), EMPTY, dtype=np.int64)
        if self.size == 0 or len(xs) == 0:
            return result
        fx = (xs - self.x0) * self.inv
        fy = (ys - self.y0) * self.inv
        ok = (fx >= 0) & (fx < self.nx) & (fy >= 0) & (fy < self.ny)
        k = fy[ok].astype(np.int64) * self.nx + fx[ok].astype(np.int64)
        result[ok] = self._owner_np[k]
        mixed = np.flatnonzero(result < EMPTY)
        if len(mixed):
            result[mixed] = self._resolve_mixed(mixed, xs[mixed], ys[mixed], -2 - result[mixed])
        return result

    def _resolve_mixed(self, points, px, py, lists) -> np.ndarray:
        # candidate pairs (point, polygon) from the cell lists
        n_cand = self._cand_ptr[lists + 1] - self._cand_ptr[lists]
        pair_point = np.repeat(np.arange(len(points)), n_cand)
        offsets = np.arange(len(pair_point)) - np.repeat(np.cumsum(n_cand) - n_cand, n_cand)
        pair_poly = self._cand_flat[np.repeat(self._cand_ptr[lists], n_cand) + offsets]
        per_pair = np.zeros(len(pair_poly), dtype=bool)
        # axis-aligned rectangles: the half-open box test
        rect = self._is_rect[pair_poly]
        rp, rq = pair_point[rect], pair_poly[rect]
        b = self._bounds[rq]
        x, y = px[rp], py[rp]
        per_pair[rect] = (b[:, 0] <= x) & (x < b[:, 2]) & (b[:, 1] <= y) & (y < b[:, 3])
        # other polygons: every edge against its point (crossing number)
        general = np.flatnonzero(~rect)
        if len(general):
            gp, gq = pair_point[general], pair_poly[general]
            n_edges = self._ecount[gq]
            edge_pair = np.repeat(np.arange(len(gq)), n_edges)
            e_off = np.arange(len(edge_pair)) - np.repeat(np.cumsum(n_edges) - n_edges, n_edges)
            e = np.repeat(self._estart[gq], n_edges) + e_off
            x, y = px[gp][edge_pair], py[gp][edge_pair]
            x1, y1, x2, y2 = self._ex1[e], self._ey1[e], self._ex2[e], self._ey2[e]
            spans = (y1 > y) != (y2 > y)
            with np.errstate(divide="ignore", invalid="ignore"):
                crossing = spans & (x < (x2 - x1) * (y - y1) / (y2 - y1) + x1)
            counts = np.bincount(edge_pair, weights=crossing, minlength=len(gq)).astype(np.int64)
            per_pair[general] = counts % 2 == 1
        out = np.full(len(points), EMPTY, dtype=np.int64)
        hit_point, hit_poly = pair_point[per_pair], pair_poly[per_pair]
        _first_per_point(out, hit_point, hit_poly)
        unresolved = np.flatnonzero(out == EMPTY)
        if len(unresolved):  # on the outer edge of the city, or in a sliver between unmatched vertices
            sel = np.isin(pair_point, unresolved)
            pp, pg = pair_point[sel], pair_poly[sel]
            touches = shapely.intersects_xy(self.geoms[pg], px[pp], py[pp])
            _first_per_point(out, pp[touches], pg[touches])
        return out

    def query_bbox(self, minx: float, miny: float, maxx: float, maxy: float) -> np.ndarray:
        """Indices (ascending) of the polygons whose envelope meets the box."""
        if self.size == 0:
            return np.zeros(0, dtype=np.int64)
        if self._tree is None:  # not kept after the build; rare callers pay for it
            self._tree = shapely.STRtree(self.geoms)
        return np.sort(self._tree.query(shapely.box(minx, miny, maxx, maxy)))

    def naive_lookup(self, x: float, y: float) -> int:
        """The baseline the benchmark compares against: shapely `contains` over every polygon."""
        hits = np.flatnonzero(shapely.contains_xy(self.geoms, x, y))
        return int(hits[0]) if len(hits) else EMPTY


def _first_per_point(out, points, polys):
    """out[p] = the lowest polygon index among the (p, polygon) hits."""
    if len(points) == 0:
        return
    order = np.lexsort((polys, points))
    points, polys = points[order], polys[order]
    first = np.r_[True, points[1:] != points[:-1]]
    out[points[first]] = polys[first]
