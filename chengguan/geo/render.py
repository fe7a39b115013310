"""`chengguan maps build-demo`: an offline raster base map of the demo city rendered with Pillow into MBTiles.

Drawn from the data the platform has, in the storage system (GCJ-02, so overlays line up without a shift):
district, street and community areas and outlines, the gazetteer's roads (each road's house numbers give its
line) with their names, and points of interest with theirs. Labels use a CJK font from Debian's
fonts-noto-cjk (or CHENGGUAN_MAP_FONT). Tiles are drawn at twice the size and reduced, for smooth lines;
labels sit at fixed places in world pixels so they agree across tile edges.
"""

import io
import math
import os
import sqlite3
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from shapely import STRtree
from shapely.geometry import box, shape

FONT_CANDIDATES = [
    os.environ.get("CHENGGUAN_MAP_FONT", ""),
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]
SCALE = 2
TILE = 256
BACKGROUND = (242, 239, 233)
DISTRICT_FILL = [(236, 232, 222), (232, 236, 226), (238, 231, 232), (230, 234, 238)]
ROAD_CASING, ROAD_FILL = (190, 182, 170), (255, 255, 255)
LABEL_SPACING = 420  # world pixels between repeated road names


def font_path() -> str | None:
    return next((p for p in FONT_CANDIDATES if p and Path(p).exists()), None)


def world_px(lng, lat, z):
    n = TILE * (1 << z)
    x = (lng + 180.0) / 360.0 * n
    s = math.sin(math.radians(lat))
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * n
    return x, y


def tile_bounds(z, x, y):
    n = 1 << z

    def lng(px):
        return px / n * 360.0 - 180.0

    def lat(py):
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * py / n))))

    return lng(x), lat(y + 1), lng(x + 1), lat(y)


def tiles_for(bounds, z):
    minx, miny, maxx, maxy = bounds
    x0, y0 = world_px(minx, maxy, z)
    x1, y1 = world_px(maxx, miny, z)
    for tx in range(int(x0 // TILE), int(x1 // TILE) + 1):
        for ty in range(int(y0 // TILE), int(y1 // TILE) + 1):
            yield tx, ty


class Scene:
    """Everything drawable, in GCJ-02 lon/lat, with spatial indexes per kind."""

    def __init__(self, regions, roads, pois):
        self.regions = regions  # [(level, name, shapely geometry, colour index)]
        self.region_tree = STRtree([g for _l, _n, g, _c in regions]) if regions else None
        self.roads = roads  # [(name, [(lng, lat), (lng, lat)])]
        self.road_tree = STRtree([box(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))
                                  for _n, (a, b) in roads]) if roads else None
        self.pois = pois  # [(name, kind, lng, lat)]

    @classmethod
    def from_database(cls):
        from chengguan.org.models import Region

        from .models import Address

        regions = []
        for i, (level, name, boundary) in enumerate(
            Region.objects.filter(level__in=("district", "street", "community"), boundary__isnull=False)
            .order_by("code").values_list("level", "name", "boundary")
        ):
            try:
                regions.append((level, name, shape(boundary), i))
            except (ValueError, TypeError, KeyError):
                continue
        roads = {}
        for road, lng, lat in Address.objects.filter(level="house").exclude(road="").values_list("road", "lng", "lat"):
            roads.setdefault(road, []).append((lng, lat))
        lines = []
        for name, points in roads.items():
            if len(points) < 2:
                continue
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            if max(xs) - min(xs) >= max(ys) - min(ys):  # an east–west road: its centre line between both sides
                mid = sum(ys) / len(ys)
                lines.append((name, [(min(xs) - 0.0003, mid), (max(xs) + 0.0003, mid)]))
            else:
                mid = sum(xs) / len(xs)
                lines.append((name, [(mid, min(ys) - 0.0003), (mid, max(ys) + 0.0003)]))
        pois = list(Address.objects.filter(level="poi").values_list("name", "poi_kind", "lng", "lat"))
        compounds = {}
        for name, lng, lat in Address.objects.filter(level="building", poi_kind="小区").values_list("name", "lng", "lat"):
            compounds.setdefault(name, (lng, lat))
        pois += [(name, "小区", lng, lat) for name, (lng, lat) in compounds.items()]
        return cls(regions, lines, pois)

    def extent(self):
        geoms = [g for level, _n, g, _c in self.regions if level == "district"] or [g for _l, _n, g, _c in self.regions]
        if not geoms:
            pts = [p for _n, line in self.roads for p in line]
            if not pts:
                return None
            return min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts)
        b = [g.bounds for g in geoms]
        return min(v[0] for v in b), min(v[1] for v in b), max(v[2] for v in b), max(v[3] for v in b)

    def detail_extent(self):
        pts = [p for _n, line in self.roads for p in line] + [(p[2], p[3]) for p in self.pois]
        if not pts:
            return self.extent()
        return min(p[0] for p in pts), min(p[1] for p in pts), max(p[0] for p in pts), max(p[1] for p in pts)


class Renderer:
    def __init__(self, scene: Scene):
        self.scene = scene
        path = font_path()
        self.fonts = {size: ImageFont.truetype(path, size * SCALE) for size in (11, 12, 13, 15)} if path else None

    def tile(self, z, x, y) -> bytes:
        size = TILE * SCALE
        img = Image.new("RGB", (size, size), BACKGROUND)
        draw = ImageDraw.Draw(img)
        ox, oy = x * TILE, y * TILE

        def px(lng, lat):
            wx, wy = world_px(lng, lat, z)
            return (wx - ox) * SCALE, (wy - oy) * SCALE

        west, south, east, north = tile_bounds(z, x, y)
        margin = (east - west) * 0.15
        area = box(west - margin, south - margin, east + margin, north + margin)
        regions = []
        if self.scene.region_tree is not None:
            regions = [self.scene.regions[i] for i in self.scene.region_tree.query(area)]
        order = {"district": 0, "street": 1, "community": 2}
        regions.sort(key=lambda r: order[r[0]])
        for level, _name, geom, colour in regions:
            if level == "community" and z < 14 or level == "street" and z < 12:
                continue
            polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
            for poly in polys:
                ring = [px(*c) for c in poly.exterior.coords]
                if level == "district":
                    draw.polygon(ring, fill=DISTRICT_FILL[colour % len(DISTRICT_FILL)])
                    draw.line(ring, fill=(150, 130, 160), width=3 * SCALE // 2)
                elif level == "street":
                    draw.line(ring, fill=(180, 165, 185), width=SCALE)
                else:
                    draw.line(ring, fill=(205, 198, 205), width=1)
        road_width = {12: 2, 13: 3, 14: 5, 15: 8, 16: 12, 17: 16, 18: 22}.get(z, 2 if z < 12 else 22) * SCALE
        roads = []
        if self.scene.road_tree is not None and z >= 12:
            roads = [self.scene.roads[i] for i in self.scene.road_tree.query(area)]
            for _name, (a, b) in roads:
                draw.line([px(*a), px(*b)], fill=ROAD_CASING, width=road_width + 2 * SCALE)
            for _name, (a, b) in roads:
                draw.line([px(*a), px(*b)], fill=ROAD_FILL, width=road_width)
        if self.fonts is None:
            return self._png(img)
        if z >= 14:
            for name, (a, b) in roads:
                self._road_label(draw, name, a, b, z, ox, oy)
        if z >= 15:
            for name, kind, lng, lat in self.scene.pois:
                if not (west - margin <= lng <= east + margin and south - margin <= lat <= north + margin):
                    continue
                if kind == "小区" and z < 16:
                    continue
                cx, cy = px(lng, lat)
                colour = (200, 80, 60) if kind in ("医院", "学校") else (120, 110, 150)
                r = 4 * SCALE
                draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=colour, outline=(255, 255, 255))
                draw.text((cx + 6 * SCALE, cy), name, font=self.fonts[12], fill=(90, 70, 90), anchor="lm",
                          stroke_width=2 * SCALE, stroke_fill=BACKGROUND)
        elif z >= 11 and z <= 13:
            for level, name, geom, _c in regions:
                if level == "district" or (level == "street" and z == 13):
                    c = geom.representative_point()
                    cx, cy = px(c.x, c.y)
                    draw.text((cx, cy), name, font=self.fonts[15 if level == "district" else 12],
                              fill=(110, 90, 120), anchor="mm", stroke_width=2 * SCALE, stroke_fill=BACKGROUND)
        return self._png(img)

    def _road_label(self, draw, name, a, b, z, ox, oy):
        (ax, ay), (bx, by) = world_px(*a, z), world_px(*b, z)
        length = math.hypot(bx - ax, by - ay)
        horizontal = abs(bx - ax) >= abs(by - ay)
        font = self.fonts[13]
        k = LABEL_SPACING / 2
        while k < length:
            t = k / length
            wx, wy = ax + (bx - ax) * t, ay + (by - ay) * t
            k += LABEL_SPACING
            cx, cy = (wx - ox) * SCALE, (wy - oy) * SCALE
            if not (-200 <= cx <= TILE * SCALE + 200 and -200 <= cy <= TILE * SCALE + 200):
                continue
            if horizontal:
                draw.text((cx, cy), name, font=font, fill=(70, 70, 70), anchor="mm",
                          stroke_width=2 * SCALE, stroke_fill=ROAD_FILL)
            else:  # Chinese reads top to bottom on a north–south road
                step = 14 * SCALE
                top = cy - step * (len(name) - 1) / 2
                for i, ch in enumerate(name):
                    draw.text((cx, top + i * step), ch, font=font, fill=(70, 70, 70), anchor="mm",
                              stroke_width=2 * SCALE, stroke_fill=ROAD_FILL)

    @staticmethod
    def _png(img) -> bytes:
        out = io.BytesIO()
        img.resize((TILE, TILE), Image.LANCZOS).quantize(colors=64).save(out, "PNG", optimize=True)
        return out.getvalue()


def build_mbtiles(target: Path, *, min_zoom=8, max_zoom=16, detail_from=13, scene=None, stdout=None) -> dict:
    """Render the pyramid into `target` (replaced only when complete). Returns counts and seconds."""
    scene = scene or Scene.from_database()
    extent, detail = scene.extent(), scene.detail_extent()
    if extent is None:
        raise ValueError("nothing to draw: no regions with boundaries and no gazetteer")
    renderer = Renderer(scene)
    started = time.perf_counter()
    part = target.with_suffix(".mbtiles.part")
    if part.exists():
        part.unlink()
    con = sqlite3.connect(part)
    con.executescript(
        "CREATE TABLE metadata (name TEXT, value TEXT);"
        "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);"
        "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
    )
    count = 0
    for z in range(min_zoom, max_zoom + 1):
        bounds = extent if z < detail_from else detail
        batch = [(z, tx, (1 << z) - 1 - ty, renderer.tile(z, tx, ty)) for tx, ty in tiles_for(bounds, z)]
        con.executemany("INSERT INTO tiles VALUES (?, ?, ?, ?)", batch)
        count += len(batch)
        if stdout is not None:
            stdout.write(f"  zoom {z}: {len(batch)} tiles")
    meta = {
        "name": "demo", "format": "png", "type": "baselayer", "version": "1",
        "description": "Demo base map generated from the demo city's regions and gazetteer (not surveyed)",
        "attribution": "演示底图（生成数据）", "minzoom": str(min_zoom), "maxzoom": str(max_zoom),
        "bounds": ",".join(f"{v:.5f}" for v in extent), "crs": "gcj02",
    }  # fmt: skip
    con.executemany("INSERT INTO metadata VALUES (?, ?)", list(meta.items()))
    con.commit()
    con.close()
    part.replace(target)
    return {"tiles": count, "seconds": time.perf_counter() - started, "labels": renderer.fonts is not None}
