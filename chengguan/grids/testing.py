"""Test helpers other apps use: `make_grids(city)` puts unit grids and responsibility grids on the `city`
fixture of `chengguan/conftest.py`.

The lattice: squares of 0.005° × 0.005° (≈ 460 m × 555 m) over the three communities —
西门社区 410202001001 (114.30–114.31 × 34.80–34.82): 2 columns × 4 rows = 8 grids,
东门社区 410202001002 (114.31–114.32): 8 grids, 清平社区 410203001001 (114.32–114.34): 4 × 4 = 16 grids.
Sequence numbers run west → east, north → south within each community, so `410202001001001` is the
north-west square of 西门社区 (114.300–114.305 × 34.815–34.820).

Responsibility grids: `RG-410202-01` covers every grid of district A (龙亭) with the `supervisor` persona;
`RG-410203-01` covers district B (顺河) with the `outsider` persona.
"""

from dataclasses import dataclass, field

from django.db import transaction

from .geocoder import bump_index_version
from .geometry import area_m2, to_shape
from .models import ResponsibilityGrid, UnitGrid

STEP = 0.005


def lattice_square(x0: float, y0: float, step: float = STEP) -> dict:
    x1, y1 = round(x0 + step, 6), round(y0 + step, 6)
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


@dataclass
class GridCity:
    unit_grids: list
    responsibility_a: ResponsibilityGrid
    responsibility_b: ResponsibilityGrid
    by_code: dict = field(default_factory=dict)

    def __getitem__(self, code: str) -> UnitGrid:
        return self.by_code[code]

    @staticmethod
    def centre(grid: UnitGrid) -> tuple[float, float]:
        ring = grid.geometry["coordinates"][0]
        xs, ys = [p[0] for p in ring[:-1]], [p[1] for p in ring[:-1]]
        return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def _lattice(community, x0, x1, y0, y1, step=STEP) -> list[UnitGrid]:
    grids = []
    cols = round((x1 - x0) / step)
    rows = round((y1 - y0) / step)
    seq = 0
    for r in range(rows):  # north → south
        for c in range(cols):  # west → east
            seq += 1
            geometry = lattice_square(round(x0 + c * step, 6), round(y1 - (r + 1) * step, 6), step)
            grids.append(
                UnitGrid(
                    code=f"{community.code}{seq:03d}",
                    community=community,
                    geometry=geometry,
                    area_m2=round(area_m2(to_shape(geometry)), 1),
                    land_use="R",
                    management_level="B",
                )
            )
    return grids


@transaction.atomic
def make_grids(city) -> GridCity:
    """Unit grids over the `city` fixture's communities plus one responsibility grid per district."""
    grids = (
        _lattice(city.community_a1, 114.30, 114.31, 34.80, 34.82)
        + _lattice(city.community_a2, 114.31, 114.32, 34.80, 34.82)
        + _lattice(city.community_b1, 114.32, 114.34, 34.80, 34.82)
    )
    grids = UnitGrid.objects.bulk_create(grids)
    if grids[0].pk is None:  # backends that do not return ids from bulk_create
        grids = list(UnitGrid.objects.filter(code__in=[g.code for g in grids]).order_by("code"))
    in_a = [g for g in grids if g.code.startswith(city.district_a.adcode)]
    in_b = [g for g in grids if g.code.startswith(city.district_b.adcode)]
    rg_a = ResponsibilityGrid.objects.create(
        code="RG-410202-01", name="龙亭一号责任网格", region=city.street_a
    )
    rg_a.unit_grids.set(in_a)
    rg_a.supervisors.set([city["supervisor"]])
    rg_b = ResponsibilityGrid.objects.create(
        code="RG-410203-01", name="顺河一号责任网格", region=city.street_b
    )
    rg_b.unit_grids.set(in_b)
    rg_b.supervisors.set([city["outsider"]])
    bump_index_version()
    return GridCity(grids, rg_a, rg_b, {g.code: g for g in grids})
