"""Grid master data: codes validated against the community/district and type, changes by administrators only."""

from datetime import date

import pytest

from chengguan.catalog.models import ComponentType
from chengguan.core.coords import from_storage
from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.grids import services
from chengguan.grids.geocoder import OutsideCity, locate
from chengguan.grids.models import Component, GridEvent, UnitGrid
from chengguan.grids.testing import lattice_square

pytestmark = pytest.mark.django_db

SQUARE = lattice_square(114.30, 34.80, 0.001)


def test_it_creates_a_unit_grid_with_its_area_and_a_history_row(city):
    grid = services.unit_grid_create(
        actor=city["admin"], code="410202001001001", community=city.community_a1, geometry=SQUARE
    )
    assert 10_100 < grid.area_m2 < 10_200  # 0.001° × 0.001° at 34.8°N ≈ 91.5 m × 110.9 m
    event = GridEvent.objects.get(object_code="410202001001001")
    assert (event.action, event.actor) == ("created", city["admin"])
    assert locate(114.3005, 34.8005).unit_grid_code == "410202001001001"


@pytest.mark.parametrize(
    ("code", "field", "message"),
    [
        ("41020200100100", "code", "15"),
        ("41020200100100A", "code", "15"),
        ("410202001002001", "code", "410202001001"),  # the code of 东门社区, not 西门社区
        ("410203001001001", "code", "410202001001"),  # another district
        ("410202001001000", "code", "001"),
    ],
)
def test_it_rejects_a_code_that_does_not_match_its_community(city, code, field, message):
    with pytest.raises(ValidationError) as err:
        services.unit_grid_create(actor=None, code=code, community=city.community_a1, geometry=SQUARE)
    assert err.value.field == field
    assert message in err.value.message
    assert not UnitGrid.objects.exists()


def test_it_puts_unit_grids_only_in_communities(city):
    with pytest.raises(ValidationError) as err:
        services.unit_grid_create(
            actor=None, code="410202001000001", community=city.street_a, geometry=SQUARE
        )
    assert err.value.field == "community"


def test_it_refuses_a_duplicate_code(city):
    services.unit_grid_create(
        actor=None, code="410202001001001", community=city.community_a1, geometry=SQUARE
    )
    with pytest.raises(Conflict):
        services.unit_grid_create(
            actor=None, code="410202001001001", community=city.community_a1, geometry=SQUARE
        )


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": [114.3, 34.8]},
        {
            "type": "Polygon",
            "coordinates": [
                [[114.30, 34.80], [114.31, 34.81], [114.31, 34.80], [114.30, 34.81], [114.30, 34.80]]
            ],
        },
        {"type": "Polygon", "coordinates": "nonsense"},
        {"type": "Polygon", "coordinates": [[[11430, 3480], [11431, 3480], [11431, 3481], [11430, 3480]]]},
        "not a dict",
    ],
)
def test_it_rejects_bad_geometry_naming_the_field(city, geometry):
    with pytest.raises(ValidationError) as err:
        services.unit_grid_create(
            actor=None, code="410202001001001", community=city.community_a1, geometry=geometry
        )
    assert err.value.field == "geometry"


def test_it_converts_a_wgs84_geometry_to_storage(city):
    ring = [from_storage(x, y, "wgs84") for x, y in SQUARE["coordinates"][0]]
    grid = services.unit_grid_create(
        actor=None,
        code="410202001001001",
        community=city.community_a1,
        geometry={"type": "Polygon", "coordinates": [ring]},
        crs="wgs84",
    )
    stored = grid.geometry["coordinates"][0][0]
    assert stored == pytest.approx([114.30, 34.80], abs=1e-7)


@pytest.mark.parametrize("persona", ["supervisor", "outsider", "operator", "nobody"])
def test_only_an_administrator_changes_grids(city, persona):
    with pytest.raises(PermissionDenied):
        services.unit_grid_create(
            actor=city[persona], code="410202001001001", community=city.community_a1, geometry=SQUARE
        )


def test_a_retired_grid_no_longer_locates(city, grid_city):
    grid = grid_city["410202001001001"]
    services.unit_grid_retire(actor=city["admin"], unit_grid=grid, last_day=date(2020, 12, 31))
    with pytest.raises(OutsideCity):
        locate(114.3025, 34.8175)
    with pytest.raises(Conflict):
        services.unit_grid_retire(actor=city["admin"], unit_grid=grid, last_day=date(2020, 12, 31))


def test_a_new_geometry_moves_the_grid(city, grid_city):
    grid = grid_city["410202001001001"]
    services.unit_grid_change_geometry(
        actor=city["admin"], unit_grid=grid, geometry=lattice_square(114.30, 34.815, 0.0025)
    )
    assert locate(114.301, 34.816).unit_grid_code == "410202001001001"
    with pytest.raises(OutsideCity):
        locate(114.304, 34.819)


# --- responsibility grids ---------------------------------------------------------------------------------


def test_a_responsibility_grid_stays_inside_its_region(city, grid_city):
    with pytest.raises(ValidationError) as err:
        services.responsibility_grid_create(
            actor=city["admin"],
            code="RG-X",
            name="越界",
            region=city.street_a,
            unit_grids=[grid_city["410203001001001"]],
        )
    assert err.value.field == "unit_grids"


def test_a_responsibility_grid_is_patrolled_by_supervisors(city, grid_city):
    with pytest.raises(ValidationError) as err:
        services.responsibility_grid_assign(
            actor=city["admin"],
            responsibility_grid=grid_city.responsibility_a,
            supervisors=[city["operator"]],
        )
    assert err.value.field == "supervisors"
    services.responsibility_grid_assign(
        actor=city["admin"],
        responsibility_grid=grid_city.responsibility_a,
        supervisors=[city["supervisor"], city["outsider"]],
    )
    assert grid_city.responsibility_a.supervisors.count() == 2


def test_moving_unit_grids_between_responsibility_grids_updates_the_geocoder(city, grid_city):
    rg = services.responsibility_grid_create(
        actor=city["admin"],
        code="RG-410202-02",
        name="西门北",
        region=city.street_a,
        unit_grids=[grid_city["410202001001001"]],
        supervisors=[city["supervisor"]],
    )
    services.responsibility_grid_set_unit_grids(
        actor=city["admin"],
        responsibility_grid=grid_city.responsibility_a,
        unit_grids=[
            g for g in grid_city.unit_grids if g.code.startswith("410202") and not g.code.endswith("001001")
        ],
    )
    assert locate(114.3025, 34.8175).responsibility_grid_id == rg.pk


# --- components -------------------------------------------------------------------------------------------


def test_it_numbers_components_in_their_district_and_type(city, grid_city):
    cover = ComponentType.objects.get(code="01001")
    first = services.component_create(actor=city["admin"], type=cover, lng=114.3025, lat=34.8175)
    second = services.component_create(actor=city["admin"], type=cover, lng=114.3125, lat=34.8175)
    in_b = services.component_create(actor=city["admin"], type=cover, lng=114.3325, lat=34.8175)
    assert (first.code, second.code, in_b.code) == (
        "41020201001000001",
        "41020201001000002",
        "41020301001000001",
    )
    assert first.unit_grid.code == "410202001001001"
    assert second.unit_grid.code == "410202001002001"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("41020301001000001", "410202"),  # the point is in 龙亭, not 顺河
        ("41020201002000001", "01001"),  # a 污水井盖 code for a 供水井盖
        ("41020201001000000", "000001"),
        ("4102020100100000", "17"),
    ],
)
def test_it_rejects_a_component_id_that_contradicts_place_or_type(city, grid_city, code, message):
    cover = ComponentType.objects.get(code="01001")
    with pytest.raises(ValidationError) as err:
        services.component_create(actor=None, type=cover, lng=114.3025, lat=34.8175, code=code)
    assert err.value.field == "code"
    assert message in err.value.message
    assert not Component.objects.exists()


def test_a_component_outside_the_city_is_refused(city, grid_city):
    lamp = ComponentType.objects.get(code="01037")
    with pytest.raises(OutsideCity):
        services.component_create(actor=None, type=lamp, lng=116.4, lat=39.9)


def test_a_component_changes_status_until_removed(city, grid_city):
    lamp = ComponentType.objects.get(code="01037")
    component = services.component_create(actor=None, type=lamp, lng=114.3025, lat=34.8175)
    services.component_change_status(actor=city["admin"], component=component, status="damaged")
    with pytest.raises(Conflict):
        services.component_change_status(actor=city["admin"], component=component, status="damaged")
    services.component_change_status(actor=city["admin"], component=component, status="removed")
    with pytest.raises(Conflict):
        services.component_change_status(actor=city["admin"], component=component, status="intact")
    with pytest.raises(ValidationError):
        services.component_change_status(actor=city["admin"], component=component, status="exploded")
    assert [e.detail["to"] for e in GridEvent.objects.filter(action="status").order_by("id")] == [
        "damaged",
        "removed",
    ]
