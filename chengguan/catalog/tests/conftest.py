import pytest

from chengguan.conftest import square
from chengguan.core import workcalendar
from chengguan.core.testing import package_knows_up_to_2026  # noqa: F401 - autouse: pins chinesecalendar
from chengguan.grids.models import Component, UnitGrid


@pytest.fixture(autouse=True)
def fresh_calendar():
    workcalendar.clear_cache()
    yield
    workcalendar.clear_cache()


@pytest.fixture
def grid_a1(city):
    """A class-A unit grid in 西门社区 (community A1 of 龙亭区)."""
    return UnitGrid.objects.create(
        code="410202001001001",
        community=city.community_a1,
        geometry=square(114.30, 34.80, 114.305, 34.805),
        management_level="A",
    )


@pytest.fixture
def grid_a2(city):
    return UnitGrid.objects.create(
        code="410202001002001",
        community=city.community_a2,
        geometry=square(114.31, 34.80, 114.315, 34.805),
        management_level="",
    )


@pytest.fixture
def make_component():
    def _make(type_code, unit_grid, *, owner=None, maintainer=None, seq=1):
        from chengguan.catalog.models import ComponentType

        return Component.objects.create(
            code=f"{unit_grid.code[:6]}{type_code}{seq:06d}",
            type=ComponentType.objects.get(code=type_code),
            lng=114.301,
            lat=34.801,
            unit_grid=unit_grid,
            owner=owner,
            maintainer=maintainer,
        )

    return _make
