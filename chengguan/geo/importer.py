"""Reading gazetteer files (CSV and GeoJSON, as cities export them from their 地名地址 database) into checked
rows. Nothing is written here: `services.addresses_import` writes all rows or none (or skips rejected ones)."""

import csv
import io
import json
import math
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import Level

# Column names cities use, English or Chinese, mapped to our fields.
COLUMNS = {
    "code": "code", "地址编码": "code", "编码": "code",
    "level": "level", "层级": "level",
    "district": "district", "区县": "district", "区": "district",
    "street": "street", "街道": "street", "乡镇街道": "street",
    "road": "road", "道路": "road", "街路巷": "road", "街巷": "road",
    "number": "number", "门牌号": "number", "门牌": "number",
    "building": "building", "楼栋": "building", "楼栋号": "building",
    "unit": "unit", "单元": "unit", "室": "unit",
    "name": "name", "名称": "name", "地名": "name",
    "poi_kind": "poi_kind", "kind": "poi_kind", "类别": "poi_kind",
    "aliases": "aliases", "别名": "aliases", "俗称": "aliases",
    "full": "full", "标准地址": "full", "完整地址": "full",
    "lng": "lng", "lon": "lng", "x": "lng", "经度": "lng",
    "lat": "lat", "y": "lat", "纬度": "lat",
}  # fmt: skip
LIMITS = {"code": 40, "district": 40, "street": 40, "road": 60, "number": 20, "building": 30, "unit": 30,
          "name": 100, "poi_kind": 20, "aliases": 255, "full": 255}  # fmt: skip
LEVELS = {choice.value for choice in Level}


class FileRefused(Exception):
    """The file cannot be read at all (not CSV/GeoJSON, no coordinates column): nothing is imported."""


@dataclass
class Row:
    line: int
    values: dict
    raw: str = ""


@dataclass
class Checked:
    good: list = field(default_factory=list)  # Row with values cleaned (lng/lat floats in the file's system)
    rejected: list = field(default_factory=list)  # (line, reason, raw)


def _read_csv(data: str) -> list[Row]:
    reader = csv.reader(io.StringIO(data))
    try:
        header = next(reader)
    except StopIteration as exc:
        raise FileRefused(_("The file is empty.")) from exc
    names = [COLUMNS.get(h.strip().lstrip("\ufeff").lower(), COLUMNS.get(h.strip().lstrip("\ufeff"))) for h in header]
    if "lng" not in names or "lat" not in names:
        raise FileRefused(_("Line 1: the header has no longitude and latitude columns (lng, lat or 经度, 纬度)."))
    rows = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        values = {n: c.strip() for n, c in zip(names, cells, strict=False) if n}
        if len(cells) != len(header):
            values["__error"] = _("%(found)d columns instead of %(expected)d") % {
                "found": len(cells), "expected": len(header)}
        rows.append(Row(number, values, ",".join(cells)))
    return rows


def _read_geojson(data: str) -> list[Row]:
    try:
        doc = json.loads(data)
    except json.JSONDecodeError as exc:
        raise FileRefused(_("Line %(line)d: not valid JSON (%(reason)s).") % {
            "line": exc.lineno, "reason": exc.msg}) from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise FileRefused(_("The file is not a GeoJSON FeatureCollection."))
    rows = []
    for number, feature in enumerate(doc["features"], start=1):
        values = {}
        props = (feature or {}).get("properties") or {}
        for key, value in props.items():
            name = COLUMNS.get(str(key).lower(), COLUMNS.get(str(key)))
            if name and value is not None:
                values[name] = str(value).strip()
        geometry = (feature or {}).get("geometry") or {}
        if geometry.get("type") == "Point" and isinstance(geometry.get("coordinates"), list | tuple):
            coords = list(geometry["coordinates"]) + [None, None]
            values["lng"], values["lat"] = str(coords[0]), str(coords[1])
        else:
            values["__error"] = _("the geometry is not a Point")
        rows.append(Row(number, values, json.dumps(feature, ensure_ascii=False)[:200]))
    return rows


def read(data: bytes, filename: str) -> tuple[str, list[Row]]:
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(_("The file is not UTF-8 text.")) from exc
    if filename.lower().endswith((".json", ".geojson")) or content.lstrip().startswith("{"):
        return "geojson", _read_geojson(content)
    return "csv", _read_csv(content)


def _reason(values: dict) -> str | None:
    if values.get("__error"):
        return values["__error"]
    try:
        lng, lat = float(values.get("lng", "")), float(values.get("lat", ""))
    except ValueError:
        return _("longitude/latitude is not a number")
    if not (math.isfinite(lng) and math.isfinite(lat) and -180 <= lng <= 180 and -90 <= lat <= 90):
        return _("longitude/latitude out of range")
    values["lng"], values["lat"] = lng, lat
    level = values.get("level") or ("poi" if values.get("name") and not values.get("number") else
                                    "unit" if values.get("unit") else "building" if values.get("building") else
                                    "house" if values.get("number") else "road")
    if level not in LEVELS:
        return _("unknown level %(level)s") % {"level": level}
    values["level"] = level
    if not values.get("road") and not values.get("name"):
        return _("neither a road nor a name")
    if level in ("house", "building", "unit") and not values.get("number"):
        return _("a house, building or unit needs a house number")
    for key, limit in LIMITS.items():
        if len(values.get(key, "")) > limit:
            return _("%(field)s is longer than %(limit)d characters") % {"field": key, "limit": limit}
    return None


def check(rows: list[Row], existing_codes) -> Checked:
    out = Checked()
    codes = set()
    for row in rows:
        reason = _reason(row.values)
        code = row.values.get("code", "")
        if reason is None and code:
            if code in codes:
                reason = _("address code %(code)s appears twice in the file") % {"code": code}
            elif code in existing_codes:
                reason = _("address code %(code)s is already in the gazetteer") % {"code": code}
            codes.add(code)
        if reason:
            out.rejected.append((row.line, reason, row.raw))
        else:
            out.good.append(row)
    return out
