"""The one tile endpoint: tiles of registered MBTiles files, with caching headers (ETag, max-age)."""

import hashlib
import io
import sqlite3
import threading

from django.http import HttpResponse, HttpResponseNotModified, JsonResponse
from django.views.decorators.http import require_safe

from .basemaps import layer_config, mbtiles_path

MAX_AGE = 7 * 24 * 3600
TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}
_local = threading.local()
_EMPTY: dict = {}


def _connection(path):
    cache = _local.__dict__.setdefault("connections", {})
    key = (str(path), path.stat().st_mtime_ns)
    if key not in cache:
        for old in [k for k in cache if k[0] == key[0]]:
            cache.pop(old).close()
        cache[key] = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    return cache[key], key[1]


def _empty_png() -> bytes:
    if "png" not in _EMPTY:
        from PIL import Image

        buffer = io.BytesIO()
        Image.new("RGBA", (256, 256), (0, 0, 0, 0)).save(buffer, "PNG", optimize=True)
        _EMPTY["png"] = buffer.getvalue()
    return _EMPTY["png"]


@require_safe
def tile(request, name, z, x, y, fmt):
    """Tiles are public (the citizen portal shows the base map too); MBTiles rows are TMS (y from the south)."""
    path = mbtiles_path(name)
    if path is None:
        return JsonResponse({"detail": "no such layer", "code": "not_found"}, status=404)
    z, x, y = int(z), int(x), int(y)
    con, version = _connection(path)
    etag = '"' + hashlib.sha1(f"{name}/{version}/{z}/{x}/{y}".encode()).hexdigest()[:20] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        row = con.execute(
            "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
            (z, x, (1 << z) - 1 - y),
        ).fetchone() if z < 31 else None
        data = bytes(row[0]) if row else _empty_png()
        kind = "png" if not row or data.startswith(b"\x89PNG") else "jpg" if data.startswith(b"\xff\xd8") else "webp"
        response = HttpResponse(data, content_type=TYPES[kind])
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


@require_safe
def layers(request):
    return JsonResponse(layer_config())
