"""The point-in-grid index alone (no database): exact answers, one grid per point, scalar == batch."""

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from chengguan.grids.spatial import EMPTY, PolygonIndex


def jittered_lattice(n=12, step=0.001, seed=7):
    rng = np.random.default_rng(seed)
    xs, ys = np.meshgrid(114.0 + np.arange(n + 1) * step, 34.5 + np.arange(n + 1) * step)
    xs[1:-1, 1:-1] += rng.uniform(-step / 4, step / 4, (n - 1, n - 1))
    ys[1:-1, 1:-1] += rng.uniform(-step / 4, step / 4, (n - 1, n - 1))
    polys = []
    for r in range(n):
        for c in range(n):
            ring = [(xs[r, c], ys[r, c]), (xs[r, c + 1], ys[r, c + 1]), (xs[r + 1, c + 1], ys[r + 1, c + 1])]
            ring.append((xs[r + 1, c], ys[r + 1, c]))
            polys.append(Polygon(ring))
    return polys, (xs, ys)


def test_it_gives_every_point_of_a_tessellation_exactly_one_grid():
    polys, (xs, ys) = jittered_lattice()
    index = PolygonIndex(polys)
    rng = np.random.default_rng(1)
    px = rng.uniform(xs.min() - 0.001, xs.max() + 0.001, 5000)
    py = rng.uniform(ys.min() - 0.001, ys.max() + 0.001, 5000)
    # include every lattice vertex (shared by up to four grids)
    px, py = np.r_[px, xs.ravel()], np.r_[py, ys.ravel()]
    batch = index.lookup_many(px, py)
    scalar = np.array([index.lookup(x, y) for x, y in zip(px.tolist(), py.tolist(), strict=True)])
    assert (batch == scalar).all()
    union = shapely.union_all(polys)
    geoms = np.array(polys, dtype=object)
    for x, y, found in zip(px.tolist(), py.tolist(), scalar.tolist(), strict=True):
        if shapely.intersects_xy(union, x, y):
            assert found != EMPTY
            assert shapely.intersects_xy(geoms[found], x, y)
        else:
            assert found == EMPTY


def test_it_agrees_with_shapely_away_from_edges():
    polys, (xs, ys) = jittered_lattice(seed=3)
    index = PolygonIndex(polys)
    rng = np.random.default_rng(2)
    px, py = rng.uniform(xs.min(), xs.max(), 3000), rng.uniform(ys.min(), ys.max(), 3000)
    expected = [index.naive_lookup(x, y) for x, y in zip(px, py, strict=True)]
    assert index.lookup_many(px, py).tolist() == expected


def test_it_handles_holes_and_multipolygons():
    donut = box(0, 0, 10, 10).difference(box(4, 4, 6, 6))
    islands = MultiPolygon([box(4, 4, 6, 6), box(20, 0, 22, 2)])
    index = PolygonIndex([donut, islands])
    points = [(1, 1), (5, 5), (21, 1), (15, 5), (4, 5), (6, 5)]
    expected = [
        0,
        1,
        1,
        EMPTY,
        1,
        0,
    ]  # (4, 5) is on the hole's west edge: it belongs to the island east of it
    assert [index.lookup(x, y) for x, y in points] == expected
    xs, ys = zip(*points, strict=True)
    assert index.lookup_many(xs, ys).tolist() == expected


def test_it_answers_nan_and_far_away_points_with_nothing():
    index = PolygonIndex([box(0, 0, 1, 1)])
    assert index.lookup(float("nan"), 0.5) == EMPTY
    assert index.lookup(1e9, 0.5) == EMPTY
    assert index.lookup_many([float("nan"), 1e9, 0.5], [0.5, 0.5, 0.5]).tolist() == [EMPTY, EMPTY, 0]


def test_an_empty_index_finds_nothing():
    index = PolygonIndex([])
    assert index.lookup(0, 0) == EMPTY
    assert index.lookup_many([0.0], [0.0]).tolist() == [EMPTY]


def test_rectangles_and_other_polygons_follow_the_same_rule_in_both_paths():
    squares = [box(x, y, x + 1, y + 1) for x in range(6) for y in range(6) if (x, y) != (2, 2)]
    diamond_cell = Polygon([(2, 2), (3, 2), (3, 3), (2.5, 3), (2, 3)])  # a square with an extra vertex
    index = PolygonIndex([*squares, diamond_cell])
    grid = np.arange(0, 6.01, 0.25)
    xs, ys = np.meshgrid(grid, grid)
    px, py = xs.ravel(), ys.ravel()
    batch = index.lookup_many(px, py).tolist()
    scalar = [index.lookup(x, y) for x, y in zip(px.tolist(), py.tolist(), strict=True)]
    assert batch == scalar
    assert EMPTY not in batch  # every point of the 6 × 6 block, edges included, has a grid
    assert index.lookup(2.5, 2.5) == len(squares)
    assert index.lookup(3, 2.5) == squares.index(box(3, 2, 4, 3))  # east of the shared edge
