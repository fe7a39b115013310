"""`chengguan grids generate|check|import|export`."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from chengguan.grids.geocoder import locate
from chengguan.grids.geometry import area_m2, to_shape
from chengguan.grids.models import ResponsibilityGrid, UnitGrid
from chengguan.grids.testing import lattice_square
from chengguan.org.models import Region

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("grids", *args, stdout=out, stderr=out)
    return out.getvalue()


def run_failing(*args) -> tuple[str, CommandError]:
    out = StringIO()
    with pytest.raises(CommandError) as err:
        call_command("grids", *args, stdout=out, stderr=out)
    return out.getvalue(), err.value


# --- generate ---------------------------------------------------------------------------------------------


def test_it_covers_a_district_with_cells_numbered_west_to_east_north_to_south(city):
    out = run("generate", "--region", "410202", "--cell-area", "100000")
    grids = list(UnitGrid.objects.filter(community=city.community_a1).order_by("code"))
    assert "generated" in out
    # 西门社区 is 0.01° × 0.02° ≈ 915 m × 2,219 m ≈ 2.03 km² → about 20 cells of 0.1 km²
    assert 18 <= len(grids) <= 30
    community_area = area_m2(to_shape(city.community_a1.boundary))
    assert sum(g.area_m2 for g in grids) == pytest.approx(community_area, rel=1e-4)
    first, second = grids[0], grids[1]
    # 001 is in the north-west corner; 002 is east of it on the same row
    f_ring, s_ring = first.geometry["coordinates"][0], second.geometry["coordinates"][0]
    assert max(p[1] for p in f_ring) == pytest.approx(34.82)
    assert min(p[0] for p in f_ring) == pytest.approx(114.30)
    assert min(p[0] for p in s_ring) > min(p[0] for p in f_ring)
    assert max(p[1] for p in s_ring) == pytest.approx(34.82)
    assert locate(114.3001, 34.8199).unit_grid_code == "410202001001001"
    assert "OK" in run("check", "--region", "410202")


def test_generated_cells_have_about_the_requested_area(city):
    run("generate", "--region", "410203001001", "--cell-area", "10000")
    areas = sorted(UnitGrid.objects.values_list("area_m2", flat=True))
    median = areas[len(areas) // 2]
    assert 9_900 < median < 10_100
    assert min(areas) >= 2_000  # slivers were merged into neighbours


def test_it_refuses_to_generate_over_existing_grids_unless_told(city):
    run("generate", "--region", "410202", "--cell-area", "200000")
    before = UnitGrid.objects.count()
    _out, err = run_failing("generate", "--region", "410202", "--cell-area", "100000")
    assert "replace" in str(err)
    assert UnitGrid.objects.count() == before
    run("generate", "--region", "410202", "--cell-area", "100000", "--replace")
    assert UnitGrid.objects.count() > before


def test_it_refuses_more_than_999_grids_in_a_community(city):
    _out, err = run_failing("generate", "--region", "410203", "--cell-area", "1000")
    assert "999" in str(err)
    assert not UnitGrid.objects.exists()


def test_it_names_an_unknown_region(city):
    _out, err = run_failing("generate", "--region", "999999")
    assert "999999" in str(err)


# --- check ------------------------------------------------------------------------------------------------


def test_check_finds_an_injected_overlap(city, grid_city):
    assert "OK" in run("check")
    UnitGrid.objects.create(
        code="410202001001033", community=city.community_a1, geometry=lattice_square(114.3025, 34.8125)
    )
    out, err = run_failing("check")
    assert err.returncode == 1
    assert "410202001001001 × 410202001001033" in out
    # a quarter of a 0.005° square overlaps each of four grids: ≈ 254,000 m² / 4 each
    report = json.loads(run_failing("check", "--json")[0])
    pairs = {(o["a"], o["b"]): o["m2"] for o in report["overlaps"]}
    assert len(pairs) == 4
    assert report["crossing"] == [] and report["uncovered"] == []
    assert pairs[("410202001001001", "410202001001033")] == pytest.approx(63_450, rel=0.01)


def test_check_finds_an_injected_gap(city, grid_city):
    grid_city["410203001001006"].delete()
    out, err = run_failing("check", "--region", "410203")
    assert "410203001001" in out
    report = json.loads(run_failing("check", "--json", "--region", "410203")[0])
    assert report["uncovered"][0]["community"] == "410203001001"
    assert report["uncovered_m2"] == pytest.approx(253_800, rel=0.01)
    assert report["overlaps"] == []


def test_check_finds_a_grid_reaching_into_the_next_community(city, grid_city):
    grid = grid_city["410202001001002"]  # 114.305–114.310: make it reach 114.312 (into 东门社区)
    grid.geometry = {
        "type": "Polygon",
        "coordinates": [
            [[114.305, 34.815], [114.312, 34.815], [114.312, 34.82], [114.305, 34.82], [114.305, 34.815]]
        ],
    }
    grid.save()
    report = json.loads(run_failing("check", "--json")[0])
    assert [c["grid"] for c in report["crossing"]] == ["410202001001002"]
    assert report["crossing"][0]["community"] == "410202001001"


def test_check_finds_an_invalid_geometry(city, grid_city):
    bowtie = [[114.30, 34.815], [114.305, 34.82], [114.305, 34.815], [114.30, 34.82], [114.30, 34.815]]
    UnitGrid.objects.filter(code="410202001001001").update(
        geometry={"type": "Polygon", "coordinates": [bowtie]}
    )
    report = json.loads(run_failing("check", "--json")[0])
    assert report["invalid"][0]["grid"] == "410202001001001"
    assert "Self-intersection" in report["invalid"][0]["reason"]


# --- import / export --------------------------------------------------------------------------------------


def test_it_round_trips_unit_grids_through_geojson(city, grid_city, tmp_path):
    path = tmp_path / "grids.geojson"
    run("export", "--kind", "unit_grids", "--crs", "wgs84", "-o", str(path))
    data = json.loads(path.read_text())
    assert data["chengguan"] == {"kind": "unit_grids", "crs": "wgs84"}
    assert len(data["features"]) == 32
    UnitGrid.objects.filter(code__startswith="410203").delete()
    out = run("import", str(path))
    assert "8 new" not in out and "16 new, 16 updated" in out
    grid = UnitGrid.objects.get(code="410203001001001")
    assert grid.geometry["coordinates"][0][0] == pytest.approx([114.32, 34.815], abs=1e-7)
    assert locate(114.3225, 34.8175).unit_grid_code == "410203001001001"


def test_a_failed_import_changes_nothing_and_names_the_features(city, grid_city, tmp_path):
    good = lattice_square(114.30, 34.80, 0.001)
    features = [
        {"type": "Feature", "properties": {"code": "410202001001100"}, "geometry": good},
        {"type": "Feature", "properties": {"code": "410202001009001"}, "geometry": good},
        {
            "type": "Feature",
            "properties": {"code": "410202001001101"},
            "geometry": {"type": "Point", "coordinates": [1, 2]},
        },
        {
            "type": "Feature",
            "properties": {"code": "410202001001102", "valid_from": "yesterday"},
            "geometry": good,
        },
    ]
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    out, err = run_failing("import", str(path))
    assert "nothing was changed" in str(err)
    assert "feature 2 (410202001009001): no community" in out
    assert "feature 3 (410202001001101)" in out
    assert "feature 4" in out and "yesterday" in out
    assert "feature 1" not in out
    assert not UnitGrid.objects.filter(code="410202001001100").exists()


def test_a_broken_file_reports_its_line(city, tmp_path):
    path = tmp_path / "broken.geojson"
    path.write_text('{"type": "FeatureCollection",\n "features": [\n  {"type": "Feature",, }\n]}')
    out, err = run_failing("import", str(path), "--kind", "unit_grids")
    assert "line 3" in str(err) or "line 3" in out


def test_it_imports_streets_and_communities_as_regions(city, tmp_path):
    features = [
        {
            "type": "Feature",
            "properties": {"code": "410202002001", "name": "午朝门社区", "population": 5000},
            "geometry": lattice_square(114.30, 34.79, 0.01),
        },
        {"type": "Feature", "properties": {"code": "410202002000", "name": "午朝门街道"}, "geometry": None},
    ]
    path = tmp_path / "regions.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    assert "2 new" in run("import", str(path))
    community = Region.objects.get(code="410202002001")
    assert community.parent.code == "410202002000"
    assert community.parent.parent == city.district_a
    assert community.level == "community"
    assert 1_000_000 < community.area_m2 < 1_030_000


def test_it_round_trips_responsibility_grids(city, grid_city, tmp_path):
    path = tmp_path / "rg.geojson"
    run("export", "--kind", "responsibility_grids", "-o", str(path))
    data = json.loads(path.read_text())
    feature = data["features"][0]
    assert feature["properties"]["supervisors"] == ["supervisor"]
    assert feature["geometry"]["type"] == "Polygon"  # the union of its 16 unit grids
    feature["properties"]["unit_grids"] = feature["properties"]["unit_grids"][:3]
    feature["properties"]["code"] = "RG-NEW"
    path.write_text(json.dumps(data))
    assert "1 new, 1 updated" in run("import", str(path))
    assert ResponsibilityGrid.objects.get(code="RG-NEW").unit_grids.count() == 3


def test_a_responsibility_grid_import_checks_people_and_grids(city, grid_city, tmp_path):
    feature = {
        "type": "Feature",
        "properties": {
            "code": "RG-BAD",
            "name": "坏",
            "region": "410202001000",
            "unit_grids": ["410203001001001", "410202001001999"],
            "supervisors": ["operator"],
        },
        "geometry": None,
    }
    path = tmp_path / "rg.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    out, _err = run_failing("import", str(path))
    assert "unknown unit grids: 410202001001999" in out
    assert "outside 410202001000: 410203001001001" in out
    assert "not supervisors: operator" in out
