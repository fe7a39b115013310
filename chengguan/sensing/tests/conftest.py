import pytest
import time_machine

from chengguan.cases.testing import T0
from chengguan.grids.testing import make_grids

from ..testing import make_fleet


@pytest.fixture
def frozen():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def fleet(city, frozen, settings, tmp_path):
    make_grids(city)
    return make_fleet(city)
