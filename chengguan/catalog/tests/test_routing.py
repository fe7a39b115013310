"""Routing suggestions: the most specific rule wins; component problems default to the maintainer."""

import pytest

from chengguan.catalog.models import MatterType, RoutingRule
from chengguan.catalog.services import suggest_department
from chengguan.org.models import Department

pytestmark = pytest.mark.django_db


@pytest.fixture
def garbage():
    return MatterType.objects.get(code="06010")


def rule(matter, department, **where):
    return RoutingRule.objects.create(matter=matter, department=department, **where)


def test_it_suggests_nothing_without_a_rule(city, garbage, grid_a1):
    assert suggest_department(matter=garbage, unit_grid=grid_a1) is None


def test_it_walks_from_the_matter_alone_down_to_the_unit_grid(city, garbage, grid_a1):
    names = {}
    for code in ("ALL", "CITY", "DIST", "STREET", "COMM", "GRID"):
        names[code] = Department.objects.create(code=code, name=code, kind="disposal", region=city.city)
    rule(garbage, names["ALL"])
    assert suggest_department(matter=garbage, unit_grid=grid_a1).code == "ALL"
    rule(garbage, names["CITY"], region=city.city)
    assert suggest_department(matter=garbage, unit_grid=grid_a1).code == "CITY"
    rule(garbage, names["DIST"], region=city.district_a)
    assert suggest_department(matter=garbage, unit_grid=grid_a1).code == "DIST"
    rule(garbage, names["STREET"], region=city.street_a)
    assert suggest_department(matter=garbage, unit_grid=grid_a1).code == "STREET"
    rule(garbage, names["COMM"], region=city.community_a1)
    assert suggest_department(matter=garbage, unit_grid=grid_a1).code == "COMM"
    rule(garbage, names["GRID"], unit_grid=grid_a1)
    assert suggest_department(matter=garbage, unit_grid=grid_a1).code == "GRID"
    # A place elsewhere in the city only sees the city-wide rule.
    assert suggest_department(matter=garbage, region=city.community_b1).code == "CITY"
    # Without any place only the rules without a place apply.
    assert suggest_department(matter=garbage).code == "ALL"


def test_it_ignores_rules_of_another_district_and_of_other_matters(city, garbage, grid_a1):
    rule(garbage, city.roads, region=city.district_b)
    rule(MatterType.objects.get(code="06011"), city.roads, region=city.district_a)
    rule(garbage, city.sanitation, region=city.city)
    assert suggest_department(matter=garbage, unit_grid=grid_a1) == city.sanitation


def test_it_breaks_ties_by_priority(city, garbage, grid_a1):
    rule(garbage, city.roads, region=city.district_a)
    rule(garbage, city.sanitation_unit, region=city.district_a, priority=5)
    assert suggest_department(matter=garbage, unit_grid=grid_a1) == city.sanitation_unit


def test_it_skips_inactive_rules_and_departments(city, garbage, grid_a1):
    rule(garbage, city.sanitation, region=city.city)
    rule(garbage, city.roads, region=city.district_a, is_active=False)
    rule(garbage, city.sanitation_unit, region=city.street_a)
    city.sanitation_unit.is_active = False
    city.sanitation_unit.save()
    assert suggest_department(matter=garbage, unit_grid=grid_a1) == city.sanitation


def test_it_defaults_a_component_problem_to_the_maintainer_then_the_owner(city, grid_a1, make_component):
    matter = MatterType.objects.get(code="01001")
    rule(matter, city.bureau, region=city.city)
    cover = make_component("01001", grid_a1, owner=city.roads, maintainer=city.sanitation_unit)
    assert suggest_department(matter=matter, component=cover) == city.sanitation_unit
    owned_only = make_component("01001", grid_a1, owner=city.roads, seq=2)
    assert suggest_department(matter=matter, component=owned_only) == city.roads
    nobody = make_component("01001", grid_a1, seq=3)
    assert suggest_department(matter=matter, component=nobody) == city.bureau


def test_it_lets_a_district_rule_beat_the_components_maintainer(city, grid_a1, make_component):
    matter = MatterType.objects.get(code="01001")
    cover = make_component("01001", grid_a1, maintainer=city.sanitation_unit)
    rule(matter, city.roads, region=city.district_a)
    assert suggest_department(matter=matter, component=cover) == city.roads


def test_it_refuses_a_rule_for_both_a_region_and_a_grid(city, garbage, grid_a1):
    from django.core.exceptions import ValidationError

    both = RoutingRule(matter=garbage, department=city.roads, region=city.city, unit_grid=grid_a1)
    with pytest.raises(ValidationError):
        both.full_clean()
