"""A new structure from discovery to demolition: found on patrol, an assistant may enter it but not stop it, the
officer stops it and opens the enforcement clue the same day (当日发现、立即制止、当日查处), it is demolished in the
campaign and counts toward the campaign's ledger target, the project's progress and the same-day rate."""

from datetime import date
from decimal import Decimal

import pytest

from chengguan.buildings import selectors
from chengguan.buildings.models import IllegalBuilding
from chengguan.buildings.services import (
    building_assign,
    building_demolish,
    building_open_clue,
    building_retain,
    building_stop,
)
from chengguan.core.errors import Conflict, PermissionDenied, ValidationError

from .conftest import at


def test_it_walks_a_structure_from_discovery_to_demolition(city, body, campaign, project, register):
    b = register(at(2026, 5, 12, 9), actor=city["assistant"])  # an assistant on patrol enters it
    assert b.number.startswith("WJ2026") and b.status == "pending" and b.discovered_on == date(2026, 5, 12)

    with pytest.raises(PermissionDenied) as exc:
        building_stop(actor=city["assistant"], building=b, now=at(2026, 5, 12, 9, 30))
    assert exc.value.code == "assistant_not_certified"
    with pytest.raises(PermissionDenied):
        building_stop(actor=city["outsider"], building=b, now=at(2026, 5, 12, 9, 30))

    b = building_stop(actor=city["officer"], building=b, note="责令立即停止施工", now=at(2026, 5, 12, 10))
    assert b.status == "stopped" and not b.same_day  # stopped, not yet handled
    clue = building_open_clue(actor=city["officer"], building=b, now=at(2026, 5, 12, 16))
    b.refresh_from_db()
    assert clue.clue_number.startswith("汴城管线索〔2026〕")
    assert list(b.enforcement_cases.all()) == [clue]
    assert b.same_day is True

    b = building_assign(actor=city["officer"], building=b, project=project, campaign=campaign, now=at(2026, 5, 13))
    with pytest.raises(ValidationError) as exc:
        building_demolish(actor=city["officer"], building=b, demolished_on=date(2026, 5, 20),
                          area_m2=Decimal("500"), now=at(2026, 5, 20))
    assert exc.value.field == "area_m2"
    b = building_demolish(actor=city["officer"], building=b, demolished_on=date(2026, 5, 20), now=at(2026, 5, 20))
    assert b.status == "demolished" and b.demolished_area_m2 == Decimal("120.50")
    assert [e.act for e in b.events.all()] == ["register", "stop", "open_clue", "assign", "demolish"]

    tally = selectors.campaign_tally(campaign)
    assert (tally["items"], tally["area_m2"], tally["target_items"]) == (1, Decimal("120.50"), 3)
    assert tally["matter_targets"] == [{"matter": "私搭乱建", "code": "06001", "target": 3, "achieved": 1}]
    assert (tally["same_day"].new, tally["same_day"].same_day) == (1, 1)
    progress = selectors.project_progress(project)
    assert (progress.households, progress.area, progress.demolished) == (1, Decimal("120.50"), 1)

    with pytest.raises(Conflict):  # demolished is final
        building_stop(actor=city["officer"], building=b, now=at(2026, 5, 21))


def test_the_same_day_rate_counts_only_new_structures_handled_on_their_day(city, body, register):
    fast = register(at(2026, 5, 12, 9))
    building_stop(actor=city["officer"], building=fast, now=at(2026, 5, 12, 10))
    building_open_clue(actor=city["officer"], building=fast, now=at(2026, 5, 12, 11))
    slow = register(at(2026, 5, 12, 17), address="西门大街90号")
    building_stop(actor=city["officer"], building=slow, now=at(2026, 5, 12, 18))
    building_open_clue(actor=city["officer"], building=slow, now=at(2026, 5, 13, 9))  # the next day
    register(at(2026, 5, 12, 9), category="stock", address="北门街1号")  # existing: not in the rate
    rate = selectors.same_day_rate(IllegalBuilding.objects.all())
    assert (rate.new, rate.same_day, rate.rate) == (2, 1, 0.5)


def test_a_demolition_outside_the_campaign_period_does_not_count(city, body, campaign, register):
    b = register(at(2026, 3, 2), category="stock", campaign=campaign)
    building_demolish(actor=city["officer"], building=b, demolished_on=date(2026, 3, 20), now=at(2026, 3, 20))
    assert selectors.campaign_tally(campaign)["items"] == 0
    assert selectors.campaign_tally(campaign)["in_ledger"] == 1


def test_only_a_leader_retains_and_a_reason_is_required(city, body, register):
    b = register(at(2026, 5, 12))
    with pytest.raises(PermissionDenied):
        building_retain(actor=city["officer"], building=b, reason="待规划认定", now=at(2026, 5, 13))
    with pytest.raises(ValidationError) as exc:
        building_retain(actor=city["leader"], building=b, reason=" ", now=at(2026, 5, 13))
    assert exc.value.field == "reason"
    b = building_retain(actor=city["leader"], building=b, reason="待规划认定", now=at(2026, 5, 13))
    assert b.status == "retained"


@pytest.mark.parametrize("field,value", [("area_m2", "0"), ("area_m2", "abc"), ("floors", 0), ("use", "castle"),
                                         ("category", "old"), ("households", -1)])
def test_bad_input_names_the_field_and_writes_nothing(city, register, field, value):
    with pytest.raises(ValidationError) as exc:
        register(at(2026, 5, 12), **{field: value})
    assert exc.value.field == field
    assert not IllegalBuilding.objects.exists()


def test_outsiders_enter_nothing(city, register):
    for who in ("outsider", "supervisor", "department_handler", "nobody"):
        with pytest.raises(PermissionDenied):
            register(at(2026, 5, 12), actor=city[who])
    assert not IllegalBuilding.objects.exists()
    assert register(at(2026, 5, 12), actor=city["officer"]).pk  # positive control
