"""The geocoder: a point → unit grid → community → street → district (+ responsibility grid)."""

import pytest

from chengguan.core.coords import from_storage
from chengguan.grids import geocoder
from chengguan.grids.geocoder import OutsideCity, locate, locate_many
from chengguan.grids.models import UnitGrid
from chengguan.grids.testing import lattice_square

pytestmark = pytest.mark.django_db


def test_it_finds_the_grid_and_its_hierarchy(city, grid_city):
    found = locate(114.3025, 34.8175)
    assert found.unit_grid_code == "410202001001001"
    assert found.community_id == city.community_a1.pk
    assert found.street_id == city.street_a.pk
    assert found.district_id == city.district_a.pk
    assert found.responsibility_grid_id == grid_city.responsibility_a.pk
    objects = found.fetch()
    assert objects.community.name == "西门社区"
    assert objects.district.name == "龙亭区"
    assert city["supervisor"] in objects.responsibility_grid.supervisors.all()


def test_it_numbers_west_to_east_then_north_to_south(grid_city):
    assert locate(114.3075, 34.8175).unit_grid_code == "410202001001002"
    assert locate(114.3025, 34.8125).unit_grid_code == "410202001001003"
    assert locate(114.3375, 34.8025).unit_grid_code == "410203001001016"


def test_it_resolves_a_point_on_a_shared_edge_to_exactly_one_grid(grid_city):
    # The half-open rule: a point on a shared edge belongs to the grid east (or north) of it.
    assert locate(114.305, 34.8175).unit_grid_code == "410202001001002"  # edge between 001 | 002
    assert locate(114.3025, 34.815).unit_grid_code == "410202001001001"  # edge between 001 / 003
    assert locate(114.305, 34.815).unit_grid_code == "410202001001002"  # corner shared by four grids
    assert locate(114.31, 34.8175).unit_grid_code == "410202001002001"  # the 西门 | 东门 boundary
    batch = locate_many([(114.305, 34.8175), (114.3025, 34.815), (114.305, 34.815), (114.31, 34.8175)])
    assert [b.unit_grid_code for b in batch] == [
        "410202001001002",
        "410202001001001",
        "410202001001002",
        "410202001002001",
    ]


def test_it_counts_the_outer_edge_of_the_city_as_inside(grid_city):
    assert locate(114.30, 34.80).unit_grid_code == "410202001001007"  # south-west corner
    # On the east edge no grid lies further east: the touching grid with the lowest code takes it.
    assert locate(114.34, 34.81).unit_grid_code == "410203001001008"
    assert locate_many([(114.34, 34.81)])[0].unit_grid_code == "410203001001008"
    with pytest.raises(OutsideCity):
        locate(114.2999999, 34.81)


def test_it_answers_outside_the_city_with_a_clear_error(grid_city):
    with pytest.raises(OutsideCity) as err:
        locate(116.404, 39.915)
    assert err.value.code == "outside_city"
    assert err.value.field == "lng"
    assert err.value.status == 422
    assert locate_many([(116.404, 39.915), (114.3025, 34.8175)])[0] is None


def test_it_accepts_points_in_other_coordinate_systems(grid_city):
    lng, lat = from_storage(114.3025, 34.8175, "wgs84")
    assert (lng, lat) != (114.3025, 34.8175)
    assert locate(lng, lat, crs="wgs84").unit_grid_code == "410202001001001"
    bd = from_storage(114.3025, 34.8175, "bd09")
    assert locate(*bd, crs="bd09").unit_grid_code == "410202001001001"
    assert locate_many([bd], crs="bd09")[0].unit_grid_code == "410202001001001"


def test_it_rejects_an_unknown_coordinate_system(grid_city):
    with pytest.raises(geocoder.ValidationError) as err:
        locate(114.3025, 34.8175, crs="mars")
    assert err.value.field == "crs"


def test_it_sees_a_grid_change_at_once(city, grid_city):
    assert locate(114.3025, 34.8175).unit_grid_code == "410202001001001"
    grid = grid_city["410202001001001"]
    grid.delete()
    with pytest.raises(OutsideCity):
        locate(114.3025, 34.8175)
    UnitGrid.objects.create(
        code="410202001001033", community=city.community_a1, geometry=lattice_square(114.30, 34.815)
    )
    assert locate(114.3025, 34.8175).unit_grid_code == "410202001001033"


def test_it_ignores_grids_that_are_not_valid_today(city, grid_city):
    UnitGrid.objects.filter(code="410202001001001").update(valid_to="2000-12-31")
    geocoder.bump_index_version()
    with pytest.raises(OutsideCity):
        locate(114.3025, 34.8175)


def test_it_notices_a_change_made_by_another_process(grid_city, settings, monkeypatch):
    from chengguan.grids.models import GridIndexVersion

    settings.GRID_INDEX_CHECK_SECONDS = 0
    index = geocoder.current_index()
    monkeypatch.setattr(geocoder, "_pending", False)  # as if everything so far had been committed
    index.provisional = False
    # Another process retires a grid: no signal reaches this process, only the version row changes.
    UnitGrid.objects.filter(code="410202001001001").update(valid_to="2000-12-31")
    assert locate(114.3025, 34.8175).unit_grid_code == "410202001001001"  # not told yet
    GridIndexVersion.objects.filter(pk=1).update(token="changed-elsewhere")
    with pytest.raises(OutsideCity):
        locate(114.3025, 34.8175)


def test_it_checks_the_version_row_at_most_once_per_interval(
    grid_city, settings, monkeypatch, django_assert_num_queries
):
    settings.GRID_INDEX_CHECK_SECONDS = 3600
    index = geocoder.current_index()
    monkeypatch.setattr(geocoder, "_pending", False)
    index.provisional = False
    with django_assert_num_queries(0):
        for _ in range(100):
            locate(114.3025, 34.8175)


def test_it_has_no_grids_before_any_exist(city):
    with pytest.raises(OutsideCity):
        locate(114.3025, 34.8175)


def test_it_locates_arrays_of_points_for_analytics(city, grid_city):
    found = geocoder.locate_arrays([114.3025, 116.4, float("nan"), 114.3325], [34.8175, 39.9, 34.8, 34.8025])
    assert found.unit_grid_id.tolist()[:3] == [grid_city["410202001001001"].pk, -1, -1]
    assert found.district_id.tolist() == [city.district_a.pk, -1, -1, city.district_b.pk]
    assert found.street_id[0] == city.street_a.pk
    assert found.responsibility_grid_id.tolist()[3] == grid_city.responsibility_b.pk


def test_a_reader_never_takes_the_old_index_as_current_while_it_is_rebuilt(grid_city, settings, monkeypatch):
    """One thread invalidates and starts a rebuild; a reader on another thread meanwhile must wait for the new
    index, not return the old one from the lock-free fast path."""
    import copy
    import threading

    settings.GRID_INDEX_CHECK_SECONDS = 3600
    old = geocoder.current_index()
    monkeypatch.setattr(geocoder, "_pending", False)
    old.provisional = False
    building, release = threading.Event(), threading.Event()

    def slow_build(**kwargs):  # no database in the threads: the test database is not shared with them
        building.set()
        assert release.wait(10)
        return copy.copy(old)

    monkeypatch.setattr(geocoder, "build_index", slow_build)
    monkeypatch.setattr(geocoder, "_read_token", lambda: old.token)
    geocoder.invalidate()
    seen = {}
    builder = threading.Thread(target=lambda: seen.setdefault("builder", geocoder.current_index()))
    builder.start()
    assert building.wait(10)
    reader = threading.Thread(target=lambda: seen.setdefault("reader", geocoder.current_index()))
    reader.start()
    reader.join(0.3)
    release.set()
    builder.join(10)
    reader.join(10)
    assert seen["builder"] is not old
    assert seen["reader"] is seen["builder"]


def test_an_invalidation_during_a_rebuild_forces_another_rebuild(grid_city, settings, monkeypatch):
    settings.GRID_INDEX_CHECK_SECONDS = 3600
    geocoder.current_index()
    monkeypatch.setattr(geocoder, "_pending", False)
    real_build = geocoder.build_index
    calls = []

    def build_and_meanwhile_invalidate(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            geocoder.invalidate()  # grids changed again while the first rebuild was reading them
        return real_build(**kwargs)

    monkeypatch.setattr(geocoder, "build_index", build_and_meanwhile_invalidate)
    geocoder.invalidate()
    first = geocoder.current_index()
    first.provisional = False
    second = geocoder.current_index()
    assert len(calls) == 2 and second is not first
