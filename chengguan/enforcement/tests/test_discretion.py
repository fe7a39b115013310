from decimal import Decimal

import pytest

from chengguan.core.errors import ValidationError
from chengguan.enforcement.discretion import check_choice, clean_facts, departs, suggest
from chengguan.enforcement.models import DiscretionFactor
from chengguan.enforcement.services.powers import benchmarks_export, benchmarks_import


def s(item, party="organisation", **facts):
    return suggest(item, clean_facts(facts), party_type=party)


def test_it_suggests_the_band_whose_conditions_hold(items):
    road = items["road"]
    assert (s(road, area_m2=5).level, s(road, area_m2=5).amount_max) == ("minor", Decimal("2000"))
    general = s(road, area_m2=30)
    assert (general.level, general.amount_min, general.amount_max) == ("general", Decimal("2000"), Decimal("8000"))
    assert s(road, area_m2=60).level == "serious"
    assert s(road, area_m2=5, harm="serious").level == "severe"  # the most severe matching band wins


def test_it_moves_the_level_with_aggravating_and_mitigating_factors(items):
    road = items["road"]
    up = s(road, area_m2=30, factors=["repeat"])
    assert up.level == "serious" and any("一年内" in r for r in up.reasons)
    down = s(road, area_m2=30, factors=["eliminated_harm"])
    assert down.level == "minor"
    both = s(road, area_m2=30, factors=["eliminated_harm", "obstruction"])
    assert both.level == "general"
    assert s(road, area_m2=60, factors=["repeat", "large_impact", "obstruction"]).level == "severe"  # capped


def test_an_item_specific_factor_overrides_the_global_one(items):
    DiscretionFactor.objects.create(item=items["road"], kind="aggravating", code="repeat", label="多次占道",
                                    shift=2)
    assert s(items["road"], area_m2=5, factors=["repeat"]).level == "serious"


def test_it_refuses_unknown_factors_and_bad_facts(items):
    with pytest.raises(ValidationError) as err:
        s(items["road"], area_m2=30, factors=["bribery"])
    assert err.value.field == "factors"
    with pytest.raises(ValidationError) as err:
        clean_facts({"area_m2": "-3"})
    assert err.value.field == "area_m2"
    with pytest.raises(ValidationError) as err:
        clean_facts({"harm": "catastrophic"})
    assert err.value.field == "harm"


def test_it_computes_amounts_from_percent_of_construction_cost(items):
    suggestion = s(items["building"], construction_cost="200000")
    assert (suggestion.amount_min, suggestion.amount_max) == (Decimal("12000"), Decimal("16000"))
    with pytest.raises(ValidationError) as err:
        s(items["building"])
    assert err.value.field == "construction_cost"


def test_minor_corrected_without_harm_is_never_punished(items):
    suggestion = s(items["road"], area_m2=30, harm="none", corrected=True)
    assert suggestion.no_penalty and suggestion.no_penalty_mandatory
    with pytest.raises(ValidationError) as err:
        check_choice(suggestion, no_penalty=False)
    assert err.value.field == "outcome"


def test_first_violation_may_go_unpunished_on_the_list_only(items):
    road = items["road"]
    assert not s(road, area_m2=30, harm="minor", corrected=True, first_violation=True).no_penalty
    road.first_violation_exempt = True
    road.save()
    suggestion = s(road, area_m2=30, harm="minor", corrected=True, first_violation=True)
    assert suggestion.no_penalty and not suggestion.no_penalty_mandatory
    assert suggestion.level == "general"  # a penalty may still be chosen, within the band
    assert not departs(suggestion, no_penalty=True, amount=None)
    assert not departs(suggestion, no_penalty=False, amount=Decimal("3000"))


def test_age_rules(items):
    child = s(items["road"], party="person", area_m2=30, age=13)
    assert child.no_penalty_mandatory
    minor = s(items["road"], party="person", area_m2=30, age=16)
    assert minor.level == "minor" and any("十八周岁" in r for r in minor.reasons)


def test_departure_needs_a_reason_outside_the_range(items):
    suggestion = s(items["road"], area_m2=30)
    assert not departs(suggestion, no_penalty=False, amount=Decimal("5000"))
    assert departs(suggestion, no_penalty=False, amount=Decimal("9000"))
    assert departs(suggestion, no_penalty=True, amount=None)


def test_items_without_a_benchmark_get_no_range(items):
    suggestion = s(items["litter"], party="person")
    assert suggestion.amount_min is None and "未制定裁量基准" in suggestion.reasons[0]


def test_benchmarks_round_trip_through_csv(city, items):
    exported = benchmarks_export()
    assert exported.count("\n") == 1 + 6
    items["road"].benchmarks.all().delete()
    items["building"].benchmarks.all().delete()
    result = benchmarks_import(actor=city["admin"], source=exported.encode("utf-8"))
    assert result.created == 2
    assert benchmarks_export() == exported


def test_benchmark_import_names_the_bad_field(city, items):
    header = "item_code,party_type,basis,level,amount_min,amount_max,conditions\n"
    for row, field in [
        ("NOPE,,fixed,general,1,2,", "item_code"),
        ("CG-CF-026,,fixed,huge,1,2,", "level"),
        ("CG-CF-026,,fixed,general,5,2,", "amount_max"),
        ("CG-CF-026,,fixed,general,1,2,{bad", "conditions"),
        ("CG-CF-026,robot,fixed,general,1,2,", "party_type"),
    ]:
        with pytest.raises(ValidationError) as err:
            benchmarks_import(actor=city["admin"], source=header + row + "\n")
        assert err.value.field == field, row
