"""The demo geography of Kaifeng, on a reduced scale (two districts, big cells) to stay fast."""

from io import StringIO

import pytest

from chengguan.grids import demo
from chengguan.grids.checks import check_grids
from chengguan.grids.geocoder import locate
from chengguan.grids.models import Component, ResponsibilityGrid, UnitGrid
from chengguan.org import demo as org_demo
from chengguan.org.models import Region, Role, RoleAssignment, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_demo(monkeypatch):
    monkeypatch.setattr(
        demo,
        "STREETS",
        {
            "410203": (["清平街道", "铁塔街道"], ["土柏岗乡"]),
            "410205": (["三里堡街道"], ["南郊乡", "汪屯乡"]),
        },
    )
    monkeypatch.setattr(demo, "URBAN_CELL_M2", 200_000)
    monkeypatch.setattr(demo, "OUTER_CELL_M2", 2_000_000)
    monkeypatch.setattr(demo, "RESPONSIBILITY_GRIDS", 8)
    monkeypatch.setattr(demo, "SUPERVISORS", 19)
    monkeypatch.setattr(
        demo, "COMPONENTS", [("01001", "KF-WATER", "KF-WATER-NET", 5), ("01037", "KF-LIGHT", "KF-LIGHT", 5)]
    )
    org_demo.load(stdout=StringIO())
    out = StringIO()
    demo.load(stdout=out)
    return out.getvalue()


def test_it_builds_streets_communities_and_grids_that_nest(small_demo):
    streets = Region.objects.filter(level="street").order_by("code")
    assert [s.code for s in streets] == [
        "410203001000",
        "410203002000",
        "410203201000",
        "410205001000",
        "410205201000",
        "410205202000",
    ]
    assert streets.get(code="410203201000").name == "土柏岗乡"
    for street in streets:
        communities = street.children.all()
        assert 2 <= communities.count() <= 4
        assert all(c.code.startswith(street.code[:9]) for c in communities)
        assert street.population and street.area_m2
    villages = Region.objects.get(code="410203201000").children.all()
    assert all(v.name.endswith("村") and v.code[9] == "2" for v in villages)
    for grid in UnitGrid.objects.select_related("community")[:200]:
        assert grid.code[:12] == grid.community.code
    report = check_grids()
    assert report.ok, report.as_dict()


def test_it_assigns_responsibility_grids_and_supervisors(small_demo):
    assert ResponsibilityGrid.objects.count() == 8
    assert UnitGrid.objects.filter(responsibility_grids__isnull=True).count() == 0  # every grid is patrolled
    supervisors = User.objects.filter(username__regex=r"^sup\d{3}$")
    assert supervisors.count() == 19
    assignment = RoleAssignment.objects.get(user__username="sup001")
    assert assignment.role == Role.SUPERVISOR and assignment.region.level == "street"
    assert supervisors.first().check_password("Demo@2026")
    counts = sorted(rg.supervisors.count() for rg in ResponsibilityGrid.objects.all())
    assert counts == [2] * 5 + [3] * 3


def test_components_have_valid_ids_in_their_grid(small_demo):
    assert Component.objects.count() == 10
    for component in Component.objects.select_related("unit_grid", "type"):
        assert component.code[:6] == component.unit_grid.code[:6]
        assert component.code[6:11] == component.type.code
        assert locate(component.lng, component.lat).unit_grid_id == component.unit_grid_id


def test_loading_twice_changes_nothing(small_demo):
    before = (Region.objects.count(), UnitGrid.objects.count(), User.objects.count())
    out = StringIO()
    demo.load(stdout=out)
    assert "already loaded" in out.getvalue()
    assert (Region.objects.count(), UnitGrid.objects.count(), User.objects.count()) == before
