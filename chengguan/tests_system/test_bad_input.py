"""Bad uploads and bad imports, through the real entry points: refused with a clear message naming the problem,
nothing stored; a failed import names its line and changes nothing (row counts before == after)."""

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from PIL import Image

from chengguan.cases.models import Attachment

from . import scenario
from .figures import add


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Path) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge canvas (a decompression bomb's calling card)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def jpeg_with_absurd_exif() -> bytes:
    img = Image.new("RGB", (16, 16), (10, 120, 10))
    exif = Image.Exif()
    exif[306] = "9999:99:99 99:99:99"  # DateTime
    exif.get_ifd(0x8769)[36867] = "0000:00:00 00:00:00"  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (1e308, 1e308, 1e308), "E", (400.0, 0.0, 0.0)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", exif=exif)
    return buf.getvalue()


BAD_UPLOADS = {
    "html disguised as .jpg": ("evil.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg"),
    "zip disguised as .png": ("photo.png", None, "image/png"),
    "truncated PNG": ("broken.png", scenario.png_bytes()[:60], "image/png"),
    "PNG header, garbage after": ("broken2.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 200, "image/png"),
    "GIF (not accepted)": ("anim.gif", None, "image/gif"),
    "empty file": ("empty.jpg", b"", "image/jpeg"),
    "bomb: 30000 x 30000 pixels": ("bomb.png", png_claiming(30000, 30000), "image/png"),
    "bomb: 12000 x 12000 pixels (just over Pillow's limit)": ("bomb2.png", png_claiming(12000, 12000), "image/png"),
}


def _zip_bytes():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.txt", "0" * 10_000_000)  # a zip bomb in miniature: 10 MB of zeros in ~10 kB
    return buf.getvalue()


def _gif_bytes():
    buf = io.BytesIO()
    Image.new("P", (4, 4)).save(buf, format="GIF")
    return buf.getvalue()


@pytest.mark.parametrize("label", list(BAD_UPLOADS))
def test_it_refuses_a_bad_photo_upload_and_stores_nothing(label, city, api_client, media):
    name, data, content_type = BAD_UPLOADS[label]
    if data is None:
        data = _zip_bytes() if name.endswith(".png") else _gif_bytes()
    client = api_client(city["supervisor"])
    response = client.post("/api/v1/cases/attachments", {"file": SimpleUploadedFile(name, data, content_type)})
    assert response.status_code in (400, 413, 422), (label, response.status_code, response.content[:200])
    body = response.json()
    assert body["detail"] and body.get("field") in ("photos", "file"), body
    assert Attachment.objects.count() == 0
    assert stored_files(media) == []
    add("bad input: uploads refused", 1)


def test_it_refuses_an_oversized_photo_with_a_clear_message(city, api_client, media, settings):
    settings.CASES_PHOTO_MAX_BYTES = 50_000
    big = Image.effect_noise((300, 300), 80).convert("RGB")
    buf = io.BytesIO()
    big.save(buf, format="PNG")
    assert len(buf.getvalue()) > 50_000
    response = api_client(city["supervisor"]).post(
        "/api/v1/cases/attachments", {"file": SimpleUploadedFile("big.png", buf.getvalue(), "image/png")}
    )
    assert response.status_code in (413, 422) and "MB" in response.json()["detail"]
    assert Attachment.objects.count() == 0 and stored_files(media) == []


def test_it_keeps_a_photo_with_absurd_exif_but_ignores_the_nonsense(city, api_client, media):
    """Decision (the case engineer's, kept here): a real photo with a broken camera clock or GPS is still
    evidence; the absurd metadata is dropped, never trusted and never a crash."""
    response = api_client(city["supervisor"]).post(
        "/api/v1/cases/attachments", {"file": SimpleUploadedFile("odd.jpg", jpeg_with_absurd_exif(), "image/jpeg")}
    )
    assert response.status_code == 201, response.content
    photo = Attachment.objects.get()
    assert photo.taken_at is None and photo.exif_lng is None and photo.exif_lat is None


# --- imports -------------------------------------------------------------------------------------------------


def counts(*models) -> dict:
    return {m._meta.label: m.objects.count() for m in models}


def test_a_bad_grids_geojson_names_the_feature_and_changes_nothing(city, tmp_path):
    from chengguan.grids.models import UnitGrid
    from chengguan.grids.testing import lattice_square
    from chengguan.org.models import Region

    good = lattice_square(114.300, 34.815)
    features = [
        {"type": "Feature", "properties": {"code": "410202001001001"}, "geometry": good},
        {"type": "Feature", "properties": {"code": "410202001001002"},
         "geometry": {"type": "Polygon", "coordinates": [[[114.3, 34.8], [114.3, 34.8]]]}},
    ]
    path = tmp_path / "grids.geojson"
    before = counts(UnitGrid, Region)
    for text in (json.dumps({"type": "FeatureCollection", "features": features}), '{"type": "FeatureColl',
                 json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature"}]})):
        path.write_text(text)
        with pytest.raises(CommandError) as exc:
            call_command("grids", "import", str(path), "--kind", "unit_grids")
        assert str(exc.value).strip()
        assert counts(UnitGrid, Region) == before
        add("bad input: imports refused", 1)
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("grids", "import", str(path), "--kind", "unit_grids", stdout=out, stderr=err)
    report = out.getvalue() + err.getvalue()
    assert "2" in report and "410202001001002" in report, report  # the bad feature is named


POWER_HEADER = "code,name,power_type,legal_basis\n"


def test_a_bad_power_list_csv_names_the_row_and_changes_nothing(city):
    from chengguan.core.errors import ValidationError
    from chengguan.enforcement.models import PowerItem
    from chengguan.enforcement.services.powers import power_list_import

    good = "CG-CF-900,擅自占用城市道路,penalty,《城市道路管理条例》第42条\n"
    cases = {
        "missing field": POWER_HEADER + good + "CG-CF-901,,penalty,《条例》第1条\n",
        "unknown power type": POWER_HEADER + good + "CG-CF-902,乱扔垃圾,dance,《条例》第2条\n",
        "duplicate code": POWER_HEADER + good + good,
        "ragged row": POWER_HEADER + good + "CG-CF-903\n",
        "not a CSV at all": "\x00\x01\x02binary",
    }
    before = PowerItem.objects.count()
    for label, text in cases.items():
        with pytest.raises(ValidationError) as exc, translation.override("en"):
            power_list_import(actor=city["admin"], source=io.StringIO(text))
        if label not in ("not a CSV at all",):
            assert "row 3" in exc.value.message, (label, exc.value.message)
        assert PowerItem.objects.count() == before, label
        add("bad input: imports refused", 1)


def test_a_bad_case_jsonl_names_the_line_and_changes_nothing(city):
    exchange = pytest.importorskip("chengguan.cases.exchange", reason="the case exchange import is not built yet")
    from chengguan.cases.models import Case, CaseEvent

    before = counts(Case, CaseEvent)
    bad_files = {
        "not JSON": '{"number": "KF2026-000001"\n',
        "a JSON array line": "[1, 2, 3]\n",
        "missing fields": json.dumps({"number": "KF2026-000002"}) + "\n",
    }
    for label, text in bad_files.items():
        lines = ["\n", text]  # the bad line is line 2
        with pytest.raises(exchange.ExchangeError) as exc:
            exchange.import_cases(lines)
        assert "2" in str(exc.value.message if hasattr(exc.value, "message") else exc.value), label
        assert counts(Case, CaseEvent) == before, label
        add("bad input: imports refused", 1)
