import json

import pytest

from chengguan.core.errors import ValidationError
from chengguan.geo.models import Address, AddressImport
from chengguan.geo.services import addresses_import
from chengguan.geo.testing import HEADER, sample_rows

pytestmark = pytest.mark.django_db


def test_a_file_with_one_bad_line_is_refused_whole_naming_the_line(grid_city):
    rows = sample_rows()
    rows[3] = rows[3].replace("114.3", "abc")
    data = (HEADER + "\n".join(rows)).encode()
    with pytest.raises(ValidationError) as exc:
        addresses_import(actor=None, data=data, filename="bad.csv")
    assert "line 5" in exc.value.message and "not a number" in exc.value.message
    assert Address.objects.count() == 0 and AddressImport.objects.count() == 0


def test_skip_imports_the_good_rows_and_returns_the_rejected_ones(grid_city):
    rows = sample_rows()
    rows[0] = rows[0].replace("夷山大街", "")  # no road, no name
    rows.append(rows[1])  # the same code twice
    data = (HEADER + "\n".join(rows)).encode()
    batch, rejected = addresses_import(actor=None, data=data, filename="bad.csv", on_error="skip")
    assert [(line, reason.split(" ")[0]) for line, reason, _raw in rejected] == [
        (2, "neither"),
        (len(rows) + 1, "address"),
    ]
    assert batch.rows_imported == len(rows) - 2 == Address.objects.count()


def test_a_second_import_of_the_same_codes_is_refused(gazetteer):
    from chengguan.geo.testing import sample_csv

    before = Address.objects.count()
    with pytest.raises(ValidationError, match="already in the gazetteer"):
        addresses_import(actor=None, data=sample_csv(), filename="again.csv")
    assert Address.objects.count() == before


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty"),
        (b"road,number\n\xe5\xa4\xb7,1\n", "Line 1"),
        (b"\xff\xfe", "UTF-8"),
        (b'{"type": "FeatureCollection", "features": [', "Line 1"),
        (b'{"type": "Feature"}', "FeatureCollection"),
    ],
)
def test_an_unreadable_file_is_refused(grid_city, data, message):
    with pytest.raises(ValidationError, match=message):
        addresses_import(actor=None, data=data, filename="x.csv" if not data.startswith(b"{") else "x.geojson")
    assert Address.objects.count() == 0


def test_geojson_in_wgs84_is_stored_in_gcj02_with_its_grid(grid_city):
    from chengguan.core.coords import from_storage

    lng, lat = from_storage(114.325, 34.8125, "wgs84")
    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lng, lat]},
             "properties": {"道路": "夷山大街", "门牌号": "201", "区县": "顺河回族区"}},
            {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[1, 2], [3, 4]]},
             "properties": {"道路": "夷山大街"}},
        ],
    }
    data = json.dumps(doc).encode()
    with pytest.raises(ValidationError, match="line 2: the geometry is not a Point"):
        addresses_import(actor=None, data=data, filename="a.geojson", crs="wgs84")
    batch, rejected = addresses_import(actor=None, data=data, filename="a.geojson", crs="wgs84", on_error="skip")
    address = Address.objects.get()
    assert address.lng == pytest.approx(114.325, abs=1e-7) and address.lat == pytest.approx(34.8125, abs=1e-7)
    assert address.full == "顺河回族区夷山大街201号" and address.level == "house"
    assert address.community.name == "清平社区" and batch.crs == "wgs84" and len(rejected) == 1


def test_the_command_writes_a_reject_file_and_refuses_a_bad_file_whole(grid_city, tmp_path):
    from django.core.management import CommandError, call_command

    rows = sample_rows()
    rows[1] = rows[1].replace("34.8125", "95")
    source = tmp_path / "addresses.csv"
    source.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 3: longitude/latitude out of range"):
        call_command("geo", "import", str(source))
    assert Address.objects.count() == 0
    reject = tmp_path / "rejects.csv"
    call_command("geo", "import", str(source), "--on-error", "skip", "--reject-file", str(reject))
    assert Address.objects.count() == len(rows) - 1
    assert reject.read_text(encoding="utf-8").splitlines()[1].startswith("3,longitude/latitude out of range")


def test_the_demo_gazetteer_and_base_map_are_marked_and_load_once(grid_city, settings, tmp_path, monkeypatch):
    import io

    from chengguan.geo import basemaps, demo
    from chengguan.geo.management.commands import maps

    settings.MAPS_DIR = tmp_path / "maps"
    monkeypatch.setattr(maps, "DEMO_MAX_ZOOM", 12)  # the whole pyramid is the demo's business, not the test's
    out = io.StringIO()
    demo.load(stdout=out)
    count = Address.objects.count()
    assert count > 10_000 and not Address.objects.filter(is_demo=False).exists()
    assert [e["name"] for e in basemaps.registered()] == ["demo"] and "demo base map" in out.getvalue()
    built = (settings.MAPS_DIR / "demo.mbtiles").stat().st_mtime_ns
    demo.load(stdout=io.StringIO())
    assert Address.objects.count() == count
    assert (settings.MAPS_DIR / "demo.mbtiles").stat().st_mtime_ns == built  # neither is made twice
