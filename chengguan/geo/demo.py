"""Demo gazetteer of Kaifeng's centre (DEMO DATA: generated, plausible, not surveyed).

Road names are real Kaifeng names but their lines are not: roads run on a lattice over the demo grids'
central part (114.30–114.40 E × 34.76–34.82 N), house numbers every ~40 m on both sides (odd north/west,
even south/east), a residential compound (小区, with 楼栋) behind every eighth number, and schools,
hospitals and shopping centres at crossroads. Every row is marked `is_demo`; a city's own gazetteer replaces
it (`chengguan geo clear-demo`, then `chengguan geo import`). Deterministic: the same data on every run.
"""

import io

from .models import Address
from .services import addresses_import

WEST, EAST, SOUTH, NORTH = 114.302, 114.398, 34.762, 34.818
STEP = 0.0004  # between house numbers along a road
SIDE = 0.00012  # from the road's centre line to the house door
# (name, aliases) of east–west roads from south to north, and of north–south roads from west to east
EAST_WEST = [
    ("汴京路", ""), ("魏都路", ""), ("自由路", "自由大街"), ("寺后街", ""), ("大纸坊街", ""),
    ("西大街", "西门大街"), ("北门大街", ""), ("夷山大街", "夷山路"), ("龙亭北路", ""),
]  # fmt: skip
NORTH_SOUTH = [
    ("西环路", ""), ("大梁路", ""), ("维新街", ""), ("中山路", "中山大街|御街"), ("解放路", ""), ("书店街", ""),
    ("马道街", ""), ("宋门路", ""), ("铁塔西街", ""), ("东环路", ""), ("晋安路", ""), ("金明大道", ""),
]  # fmt: skip
COMPOUND_FIRST = "汴京 宋都 鼓楼 龙亭 铁塔 清明 金明 书香 御河 龙城 梁园 繁塔 包公 相国 州桥 大相 东京 古城 汴河 翰林".split()  # noqa: SIM905
COMPOUND_LAST = "花园 家园 小区 佳苑 新村 华府 公寓 名苑".split()  # noqa: SIM905
POIS = [
    ("学校", "开封市第{n}中学"), ("学校", "{road}小学"), ("医院", "开封市第{n}人民医院"), ("医院", "{road}社区卫生服务中心"),
    ("商场", "{road}购物中心"), ("商场", "{road}农贸市场"), ("公园", "{road}游园"),
]  # fmt: skip
HEADER = "code,road,number,building,name,poi_kind,aliases,lng,lat\n"


def _numbers(road, aliases, start, end, fixed, horizontal, out):
    i, n = 0, 0
    pos = start
    while pos <= end:
        i += 1
        for side, number in ((1, 2 * i - 1), (-1, 2 * i)):
            if horizontal:
                lng, lat = pos, fixed + side * SIDE
            else:
                lng, lat = fixed - side * SIDE, pos
            out.append(f"DEMO-{road}-{number},{road},{number},,,,{aliases},{lng:.6f},{lat:.6f}")
            if number % 8 == 1:  # a compound behind the house door, one to six buildings deep
                n += 1
                name = COMPOUND_FIRST[(len(out) // 7) % len(COMPOUND_FIRST)] + COMPOUND_LAST[len(out) % len(COMPOUND_LAST)]
                name = f"{name}{'' if n % 3 else '二期'}"
                depth = side * 0.0008
                for b in range(1, 1 + (number % 6) + 1):
                    blng = lng + (0 if horizontal else -depth / 2) + (b - 1) * 0.00008
                    blat = lat + (depth / 2 if horizontal else 0) + (b - 1) * 0.00005
                    out.append(f"DEMO-{road}-{number}-{b},{road},{number},{b},{name},小区,,{blng:.6f},{blat:.6f}")
        pos = round(pos + STEP, 6)


def demo_csv() -> bytes:
    rows: list[str] = []
    lat_step = (NORTH - SOUTH) / (len(EAST_WEST) - 1)
    lng_step = (EAST - WEST) / (len(NORTH_SOUTH) - 1)
    for k, (road, aliases) in enumerate(EAST_WEST):
        _numbers(road, aliases, WEST, EAST, round(SOUTH + k * lat_step, 6), True, rows)
    for k, (road, aliases) in enumerate(NORTH_SOUTH):
        _numbers(road, aliases, SOUTH, NORTH, round(WEST + k * lng_step, 6), False, rows)
    count = 0
    for k, (road, _a) in enumerate(NORTH_SOUTH):
        for j, _ew in enumerate(EAST_WEST):
            if (k + j) % 3:
                continue
            kind, pattern = POIS[count % len(POIS)]
            count += 1
            name = pattern.format(n="一二三四五六七八九十"[count % 10], road=road.removesuffix("路").removesuffix("街"))
            lng = WEST + k * lng_step + 0.0006
            lat = SOUTH + j * lat_step + 0.0006
            rows.append(f"DEMO-POI-{count},{road},,,{name},{kind},,{lng:.6f},{lat:.6f}")
    return (HEADER + "\n".join(rows) + "\n").encode()


def load(*, stdout) -> None:
    _load_gazetteer(stdout)
    from .management.commands.maps import build_demo

    try:
        done = build_demo(stdout=None)
    except ValueError as exc:
        stdout.write(f"demo base map not built: {exc}")
        return
    if done is not None:
        stdout.write(f"demo base map (offline MBTiles, generated): {done['tiles']} tiles in {done['seconds']:.0f} s"
                     + ("" if done["labels"] else " — no CJK font found, so without labels (apt-get install fonts-noto-cjk)"))


def _load_gazetteer(stdout) -> None:
    if Address.objects.filter(is_demo=True).exists():
        stdout.write("demo gazetteer already loaded; reusing it")
        return
    buffer = io.BytesIO(demo_csv())
    batch, rejected = addresses_import(
        actor=None, data=buffer.getvalue(), filename="demo-kaifeng-gazetteer.csv", crs="gcj02",
        on_error="skip", is_demo=True,
    )
    stdout.write(f"demo gazetteer (generated, marked demo): {batch.rows_imported} addresses")
