"""Fixtures for the case loop: grids over the `city` fixture, a frozen working Tuesday, and `walk` to put a
case into any state through the real services (so every setup is itself a legal history)."""

import pytest
import time_machine

from chengguan.catalog.models import MatterType
from chengguan.grids.testing import make_grids

from ..evidence import attachment_create
from ..testing import POINT_A, POINT_B, T0, TZ, Upload, Walker, png_bytes, report

__all__ = ["POINT_A", "POINT_B", "T0", "TZ", "Upload", "Walker", "png_bytes", "report"]


@pytest.fixture
def frozen():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def grids(city):
    return make_grids(city)


@pytest.fixture
def garbage():
    return MatterType.objects.get(code="06010")  # 暴露垃圾


@pytest.fixture
def photo(city):
    def _photo(user, kind="after"):
        return attachment_create(actor=user, file=Upload(png_bytes()), kind=kind)

    return _photo


@pytest.fixture
def walk(city, grids, garbage, frozen):
    return Walker(city, garbage)
