"""Master data in the admin: the same code rules as the services, history rows, the geocoder follows."""

import json

import pytest

from chengguan.grids.geocoder import locate
from chengguan.grids.models import Component, GridEvent, UnitGrid
from chengguan.grids.testing import lattice_square

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["unitgrid", "responsibilitygrid", "component", "gridevent"])
def test_the_admin_lists_every_model(city, grid_city, login, model):
    assert login(city["admin"]).get(f"/admin/grids/{model}/").status_code == 200


def test_an_administrator_adds_a_unit_grid_and_the_geocoder_knows_it(city, login):
    response = login(city["admin"]).post(
        "/admin/grids/unitgrid/add/",
        {
            "code": "410202001001001",
            "community": city.community_a1.pk,
            "geometry": json.dumps(lattice_square(114.30, 34.80, 0.001)),
            "land_use": "R",
            "management_level": "A",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    grid = UnitGrid.objects.get(code="410202001001001")
    assert grid.area_m2 > 10_000
    assert GridEvent.objects.filter(object_code=grid.code, action="created").exists()
    assert locate(114.3005, 34.8005).unit_grid_code == grid.code


def test_the_admin_refuses_a_code_of_another_community(city, login):
    response = login(city["admin"]).post(
        "/admin/grids/unitgrid/add/",
        {
            "code": "410202001002001",
            "community": city.community_a1.pk,
            "geometry": json.dumps(lattice_square(114.30, 34.80, 0.001)),
        },
    )
    assert response.status_code == 200
    assert "410202001001" in response.content.decode()
    assert not UnitGrid.objects.exists()


def test_the_admin_places_a_component_in_its_grid(city, grid_city, login):
    from chengguan.catalog.models import ComponentType

    lamp = ComponentType.objects.get(code="01037")
    response = login(city["admin"]).post(
        "/admin/grids/component/add/",
        {
            "code": "41020201037000001",
            "type": lamp.pk,
            "lng": "114.3025",
            "lat": "34.8175",
            "status": "intact",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Component.objects.get().unit_grid.code == "410202001001001"


def test_the_admin_refuses_a_component_id_of_another_district(city, grid_city, login):
    from chengguan.catalog.models import ComponentType

    lamp = ComponentType.objects.get(code="01037")
    response = login(city["admin"]).post(
        "/admin/grids/component/add/",
        {
            "code": "41020301037000001",
            "type": lamp.pk,
            "lng": "114.3025",
            "lat": "34.8175",
            "status": "intact",
        },
    )
    assert response.status_code == 200
    assert not Component.objects.exists()


def test_people_without_admin_rights_do_not_get_in(city, login):
    assert login(city["supervisor"]).get("/admin/grids/unitgrid/").status_code == 302
