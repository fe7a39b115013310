import sqlite3

import pytest
from django.core.management import CommandError, call_command

from chengguan.core.errors import ValidationError
from chengguan.geo import basemaps
from chengguan.geo.render import Scene, build_mbtiles

pytestmark = pytest.mark.django_db


@pytest.fixture
def maps_dir(settings, tmp_path):
    settings.MAPS_DIR = tmp_path / "maps"
    return settings.MAPS_DIR


@pytest.fixture
def small_mbtiles(gazetteer, tmp_path):
    target = tmp_path / "small.mbtiles"
    done = build_mbtiles(target, min_zoom=12, max_zoom=14, detail_from=13, scene=Scene.from_database())
    assert done["tiles"] > 0
    return target


def test_a_rendered_pyramid_is_registered_and_served_with_caching_headers(maps_dir, small_mbtiles, client):
    call_command("maps", "add", str(small_mbtiles), "--name", "streets", "--crs", "gcj02", "--label", "矢量")
    config = basemaps.layer_config()
    assert [(b["id"], b["crs"], b["label"]) for b in config["bases"]] == [("streets", "gcj02", "矢量")]
    url = config["bases"][0]["tiles"][0]["url"]
    assert url == "/maps/tiles/streets/{z}/{x}/{y}.png"
    con = sqlite3.connect(maps_dir / "streets.mbtiles")
    z, x, row = con.execute("SELECT zoom_level, tile_column, tile_row FROM tiles WHERE zoom_level = 14 LIMIT 1").fetchone()
    con.close()
    y = (1 << z) - 1 - row  # MBTiles rows count from the south
    response = client.get(f"/maps/tiles/streets/{z}/{x}/{y}.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG") and "max-age" in response["Cache-Control"]
    again = client.get(f"/maps/tiles/streets/{z}/{x}/{y}.png", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    empty = client.get("/maps/tiles/streets/3/1/1.png")  # outside the pyramid: a transparent tile, not an error
    assert empty.status_code == 200 and empty.content != response.content
    assert client.get("/maps/tiles/nothing/3/1/1.png").status_code == 404


def test_a_malformed_file_is_refused_with_its_reason_and_nothing_changes(maps_dir, small_mbtiles, tmp_path):
    basemaps.add_mbtiles(small_mbtiles, name="streets", crs="gcj02")
    before = basemaps.registered()
    text = tmp_path / "notes.mbtiles"
    text.write_text("not a database")
    with pytest.raises(ValidationError, match="not an MBTiles file"):
        basemaps.add_mbtiles(text, name="notes", crs="gcj02")
    empty_db = tmp_path / "empty.mbtiles"
    sqlite3.connect(empty_db).execute("CREATE TABLE x (a)").connection.commit()
    with pytest.raises(ValidationError, match="no such table"):
        basemaps.add_mbtiles(empty_db, name="empty", crs="gcj02")
    with pytest.raises(ValidationError, match="exists"):
        basemaps.add_mbtiles(small_mbtiles, name="streets", crs="wgs84")
    with pytest.raises(CommandError, match="not an MBTiles file"):
        call_command("maps", "add", str(text), "--name", "notes", "--crs", "wgs84")
    assert basemaps.registered() == before
    assert sorted(p.name for p in maps_dir.iterdir()) == ["layers.json", "streets.mbtiles"]


def test_tianditu_and_xyz_presets_declare_their_coordinate_system(maps_dir, settings):
    settings.TIANDITU_KEY = "k123"
    settings.MAP_TILE_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    settings.MAP_TILE_CRS = "wgs84"
    bases = basemaps.layer_config()["bases"]
    assert [(b["id"], b["crs"]) for b in bases] == [("tdt-vec", "cgcs2000"), ("tdt-img", "cgcs2000"), ("xyz", "wgs84")]
    vec = bases[0]["tiles"]
    assert "vec_w" in vec[0]["url"] and "cva_w" in vec[1]["url"] and "tk=k123" in vec[1]["url"]
    settings.TIANDITU_KEY = ""
    settings.MAP_TILE_URL = ""
    assert basemaps.layer_config()["bases"] == []


def test_the_page_policy_lets_tianditu_tiles_in_only_with_a_key(settings):
    from chengguan.core.middleware import build_policy

    settings.MAP_TILE_URL = ""
    settings.TIANDITU_KEY = ""
    assert "tianditu" not in build_policy()
    settings.TIANDITU_KEY = "k123"
    assert "img-src 'self' data: blob: https://*.tianditu.gov.cn;" in build_policy()
