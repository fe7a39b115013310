"""The device registry: CSV and GeoJSON import placed in the grids, all rows or none, the error naming row and
column; the command."""

import json

import pytest
from django.core.management import call_command

from chengguan.core.errors import ValidationError

from ..devices import devices_import
from ..models import Camera, Sensor

CSV = """kind,device_id,name,lng,lat,type,direction,live_url,vendor
camera,41020200001320000101,西门路口,114.3031,34.8031,,90,https://video.example/hls/101.m3u8,
sensor,WATER-0009,西门积水点,114.3041,34.8041,cover-tilt,,,acme
"""


def test_csv_and_geojson_import_place_devices_in_their_grid(fleet, city, tmp_path):
    devices = devices_import(text=CSV, fmt="csv")
    cam = Camera.objects.get(device_id="41020200001320000101")
    assert cam.community == city.community_a1 and cam.unit_grid is not None and cam.direction == 90
    assert Sensor.objects.get(device_id="WATER-0009").type.code == "cover-tilt"
    assert Sensor.objects.get(device_id="WATER-0009").vendor.code == "acme"
    assert len(devices) == 2
    geo = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [114.3331, 34.8031]},
         "properties": {"kind": "camera", "device_id": "41020300001320000102", "name": "清平东口"}}]}
    path = tmp_path / "cams.geojson"
    path.write_text(json.dumps(geo), encoding="utf-8")
    call_command("sensing", "import", str(path))
    assert Camera.objects.get(device_id="41020300001320000102").community == city.community_b1


@pytest.mark.parametrize(
    "line, field",
    [
        ("camera,4102020000132000010,短编码,114.3031,34.8031,,,", "rows[1].device_id"),
        ("sensor,S-1,无类型,114.3031,34.8031,nope,,", "rows[1].type"),
        ("camera,41020200001320000109,城外,113.0,34.0,,,", "rows[1].lng"),
        ("camera,41020200001320000109,朝向错,114.3031,34.8031,,400,", "rows[1].direction"),
        ("sensor,S-2,别家厂商,114.3031,34.8031,cover-tilt,,,nobody-we-know", "rows[1].vendor"),
    ],
)
def test_a_bad_row_names_row_and_column_and_nothing_is_stored(fleet, line, field):
    before = Camera.objects.count() + Sensor.objects.count()
    text = CSV.splitlines()[0] + "\n" + CSV.splitlines()[1] + "\n" + line + "\n"
    with pytest.raises(ValidationError) as exc:
        devices_import(text=text, fmt="csv")
    assert exc.value.field == field
    assert Camera.objects.count() + Sensor.objects.count() == before
