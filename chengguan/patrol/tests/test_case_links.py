"""Links to the case loop: violations and small ads open cases; closed linked cases count for campaigns."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from chengguan.cases.models import Case
from chengguan.cases.services import case_report
from chengguan.cases.workflow import State
from chengguan.catalog.models import MatterType
from chengguan.core.errors import PermissionDenied, ValidationError
from chengguan.grids.testing import make_grids
from chengguan.patrol.selectors.campaigns import campaign_progress
from chengguan.patrol.services.ads import ad_sighting_record
from chengguan.patrol.services.campaigns import campaign_create, campaign_start, operation_start_ad_hoc
from chengguan.patrol.services.frontage import agreement_sign, shop_inspect, shop_register
from chengguan.patrol.services.links import (
    campaign_case_link,
    campaign_link_matching_cases,
    operation_case_link,
)

TZ = ZoneInfo("Asia/Shanghai")
POINT_A = (114.3075, 34.8075)  # 西门社区, district A
POINT_B = (114.3325, 34.8075)  # district B


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(datetime(2026, 3, 10, 9, tzinfo=TZ), tick=False):
        yield


@pytest.fixture
def grids(city):
    return make_grids(city)


@pytest.fixture
def matters(db):
    return {m.code: m for m in MatterType.objects.filter(code__in=["07003", "09005", "07001", "06010"])}


def report(city, matter, point=POINT_A, by="supervisor"):
    return case_report(
        actor=city[by],
        source="supervisor",
        matter=matter,
        lng=point[0],
        lat=point[1],
        crs="gcj02",
        description="巡查发现",
    )


@pytest.fixture
def shop(city, grids):
    shop = shop_register(
        actor=city["supervisor"],
        name="老街烩面馆",
        operator_name="王老板",
        address="书店街12号",
        lng=POINT_A[0],
        lat=POINT_A[1],
        crs="gcj02",
    )
    agreement_sign(
        actor=city["officer"],
        shop=shop,
        number="MQSB-1",
        scheme="three",
        zone="店门至路沿石",
        signed_on=date(2026, 1, 5),
        valid_from=date(2026, 1, 5),
        valid_to=date(2026, 12, 31),
    )
    return shop


def test_a_supervisors_frontage_violation_opens_a_case(city, shop, matters):
    inspection = shop_inspect(
        actor=city["supervisor"],
        shop=shop,
        failures=[{"obligation": "order", "description": "店外经营占用人行道", "matter": matters["09005"]}],
    )
    violation = inspection.violations.get()
    assert violation.measure == "education"
    case = violation.case
    assert (case.source, case.matter.code, case.state) == ("supervisor", "09005", State.REPORTED)
    assert case.unit_grid == shop.unit_grid
    # an officer's finding stays a violation record until the officer reports it (test_violation_actions.py)
    again = shop_inspect(
        actor=city["officer"],
        shop=shop,
        failures=[{"obligation": "order", "description": "再次店外经营", "matter": matters["09005"]}],
    )
    assert again.violations.get().case is None


def test_a_small_ad_sighting_can_open_a_case(city, grids, matters):
    sighting = ad_sighting_record(
        actor=city["supervisor"],
        number="13803711234",
        lng=POINT_A[0],
        lat=POINT_A[1],
        crs="gcj02",
        ads_count=5,
        open_case=True,
    )
    assert sighting.case.matter.code == "07001"
    assert "13803711234" in sighting.case.description


@pytest.mark.parametrize("who", ["officer", "assistant"])
def test_an_officer_or_assistant_reports_small_ads_as_an_enforcement_patrol_case(city, grids, matters, who):
    sighting = ad_sighting_record(
        actor=city[who], number="13803711234", lng=POINT_A[0], lat=POINT_A[1], crs="gcj02", open_case=True
    )
    assert sighting.case.source == "patrol" and sighting.case.matter.code == "07001"


def test_a_small_ad_case_without_a_position_is_refused_and_nothing_is_recorded(city, grids, matters):
    from chengguan.patrol.models import AdPhone, AdSighting

    with pytest.raises(ValidationError) as err:
        ad_sighting_record(actor=city["officer"], number="13803711234", region=city.community_a1, open_case=True)
    assert err.value.field == "lng"
    assert not AdSighting.objects.exists() and not AdPhone.objects.exists() and not Case.objects.exists()


def test_an_outsider_cannot_record_small_ads_or_open_their_case(city, grids, matters):
    with pytest.raises(PermissionDenied):
        ad_sighting_record(
            actor=city["outsider"], number="13803711234", lng=POINT_A[0], lat=POINT_A[1], crs="gcj02",
            open_case=True,
        )
    assert not Case.objects.exists()


def test_closed_linked_cases_count_towards_a_campaign(city, grids, matters):
    campaign = campaign_start(
        actor=city["leader"],
        campaign=campaign_create(
            actor=city["leader"],
            name="户外广告整治",
            region=city.district_a,
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 5, 31),
            targets={matters["07003"]: 10},
        ),
    )
    in_scope = [report(city, matters["07003"]) for _ in range(3)]
    other_matter = report(city, matters["06010"])
    other_district = report(city, matters["07003"], POINT_B, by="outsider")
    assert campaign_link_matching_cases(actor=city["leader"], campaign=campaign) == 3
    assert campaign_link_matching_cases(actor=city["leader"], campaign=campaign) == 0
    Case.objects.filter(pk__in=[c.pk for c in in_scope[:2]]).update(state=State.CLOSED, is_open=False)
    target = campaign_progress(campaign, date(2026, 3, 10)).targets[0]
    assert (target.from_cases, target.from_operations, target.achieved) == (2, 0, 2)
    with pytest.raises(ValidationError):
        campaign_case_link(actor=city["officer"], campaign=campaign, case=other_matter)
    with pytest.raises(ValidationError):
        campaign_case_link(actor=city["officer"], campaign=campaign, case=other_district)
    with pytest.raises(PermissionDenied):
        campaign_case_link(actor=city["outsider"], campaign=campaign, case=in_scope[0])


def test_operations_link_cases_of_their_region(city, grids, matters, staff):
    operation = operation_start_ad_hoc(actor=city["officer"], title="夜市整治", region=city.district_a)
    case = report(city, matters["09005"])
    operation_case_link(actor=city["officer"], operation=operation, case=case)
    assert list(operation.cases.all()) == [case]
    with pytest.raises(ValidationError):
        operation_case_link(
            actor=city["officer"],
            operation=operation,
            case=report(city, matters["09005"], POINT_B, by="outsider"),
        )
