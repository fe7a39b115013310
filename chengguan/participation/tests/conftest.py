from datetime import timedelta

import pytest
import time_machine

from chengguan.cases.testing import T0
from chengguan.core import workcalendar
from chengguan.core.testing import package_knows_up_to_2026  # noqa: F401 - autouse: pins chinesecalendar
from chengguan.enforcement.models import EnforcementBody, EnforcementCase
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
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _light(username, role, region, full_name):
    user = User.objects.create_user(username=username, password="pw", full_name=full_name)
    RoleAssignment.objects.create(user=user, role=role, region=region)
    return user


@pytest.fixture
def volunteer(city):
    """A grid worker of 西门社区 (district A)."""
    return _light("volunteer", Role.VOLUNTEER, city.community_a1, "李网格")


@pytest.fixture
def social_supervisor(city):
    """A people's congress deputy supervising district A."""
    return _light("deputy", Role.SOCIAL_SUPERVISOR, city.district_a, "王代表")


@pytest.fixture
def supervisor_b(city):
    """A social supervisor of the other district: the outsider among supervisors."""
    return _light("deputy_b", Role.SOCIAL_SUPERVISOR, city.district_b, "赵委员")


@pytest.fixture
def closed_case(city):
    """A closed penalty case of district A whose party is a private person (name, phone, ID number)."""
    body = EnforcementBody.objects.create(department=city.bureau, name="开封市城市管理局", short_name="汴城管")
    return EnforcementCase.objects.create(
        clue_number="XS-2026-001", number="汴城管立字〔2026〕7号", body=body, region=city.community_a1,
        department=city.brigade_a, state="closed", source="patrol", title="擅自占用城市道路堆放杂物",
        party_type="individual", party_name="张三丰", party_phone="13800001111",
        party_id_number="410202199001011234", party_address="龙亭区西门大街88号", registered_at=T0 - timedelta(days=30),
        registered_by=city["officer"], outcome="penalty", penalty_kinds=["fine"], fine_amount=500,
        decided_at=T0 - timedelta(days=10), decision_number="汴城管罚决字〔2026〕3号",
    )
