import pytest

from chengguan.enforcement.tests.conftest import body, clue, items  # noqa: F401 - the enforcement fixtures
from chengguan.grids.testing import make_grids

from ..models import Asset


@pytest.fixture
def fleet(city):
    make_grids(city)
    return {
        "car_a": Asset.objects.create(kind="vehicle", code="CL-A1", name="执法车A", plate="豫B·A0001",
                                      squad=city.brigade_a),
        "car_b": Asset.objects.create(kind="vehicle", code="CL-B1", name="执法车B", plate="豫B·B0001",
                                      squad=city.brigade_b),
        "cam_a": Asset.objects.create(kind="body_camera", code="JLY-A1", name="记录仪A", device_id="DSJ-A-0001",
                                      squad=city.brigade_a, keeper=city["officer"]),
        "cam_b": Asset.objects.create(kind="body_camera", code="JLY-B1", name="记录仪B", device_id="DSJ-B-0001",
                                      squad=city.brigade_b),
        "kit_a": Asset.objects.create(kind="evidence_kit", code="QZ-A1", name="激光测距仪", squad=city.brigade_a),
    }
