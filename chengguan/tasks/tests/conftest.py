import pytest
import time_machine

from chengguan.cases.testing import T0
from chengguan.core import workcalendar
from chengguan.core.testing import package_knows_up_to_2026  # noqa: F401 - autouse: pins chinesecalendar
from chengguan.org.models import Role, RoleAssignment, User


@pytest.fixture(autouse=True)
def fresh_calendar():
    workcalendar.clear_cache()
    yield
    workcalendar.clear_cache()


@pytest.fixture
def frozen():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def volunteer(city):
    user = User.objects.create_user(username="volunteer", password="pw", full_name="志愿者")
    RoleAssignment.objects.create(user=user, role=Role.VOLUNTEER, region=city.community_a1)
    return user


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"
