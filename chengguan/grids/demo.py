"""Demo city, geography part: streets, communities, unit grids, 85 responsibility grids, 200 supervisors and
some components for the four urban districts of Kaifeng (龙亭, 顺河, 鼓楼, 禹王台).

Street names are real Kaifeng street/town names; their boundaries are not (no public data): each district is
split into its *central* part (inside 114.30–114.40 E × 34.76–34.82 N, the old city and its surroundings) and
the rest. The central part is divided among the urban streets (街道), the rest among suburban streets, towns
and townships, by a Voronoi partition of balanced seed points (k-means), clipped to the district; each street
is split into 2–4 communities the same way. Unit grids are generated at 10,000 m² in the central part and at
250,000 m² elsewhere, so the demo has ~8,000 grids and loads in seconds (10,000 m² everywhere would be
~58,000). Everything is deterministic: the same data on every run.
"""

import math
from datetime import date

import numpy as np
import shapely
from django.contrib.auth.hashers import make_password
from shapely.geometry import MultiPoint, box

from chengguan.catalog.models import ComponentType
from chengguan.core.management.commands.demo import DEMO_PASSWORD
from chengguan.org.models import Department, Region, Role, RoleAssignment, User

from .generation import PRECISION_DEG, Lattice, generate
from .geocoder import bump_index_version
from .geometry import areas_m2, to_geojson, to_shape
from .models import Component, ResponsibilityGrid, UnitGrid
from .spatial import EMPTY, PolygonIndex

CENTRE = box(114.30, 34.76, 114.40, 34.82)
URBAN_CELL_M2 = 10_000
OUTER_CELL_M2 = 250_000
RESPONSIBILITY_GRIDS = 85
SURVEYED_ON = date(2025, 6, 1)
SUPERVISORS = 200

# district adcode → (urban streets in the centre, streets/towns/townships outside it)
STREETS = {
    "410202": (
        ["北书店街道", "午朝门街道", "大兴街道", "北道门街道", "城西街道"],
        ["杏花营镇", "北郊乡", "柳园口乡", "水稻乡"],
    ),
    "410203": (
        ["清平街道", "铁塔街道", "曹门街道", "宋门街道", "工业街道", "苹果园街道"],
        ["土柏岗乡", "东郊乡"],
    ),
    "410204": (
        ["相国寺街道", "新华街道", "卧龙街道", "州桥街道", "西司门街道", "五一街道"],
        ["仙人庄街道", "南苑街道"],
    ),
    "410205": (
        ["三里堡街道", "新门关街道", "繁塔街道", "菜市街道", "五里堡街道"],
        ["官坊街道", "南郊乡", "汪屯乡"],
    ),
}

COMMUNITY_NAMES = (  # noqa: SIM905 - a readable list of names
    "东门 西门 南门 北门 书店街 寺后街 马道街 鼓楼 包公湖 龙亭 铁塔 双龙巷 草市街 自由路 中山路 解放路 河道街 "
    "新街口 理事厅 财政厅 省府 刘府 游梁祠 惠济 相国寺 州桥 演武厅 大纸坊 汴京 三里堡 五里堡 官坊 向阳 东苑 西苑 "
    "劳动 和平 建设 光明 幸福 胜利 文化 复兴 团结 汴西 金明 大梁 宋都 清明 御街 午朝 维新 北土街 南土街 东大街 "
    "西大街 曹门 宋门 工业 苹果园 繁塔 新门关 菜市 仙人庄 南苑 龙成 万岁山 黄河 河大 一中 铁路 铁北 公园 "
    "博物馆 夷山 东京 汴梁 卧龙 西司 五一 新华 明伦 梁苑 中州 迎宾 东郊 西郊 北郊 南郊 宾馆 书院 柳园 春晖"
).split()
VILLAGE_NAMES = (  # noqa: SIM905
    "张庄 李庄 王庄 刘寨 陈岗 杨楼 赵庄 孙李唐 黄寨 马庄 郭屯 何寨 高庄 林庄 罗庄 梁庄 宋庄 郑寨 谢庄 韩岗 "
    "唐庄 冯庄 于寨 董庄 萧庄 程庄 曹屯 袁庄 邓庄 许庄 傅庄 沈岗 曾庄 彭庄 吕庄 苏庄 卢庄 蒋庄 蔡庄 贾庄 "
    "丁庄 魏庄 薛庄 叶庄 阎庄 余庄 潘庄 杜庄 戴庄 夏庄 钟庄 汪屯 田庄 任庄 姜庄 范庄 方庄 石庄 姚庄 谭庄"
).split()
SURNAMES = list(
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
)
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志伟海燕文博")

# component type → (owner, maintainer, how many)
COMPONENTS = [
    ("01001", "KF-WATER", "KF-WATER-NET", 120),  # 供水井盖
    ("01002", "KF-SEWAGE", "KF-SEWAGE", 100),  # 污水井盖
    ("01003", "KF-SEWAGE", "KF-SEWAGE", 80),  # 雨水井盖
    ("01037", "KF-LIGHT", "KF-LIGHT", 150),  # 路灯
    ("02012", "KF-ROADS", "KF-ROADS-1", 40),  # 路名牌
    ("03001", "KF-SANIT", "KF-SANIT", 30),  # 公共厕所
    ("03005", "KF-SANIT", "KF-SANIT", 120),  # 垃圾箱
    ("04002", "KF-GREEN", "KF-GREEN", 60),  # 行道树
]


def load(*, stdout) -> None:
    city = Region.objects.filter(code="410200000000").first()
    if city is None:
        stdout.write("demo grids: the demo organisation is not loaded; skipping")
        return
    if Region.objects.filter(level=Region.Level.STREET, parent__parent=city).exists():
        stdout.write("demo grids already loaded; reusing them")
        return
    districts = {
        r.adcode: r for r in Region.objects.filter(level=Region.Level.DISTRICT, code__startswith="4102")
    }
    missing = [code for code in STREETS if code not in districts or not districts[code].boundary]
    if missing:
        stdout.write(f"demo grids: districts {missing} have no boundary; skipping")
        return
    streets, communities = _regions(districts)
    generated = _unit_grids(communities)
    grids = _save_grids(generated)
    responsibility = _responsibility_grids(streets, generated, grids)
    supervisors = _supervisors(streets, responsibility)
    components = _components(districts, generated, grids)
    bump_index_version()
    stdout.write(
        f"demo grids: {len(streets)} streets, {len(communities)} communities, {len(grids)} unit grids, "
        f"{len(responsibility)} responsibility grids, {supervisors} supervisors, {components} components"
    )


# --- regions ----------------------------------------------------------------------------------------------


def partition(polygon, k: int, seed: int = 0) -> list:
    """Split a polygon into k parts of similar area: k-means seeds → Voronoi cells → clipped.
    Parts are ordered north → south, then west → east (by their seed)."""
    if k <= 1:
        return [polygon]
    minx, miny, maxx, maxy = polygon.bounds
    lat0 = (miny + maxy) / 2
    kx = math.cos(math.radians(lat0))  # compare distances in a roughly metric frame
    step = math.sqrt(polygon.area / (80 * k))
    xs, ys = np.meshgrid(np.arange(minx + step / 2, maxx, step), np.arange(miny + step / 2, maxy, step))
    xs, ys = xs.ravel(), ys.ravel()
    inside = shapely.contains_xy(polygon, xs, ys)
    pts = np.column_stack([xs[inside] * kx, ys[inside]])
    # deterministic farthest-point initialisation from the north-west
    first = int(np.argmin(pts[:, 0] - pts[:, 1] + seed * 1e-9))
    centres = [pts[first]]
    dist = np.linalg.norm(pts - centres[0], axis=1)
    for _ in range(1, k):
        nxt = int(np.argmax(dist))
        centres.append(pts[nxt])
        dist = np.minimum(dist, np.linalg.norm(pts - pts[nxt], axis=1))
    centres = np.array(centres)
    for _ in range(20):
        label = np.argmin(((pts[:, None, :] - centres[None, :, :]) ** 2).sum(axis=2), axis=1)
        for j in range(k):
            members = pts[label == j]
            if len(members):
                centres[j] = members.mean(axis=0)
    order = sorted(range(k), key=lambda j: (-round(centres[j][1], 3), centres[j][0]))
    seeds = MultiPoint([(centres[j][0] / kx, centres[j][1]) for j in order])
    cells = shapely.voronoi_polygons(seeds, extend_to=polygon.envelope.buffer(0.1), ordered=True)
    parts = [shapely.set_precision(cell.intersection(polygon), PRECISION_DEG) for cell in cells.geoms]
    return [p for p in parts if not p.is_empty]


def _street_codes(names: list[str], start_street: int) -> list[str]:
    codes, counters = [], {"街道": start_street, "镇": 101, "乡": 201}
    for name in names:
        kind = "街道" if name.endswith("街道") else name[-1]
        codes.append(f"{counters[kind]:03d}")
        counters[kind] += 1
    return codes


def _regions(districts):
    streets, communities = [], []
    community_pool, village_pool = iter(COMMUNITY_NAMES), iter(VILLAGE_NAMES)
    for adcode, (urban, outer) in STREETS.items():
        district = districts[adcode]
        shape = to_shape(district.boundary)
        district_area = float(areas_m2([shape])[0])
        centre_part = shapely.set_precision(shape.intersection(CENTRE), PRECISION_DEG)
        outer_part = shapely.set_precision(shape.difference(CENTRE), PRECISION_DEG)
        population = district.population or 200_000
        Region.objects.filter(pk=district.pk).update(area_m2=round(district_area, 1))
        plan = [
            (urban, centre_part, _street_codes(urban, 1), True, 0.8),
            (outer, outer_part, _street_codes(outer, len(urban) + 1), False, 0.2),
        ]
        for names, part, codes, is_urban, share in plan:
            pieces = partition(part, len(names), seed=int(adcode))
            piece_areas = areas_m2(pieces)
            for name, code, piece, piece_area in zip(names, codes, pieces, piece_areas, strict=False):
                street = Region.objects.create(
                    code=f"{adcode}{code}000",
                    name=name,
                    level=Region.Level.STREET,
                    parent=district,
                    boundary=to_geojson(piece),
                    area_m2=round(float(piece_area), 1),
                    population=int(population * share * piece_area / piece_areas.sum()),
                )
                street.is_urban = is_urban
                streets.append(street)
                communities += _communities(street, piece, is_urban, community_pool, village_pool)
    return streets, communities


def _communities(street, shape, is_urban, community_pool, village_pool):
    area_km2 = street.area_m2 / 1e6
    villages = street.name.endswith(("乡", "镇"))
    k = 4 if not is_urban else max(2, min(4, round(area_km2 / 1.2)))
    result = []
    pieces = partition(shape, k, seed=int(street.code[6:9]))
    piece_areas = areas_m2(pieces)
    for i, (piece, piece_area) in enumerate(zip(pieces, piece_areas, strict=True)):
        suffix, number = ("村", 201 + i) if villages else ("社区", 1 + i)
        name = next(village_pool if villages else community_pool) + suffix
        community = Region.objects.create(
            code=f"{street.code[:9]}{number:03d}",
            name=name,
            level=Region.Level.COMMUNITY,
            parent=street,
            boundary=to_geojson(piece),
            area_m2=round(float(piece_area), 1),
            population=int((street.population or 0) * piece_area / piece_areas.sum()),
        )
        community.shape = to_shape(community.boundary)
        community.street = street
        community.is_urban = is_urban
        result.append(community)
    return result


# --- grids ------------------------------------------------------------------------------------------------


def _unit_grids(communities):
    urban = [(c, c.shape) for c in communities if c.is_urban]
    outer = [(c, c.shape) for c in communities if not c.is_urban]
    generated = generate(urban, lattice=Lattice.over(CENTRE.bounds, URBAN_CELL_M2))
    all_bounds = shapely.total_bounds([s for _c, s in outer])
    generated += generate(outer, lattice=Lattice.over(all_bounds, OUTER_CELL_M2))
    return generated


def _save_grids(generated):
    objects = [
        UnitGrid(
            code=g.code,
            community=g.community,
            geometry=to_geojson(g.geometry),
            area_m2=g.area_m2,
            management_level="A" if g.community.is_urban else "C",
        )
        for g in generated
    ]
    UnitGrid.objects.bulk_create(objects, batch_size=1000)
    return dict(UnitGrid.objects.filter(code__in=[g.code for g in generated]).values_list("code", "id"))


def _apportion(weights: list[float], total: int, minimum: int = 1) -> list[int]:
    """Largest-remainder apportionment with a floor of `minimum` each."""
    counts = [minimum] * len(weights)
    rest = total - sum(counts)
    shares = [w / sum(weights) * rest for w in weights]
    counts = [c + int(s) for c, s in zip(counts, shares, strict=True)]
    remainders = sorted(range(len(weights)), key=lambda i: -(shares[i] - int(shares[i])))
    for i in remainders[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _responsibility_grids(streets, generated, grid_ids):
    by_street: dict[int, list] = {}
    for g in generated:
        by_street.setdefault(g.community.street.pk, []).append(g)
    urban = [s for s in streets if s.is_urban]
    outer = [s for s in streets if not s.is_urban]
    counts = dict(zip([s.pk for s in outer], [1] * len(outer), strict=True))
    counts.update(
        zip(
            [s.pk for s in urban],
            _apportion([len(by_street[s.pk]) for s in urban], RESPONSIBILITY_GRIDS - len(outer)),
            strict=True,
        )
    )
    through = ResponsibilityGrid.unit_grids.through
    created, links = [], []
    for street in streets:
        members = sorted(by_street[street.pk], key=lambda g: (g.row, g.col))
        n = counts[street.pk]
        for i in range(n):
            chunk = members[i * len(members) // n : (i + 1) * len(members) // n]
            rg = ResponsibilityGrid.objects.create(
                code=f"RG-{street.code[:9]}-{i + 1:02d}",
                name=f"{street.name}第{i + 1}责任网格",
                region=street,
            )
            rg.street = street
            rg.size = len(chunk)
            created.append(rg)
            links += [through(responsibilitygrid_id=rg.pk, unitgrid_id=grid_ids[g.code]) for g in chunk]
    through.objects.bulk_create(links, batch_size=2000)
    return created


def _supervisors(streets, responsibility):
    centre = Department.objects.get(code="KF-CENTRE")
    password = make_password(DEMO_PASSWORD)  # hashed once: 200 hashes would take a minute
    busiest = sorted(responsibility, key=lambda rg: -rg.size)
    per_grid = {rg.pk: 2 for rg in responsibility}
    for rg in busiest[: SUPERVISORS - 2 * len(responsibility)]:
        per_grid[rg.pk] = 3
    users, plan = [], []
    number = 0
    for rg in responsibility:
        for _ in range(per_grid[rg.pk]):
            number += 1
            name = SURNAMES[(number * 7) % len(SURNAMES)] + GIVEN[(number * 11) % len(GIVEN)]
            if number % 3 == 0:
                name += GIVEN[(number * 5) % len(GIVEN)]
            users.append(User(username=f"sup{number:03d}", full_name=name, password=password))
            plan.append(rg)
    User.objects.bulk_create(users)
    users = list(User.objects.filter(username__in=[u.username for u in users]).order_by("username"))
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=u, role=Role.SUPERVISOR, region=rg.street, department=centre)
            for u, rg in zip(users, plan, strict=True)
        ]
    )
    through = ResponsibilityGrid.supervisors.through
    links = [through(responsibilitygrid_id=rg.pk, user_id=u.pk) for u, rg in zip(users, plan, strict=True)]
    # the demo login `supervisor` (bound to 龙亭区) patrols one responsibility grid of its district
    demo_role = RoleAssignment.objects.filter(
        user__username=Role.SUPERVISOR.value, role=Role.SUPERVISOR
    ).first()
    if demo_role is not None and demo_role.region_id:
        home = [rg for rg in responsibility if rg.street.path.startswith(demo_role.region.path)]
        preferred = [rg for rg in home if rg.street.name == "北道门街道"]
        if home:
            links.append(through(responsibilitygrid_id=(preferred or home)[0].pk, user_id=demo_role.user_id))
    through.objects.bulk_create(links)
    return len(users)


# --- components -------------------------------------------------------------------------------------------


def _components(districts, generated, grid_ids):
    urban = [g for g in generated if g.community.is_urban]
    index = PolygonIndex([g.geometry for g in urban])
    types = {t.code: t for t in ComponentType.objects.filter(code__in=[c[0] for c in COMPONENTS])}
    departments = {d.code: d for d in Department.objects.all()}
    rng = np.random.default_rng(20260701)
    statuses = rng.choice(
        [Component.Status.INTACT, Component.Status.DAMAGED, Component.Status.LOST],
        p=[0.9, 0.07, 0.03],
        size=sum(c[3] for c in COMPONENTS),
    )
    minx, miny, maxx, maxy = CENTRE.bounds
    sequence: dict[str, int] = {}
    objects = []
    k = 0
    for type_code, owner, maintainer, count in COMPONENTS:
        if type_code not in types:
            continue
        placed = 0
        while placed < count:
            x, y = float(rng.uniform(minx, maxx)), float(rng.uniform(miny, maxy))
            found = index.lookup(x, y)
            if found == EMPTY:
                continue
            grid = urban[found]
            prefix = grid.code[:6] + type_code
            sequence[prefix] = sequence.get(prefix, 0) + 1
            objects.append(
                Component(
                    code=f"{prefix}{sequence[prefix]:06d}",
                    type=types[type_code],
                    lng=round(x, 7),
                    lat=round(y, 7),
                    unit_grid_id=grid_ids[grid.code],
                    status=statuses[k],
                    owner=departments.get(owner),
                    maintainer=departments.get(maintainer),
                    surveyed_on=SURVEYED_ON,
                )
            )
            placed += 1
            k += 1
    Component.objects.bulk_create(objects, batch_size=1000)
    return len(objects)
