"""Admins maintain the catalogue: local extension types, conditions, time limits and routing rules."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from chengguan.catalog.models import ComponentType, MatterType, RoutingRule, TimeLimit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["componenttype", "mattertype", "filingcondition", "timelimit", "routingrule", "legacycode"]
)
def test_it_lists_every_catalogue_table_for_the_admin(city, login, model):
    client = login(city["admin"])
    assert client.get(reverse(f"admin:catalog_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:catalog_{model}_add")).status_code == 200


def test_it_keeps_the_catalogue_admin_from_everyone_else(city, login):
    for persona in ("dispatcher", "outsider", "nobody"):
        response = login(city[persona]).get(reverse("admin:catalog_timelimit_changelist"))
        assert response.status_code == 302 and "login" in response["Location"]


def test_it_lets_the_admin_add_a_local_extension_matter(city, login):
    client = login(city["admin"])
    response = client.post(
        reverse("admin:catalog_mattertype_add"),
        {
            "code": "21001",
            "name": "违规投放共享电单车",
            "major_code": "21",
            "major_name": "扩展事项类",
            "is_extension": "on",
            "is_active": "on",
            "filing_conditions-TOTAL_FORMS": "1",
            "filing_conditions-INITIAL_FORMS": "0",
            "filing_conditions-0-code": "2100101",
            "filing_conditions-0-text": "未经许可在公共场所投放共享电单车",
            "filing_conditions-0-closing_text": "车辆已清理",
            "filing_conditions-0-default_severity": "normal",
            "filing_conditions-0-is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    matter = MatterType.objects.get(code="21001")
    assert matter.is_extension and matter.filing_conditions.get().code == "2100101"


def test_it_refuses_an_extension_that_takes_a_standard_code_or_a_wrong_major():
    taken = MatterType(code="06010", name="x", major_code="06", major_name="x", is_extension=True)
    with pytest.raises(ValidationError) as err:
        taken.full_clean()
    assert "code" in err.value.message_dict
    wrong_major = ComponentType(
        code="21001", name="防蚊闸", major_code="01", major_name="x", is_extension=True
    )
    with pytest.raises(ValidationError) as err:
        wrong_major.full_clean()
    assert "major_code" in err.value.message_dict
    unmarked = ComponentType(code="21001", name="防蚊闸", major_code="21", major_name="扩展部件")
    with pytest.raises(ValidationError) as err:
        unmarked.full_clean()
    assert "is_extension" in err.value.message_dict
    ComponentType(
        code="21001", name="防蚊闸", major_code="21", major_name="扩展部件", is_extension=True
    ).full_clean()


def test_it_keeps_the_national_entries_code_and_name(city, login):
    client = login(city["admin"])
    garbage = MatterType.objects.get(code="06010")
    url = reverse("admin:catalog_mattertype_change", args=[garbage.pk])
    page = client.get(url).content.decode()
    assert 'name="code"' not in page and 'name="is_active"' in page
    assert client.get(reverse("admin:catalog_mattertype_delete", args=[garbage.pk])).status_code == 403


def test_it_lets_the_admin_change_a_default_time_limit(city, login):
    client = login(city["admin"])
    row = TimeLimit.objects.get(step="accept", severity="", area_class="", filing_condition=None)
    response = client.post(
        reverse("admin:catalog_timelimit_change", args=[row.pk]),
        {"step": "accept", "severity": "", "area_class": "", "amount": "15", "unit": "minutes", "note": ""},
    )
    assert response.status_code == 302
    from chengguan.catalog.services import step_time_limit

    assert step_time_limit("accept") == (15.0, "minutes")


def test_it_lets_the_admin_add_a_district_routing_rule(city, login):
    client = login(city["admin"])
    response = client.post(
        reverse("admin:catalog_routingrule_add"),
        {
            "matter": MatterType.objects.get(code="06010").pk,
            "region": city.district_a.pk,
            "department": city.sanitation_unit.pk,
            "priority": "0",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert RoutingRule.objects.get().region == city.district_a


def test_it_speaks_chinese_by_default(city, login):
    from django.utils import translation

    from chengguan.catalog.models import UNIT_LABELS, Severity

    with translation.override("zh-hans"):
        assert str(Severity.PRESSING.label) == "较急"
        assert str(UNIT_LABELS["working_hours"]) == "工作小时"
        assert str(TimeLimit._meta.verbose_name_plural) == "时限配置"
    page = login(city["admin"]).get(reverse("admin:catalog_routingrule_changelist")).content.decode()
    assert "派遣规则" in page
