"""Base map layers: MBTiles files in the data directory (offline) and online presets (天地图, any XYZ URL).

Registered MBTiles live in `settings.MAPS_DIR` (var/maps/ by default) beside `layers.json`, which says for
each file its label, coordinate system and whether it is a base layer or an overlay (注记). Every map page
takes the same configuration from `layer_config()` through `{% basemap %}` (templatetags/geo_maps.py) and
static/geo/basemap.js, so a city changes its base map in one place.
"""

import json
import re
import shutil
import sqlite3
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from chengguan.core.coords import check_crs
from chengguan.core.errors import ValidationError

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
TIANDITU = (
    "https://t{s}.tianditu.gov.cn/%(layer)s_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=%(layer)s"
    "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=%(key)s"
)
DEFAULT_CENTER = (114.341, 34.797)  # Kaifeng, where the demo lives; a city sets CHENGGUAN_MAP_CENTER


def maps_dir() -> Path:
    return Path(getattr(settings, "MAPS_DIR", settings.VAR_DIR / "maps"))


def _registry_path() -> Path:
    return maps_dir() / "layers.json"


def registered() -> list[dict]:
    path = _registry_path()
    if not path.exists():
        return []
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []


def mbtiles_path(name: str) -> Path | None:
    if not NAME.match(name or ""):
        return None
    path = maps_dir() / f"{name}.mbtiles"
    return path if path.exists() else None


def inspect_mbtiles(path: Path) -> dict:
    """Metadata of an MBTiles file; ValidationError naming what is wrong when it is not one."""
    try:
        with path.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise ValidationError(_("Cannot read %(file)s: %(reason)s") % {"file": path, "reason": exc}, field="file") from exc
    if head != b"SQLite format 3\x00":
        raise ValidationError(_("%(file)s is not an MBTiles file (not an SQLite database).") % {"file": path.name},
                              field="file")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(con.execute("SELECT name, value FROM metadata").fetchall())
            zooms = con.execute("SELECT min(zoom_level), max(zoom_level), count(*) FROM tiles").fetchone()
            sample = con.execute("SELECT tile_data FROM tiles LIMIT 1").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise ValidationError(_("%(file)s is not an MBTiles file: %(reason)s (it needs the tables metadata and "
                                "tiles).") % {"file": path.name, "reason": exc}, field="file") from exc
    if not zooms or not zooms[2]:
        raise ValidationError(_("%(file)s holds no tiles.") % {"file": path.name}, field="file")
    fmt = meta.get("format", "png")
    if fmt not in ("png", "jpg", "jpeg", "webp"):
        raise ValidationError(_("%(file)s has tiles in format %(format)s; raster png, jpg or webp are served.")
                              % {"file": path.name, "format": fmt}, field="format")
    data = bytes(sample[0] or b"")
    if not (data.startswith(b"\x89PNG") or data.startswith(b"\xff\xd8") or data[8:12] == b"WEBP"):
        raise ValidationError(_("%(file)s: the first tile is not an image.") % {"file": path.name}, field="tiles")
    return {"format": "jpg" if fmt == "jpeg" else fmt, "minzoom": zooms[0], "maxzoom": zooms[1],
            "bounds": meta.get("bounds", ""), "attribution": meta.get("attribution", "")}


def add_mbtiles(source: Path, *, name: str, crs: str, label: str = "", kind: str = "base", replace=False) -> dict:
    """Check an MBTiles file, copy it into the maps directory and register it. Nothing changes when refused."""
    crs = check_crs(crs)
    if not NAME.match(name or ""):
        raise ValidationError(_("A layer name is lower-case letters, digits, - and _ (at most 40)."), field="name")
    if kind not in ("base", "overlay"):
        raise ValidationError(_("kind is base or overlay."), field="kind")
    meta = inspect_mbtiles(Path(source))
    layers = [entry for entry in registered() if entry["name"] != name]
    if len(layers) != len(registered()) and not replace:
        raise ValidationError(_("A layer named %(name)s exists; pass --replace.") % {"name": name}, field="name")
    maps_dir().mkdir(parents=True, exist_ok=True)
    target = maps_dir() / f"{name}.mbtiles"
    if Path(source).resolve() != target.resolve():
        tmp = target.with_suffix(".mbtiles.part")
        shutil.copyfile(source, tmp)
        tmp.replace(target)
    entry = {"name": name, "label": label or name, "crs": crs, "kind": kind, **meta}
    layers.append(entry)
    _write(layers)
    return entry


def remove(name: str) -> bool:
    layers = registered()
    kept = [entry for entry in layers if entry["name"] != name]
    if len(kept) == len(layers):
        return False
    _write(kept)
    path = maps_dir() / f"{name}.mbtiles"
    if path.exists():
        path.unlink()
    return True


def _write(layers):
    path = _registry_path()
    tmp = path.with_suffix(".json.part")
    tmp.write_text(json.dumps(layers, ensure_ascii=False, indent=2), encoding="utf-8")
    tmp.replace(path)


def _bounds(text: str):
    """MBTiles bounds "w,s,e,n" → [[s, w], [n, e]] so the browser asks for no tile outside the file."""
    try:
        w, s, e, n = (float(v) for v in text.split(","))
    except ValueError:
        return None
    return [[s, w], [n, e]]


def layer_config() -> dict:
    """What every map page draws: base layers (each one or more tile layers), overlays, the tiles' CRS."""
    bases, overlays = [], []
    for entry in registered():
        tiles = {
            "url": reverse("geo:tile", kwargs={"name": entry["name"], "z": 0, "x": 0, "y": 0,
                                               "fmt": entry.get("format", "png")}).replace("/0/0/0.", "/{z}/{x}/{y}."),
            "minZoom": 0, "maxZoom": 20, "maxNativeZoom": entry.get("maxzoom", 18),
            "attribution": entry.get("attribution", ""), "bounds": _bounds(entry.get("bounds", "")),
        }
        # A label given in English (the demo's) is shown translated; a city's own label as it wrote it.
        layer = {"id": entry["name"], "label": _(entry["label"]), "crs": entry["crs"], "tiles": [tiles]}
        (overlays if entry.get("kind") == "overlay" else bases).append(layer)
    key = getattr(settings, "TIANDITU_KEY", "")
    if key:
        for layer_id, label, base, note in (("tdt-vec", _("Streets (Tianditu)"), "vec", "cva"),
                                            ("tdt-img", _("Imagery (Tianditu)"), "img", "cia")):
            bases.append({"id": layer_id, "label": label, "crs": "cgcs2000", "tiles": [
                {"url": TIANDITU % {"layer": lyr, "key": key}, "subdomains": "01234567", "maxZoom": 18,
                 "attribution": "天地图" if lyr == base else ""} for lyr in (base, note)]})
    if settings.MAP_TILE_URL:
        bases.append({"id": "xyz", "label": _("Base map"), "crs": check_crs(settings.MAP_TILE_CRS), "tiles": [
            {"url": settings.MAP_TILE_URL, "subdomains": "01234567", "maxZoom": 19,
             "attribution": settings.MAP_TILE_ATTRIBUTION}]})
    center = getattr(settings, "MAP_CENTER", None) or DEFAULT_CENTER
    return {"bases": bases, "overlays": overlays, "center": list(center), "zoom": 13, "storageCrs": "gcj02",
            "labels": {"none": _("No base map")}}
