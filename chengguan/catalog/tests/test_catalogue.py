import pytest

from chengguan.catalog.models import ComponentType, MatterType


@pytest.mark.django_db
def test_the_standard_catalogue_is_loaded_by_migration():
    assert ComponentType.objects.count() == 153
    assert MatterType.objects.count() == 250
    assert ComponentType.objects.get(code="01001").name == "供水井盖"
    manhole = MatterType.objects.get(code="01001")
    assert manhole.name == "供水井盖异常" and manhole.component_type.code == "01001"
    garbage = MatterType.objects.get(code="06010")
    assert garbage.name == "暴露垃圾" and not garbage.is_component_problem
