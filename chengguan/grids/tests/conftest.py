import pytest

from chengguan.grids.testing import make_grids


@pytest.fixture
def grid_city(city):
    return make_grids(city)
