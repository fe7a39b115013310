"""Codes from any era resolve to a GB/T 47678.5-2026 matter type, or fail naming the field."""

import pytest

from chengguan.catalog.models import LegacyCode, MatterType
from chengguan.catalog.services import matter_for_code
from chengguan.core.errors import DomainError

pytestmark = pytest.mark.django_db


def test_it_accepts_a_new_five_digit_code_and_an_eleven_digit_matter_code():
    assert matter_for_code("06010").name == "暴露垃圾"
    assert matter_for_code(" 41020206010 ").code == "06010"


def test_it_maps_a_legacy_component_code_to_the_component_problem():
    assert matter_for_code("BJ0101").name == "供水井盖异常"
    assert matter_for_code("0118", kind="component").name == "路灯异常"
    assert matter_for_code("0606").code == "01071"  # only a component code: no event 06xx existed


def test_it_maps_a_legacy_event_code_by_name():
    assert matter_for_code("SJ0102").name == "暴露垃圾"
    assert matter_for_code("0501", kind="event").name == "无照经营游商"
    assert matter_for_code("S0201").name == "非法小广告"


def test_it_maps_the_2021_era_dashed_event_codes():
    assert matter_for_code("04-06").name == "占道经营"
    assert matter_for_code("01-10").name == "暴露垃圾"


def test_it_refuses_an_ambiguous_bare_legacy_code():
    with pytest.raises(DomainError) as err:
        matter_for_code("0101")
    assert err.value.field == "matter_code" and err.value.code == "ambiguous_matter_code"


def test_it_refuses_a_legacy_code_without_a_new_equivalent():
    with pytest.raises(DomainError) as err:
        matter_for_code("SJ0199")
    assert err.value.field == "matter_code" and "其他市容环境问题" in err.value.message


@pytest.mark.parametrize("code", ["", "abc", "9999", "99999", "0610", "BJ06010", "07005", None])
def test_it_refuses_unknown_codes(code):
    with pytest.raises(DomainError) as err:
        matter_for_code(code)
    assert err.value.field == "matter_code"


def test_it_refuses_an_inactive_matter():
    MatterType.objects.filter(code="06010").update(is_active=False)
    with pytest.raises(DomainError):
        matter_for_code("06010")


def test_it_ships_the_whole_legacy_crosswalk():
    assert LegacyCode.objects.filter(kind="component").count() == 85
    assert LegacyCode.objects.filter(kind="event").count() == 54
    mapped = LegacyCode.objects.filter(matter__isnull=False).count()
    assert mapped == 139 - 12
