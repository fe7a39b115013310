"""Staffing per district: officers per 10,000 residents and assistants per officer against local norms."""

from datetime import date
from decimal import Decimal

import pytest

from chengguan.patrol.models import Body, Norm
from chengguan.patrol.selectors.staff import staffing_report

from .conftest import person

DAY = date(2026, 3, 1)


@pytest.fixture
def small_city(city, staff):
    """District A: 4,000 residents, officers officer + officer2 (certified), 3 assistants.
    District B: 10,000 residents, officer_b (certified) and one assistant."""
    city.district_a.population = 4_000
    city.district_a.save()
    city.district_b.population = 10_000
    city.district_b.save()
    person("assistant_b", Body.ASSISTANT, city.district_b)
    return city


def rows_by_region(actor):
    return {row.region.name: row for row in staffing_report(actor, DAY)}


def test_it_applies_the_national_defaults_without_local_norms(small_city):
    rows = rows_by_region(small_city["leader"])
    a = rows["龙亭区"]
    assert (a.officers, a.certified, a.assistants) == (2, 2, 3)
    assert a.required_officers == 2  # ceil(4,000 × 5 / 10,000)
    assert a.officers_per_10k == Decimal("5.00")
    assert a.officers_ok is True
    assert a.assistant_bound == 2 and a.assistants_ok is False  # at most one assistant per officer
    assert a.assistants_per_officer == Decimal("1.50")
    b = rows["顺河回族区"]
    assert (b.officers, b.assistants, b.required_officers, b.officers_ok, b.assistants_ok) == (
        1,
        1,
        5,
        False,
        True,
    )


def test_it_follows_a_local_norm_with_district_overrides(small_city):
    # Kaifeng: 6 officers per 10,000; districts need at least 1.5 assistants per officer.
    Norm.objects.create(region=small_city.city, officers_per_10k=6)
    Norm.objects.create(
        region=small_city.district_a,
        officers_per_10k=6,
        assistant_ratio_rule=Norm.RatioRule.AT_LEAST,
        assistants_per_officer=Decimal("1.5"),
    )
    rows = rows_by_region(small_city["leader"])
    a = rows["龙亭区"]
    assert a.required_officers == 3  # ceil(2.4)
    assert a.officers_ok is False
    assert a.assistant_bound == 3 and a.assistants_ok is True  # at least ceil(2 × 1.5)
    b = rows["顺河回族区"]
    assert b.norm.region == small_city.city  # inherited
    assert b.required_officers == 6


def test_the_city_row_totals_every_district(small_city):
    rows = rows_by_region(small_city["leader"])
    total = rows["开封市"]
    assert total.is_total
    assert (total.officers, total.assistants) == (3, 4)
    assert total.required_officers == 500  # 1,000,000 residents × 5 / 10,000


def test_only_certified_officers_count_as_certified_and_expiry_windows_are_cumulative(small_city):
    person("soon", Body.OFFICER, small_city.district_a, certified_until=date(2026, 3, 20))  # 19 days
    person("later", Body.OFFICER, small_city.district_a, certified_until=date(2026, 5, 15))  # 75 days
    person("lapsed", Body.OFFICER, small_city.district_a, certified_until=date(2026, 2, 1))
    person("rookie", Body.OFFICER, small_city.district_a)  # no certificate yet
    a = rows_by_region(small_city["leader"])["龙亭区"]
    assert (a.officers, a.certified, a.uncertified, a.expired) == (6, 4, 2, 1)
    assert a.expiring == {30: 1, 60: 1, 90: 2}
    assert not a.ok


def test_people_who_left_are_not_counted(small_city):
    person("gone", Body.ASSISTANT, small_city.district_a, hired_on=date(2020, 1, 1), left_on=date(2026, 2, 1))
    assert rows_by_region(small_city["leader"])["龙亭区"].assistants == 3


def test_it_flags_an_assistant_holding_the_officer_role(small_city):
    from chengguan.org.models import RoleAssignment

    RoleAssignment.objects.create(user=small_city["assistant"], role="officer", region=small_city.district_a)
    a = rows_by_region(small_city["leader"])["龙亭区"]
    assert [code for _p, code in a.anomalies] == ["assistant_officer_role"]


def test_a_district_sees_only_its_own_row_and_outsiders_see_nothing(small_city, staff):
    district_leader = person("leader_a", Body.OTHER, small_city.district_a, role="leader")
    assert list(rows_by_region(district_leader)) == ["龙亭区"]
    assert rows_by_region(small_city["outsider"]) == {}
    assert rows_by_region(small_city["officer"]) == {}
