"""Joint operations and campaigns: a hundred-day drive's progress comes from completed operations."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from chengguan.catalog.models import MatterType
from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.patrol.models import JointOperation
from chengguan.patrol.selectors.campaigns import campaign_progress
from chengguan.patrol.services.campaigns import (
    campaign_create,
    campaign_finish,
    campaign_start,
    follow_up_record,
    operation_cancel,
    operation_complete,
    operation_plan,
    operation_start,
    operation_start_ad_hoc,
)

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(datetime(2026, 4, 10, 9, tzinfo=TZ), tick=False) as traveller:
        yield traveller


@pytest.fixture
def matters(db):
    return {m.code: m for m in MatterType.objects.filter(code__in=["07003", "07006", "09005", "07001"])}


@pytest.fixture
def drive(city, matters):
    """百日攻坚 in district A, 2026-04-01 … 2026-07-09 (100 days): 800 billboards, 200 shop signs."""
    campaign = campaign_create(
        actor=city["leader"],
        name="户外广告牌匾百日攻坚",
        kind="hundred_days",
        region=city.district_a,
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 7, 9),
        targets={matters["07003"]: 800, matters["07006"]: 200},
    )
    return campaign_start(actor=city["leader"], campaign=campaign)


def test_it_counts_progress_from_completed_operations_against_elapsed_time(city, staff, matters, drive):
    first = operation_plan(
        actor=city["officer"],
        title="中山路广告牌集中拆除",
        region=city.district_a,
        planned_start=datetime(2026, 4, 11, 8, tzinfo=TZ),
        planned_end=datetime(2026, 4, 11, 12, tzinfo=TZ),
        bodies=[staff.police, city.roads],
        campaign=drive,
    )
    assert first.code == "LH20260001" and first.status == JointOperation.Status.PLANNED
    operation_start(actor=city["officer"], operation=first)
    operation_complete(
        actor=city["officer"],
        operation=first,
        staff_count=40,
        problems_found=130,
        penalties=3,
        fines_yuan="1500",
        items_seized=2,
        results={matters["07003"]: 120, matters["07006"]: 30},
    )
    second = operation_start_ad_hoc(
        actor=city["officer2"], title="夜间突击", region=city.street_a, campaign=drive
    )
    operation_complete(
        actor=city["officer2"], operation=second, staff_count=9, results={matters["07003"]: 40}
    )
    unfinished = operation_start_ad_hoc(
        actor=city["officer2"], title="未完成", region=city.district_a, campaign=drive
    )
    assert unfinished.code == "LH20260003"
    progress = campaign_progress(drive, date(2026, 4, 10))
    billboards, signs = progress.targets
    assert (billboards.target.matter.code, billboards.achieved, billboards.remaining) == ("07003", 160, 640)
    assert billboards.share == pytest.approx(0.2)
    assert (signs.achieved, signs.share) == (30, pytest.approx(0.15))
    assert progress.share == pytest.approx(0.175)
    assert progress.time_share == pytest.approx(0.10)  # day 10 of 100
    assert progress.on_track
    assert progress.operations == 2
    first.refresh_from_db()
    assert (first.penalties, first.fines_yuan, first.items_seized) == (3, Decimal("1500.00"), 2)


def test_follow_up_checks_give_the_relapse_rate(city, staff, matters, drive, frozen_time):
    follow_up_record(
        actor=city["supervisor"],
        campaign=drive,
        checked_on=date(2026, 4, 9),
        places_checked=40,
        relapses=3,
        matter=matters["07003"],
        location="中山路",
    )
    campaign_finish(actor=city["leader"], campaign=drive)
    frozen_time.move_to(datetime(2026, 8, 1, 9, tzinfo=TZ))
    follow_up_record(
        actor=city["officer"], campaign=drive, checked_on=date(2026, 8, 1), places_checked=60, relapses=2
    )
    progress = campaign_progress(drive, date(2026, 8, 1))
    assert (progress.places_checked, progress.relapses, progress.relapse_rate) == (100, 5, 0.05)
    assert progress.time_share == 1.0
    with pytest.raises(ValidationError) as err:
        follow_up_record(
            actor=city["officer"], campaign=drive, checked_on=date(2026, 8, 1), places_checked=2, relapses=3
        )
    assert err.value.field == "relapses"
    with pytest.raises(ValidationError) as err:
        follow_up_record(
            actor=city["officer"],
            campaign=drive,
            checked_on=date(2026, 8, 1),
            places_checked=2,
            matter=matters["09005"],
        )
    assert err.value.field == "matter"
    with pytest.raises(PermissionDenied):
        follow_up_record(
            actor=city["outsider"], campaign=drive, checked_on=date(2026, 8, 1), places_checked=1
        )


def test_operations_follow_their_lifecycle(city, staff):
    op = operation_plan(
        actor=city["leader"],
        title="夜市整治",
        region=city.district_a,
        planned_start=datetime(2026, 4, 12, 18, tzinfo=TZ),
        planned_end=datetime(2026, 4, 12, 23, tzinfo=TZ),
    )
    with pytest.raises(Conflict):
        operation_complete(actor=city["leader"], operation=op, staff_count=3)
    operation_cancel(actor=city["leader"], operation=op, reason="天气原因")
    with pytest.raises(Conflict):
        operation_start(actor=city["leader"], operation=op)


def test_only_certified_officers_and_managers_of_the_region_run_operations(city, staff):
    for actor in (city["assistant"], city["supervisor"], city["outsider"], city["nobody"]):
        with pytest.raises(PermissionDenied):
            operation_start_ad_hoc(actor=actor, title="x", region=city.district_a)
    cert = city["officer"].certificates.get()
    cert.valid_to = date(2026, 4, 9)  # expired yesterday
    cert.save()
    with pytest.raises(PermissionDenied) as err:
        operation_start_ad_hoc(actor=city["officer"], title="x", region=city.district_a)
    assert err.value.code == "certificate_invalid"
    with pytest.raises(PermissionDenied):
        operation_start_ad_hoc(actor=staff["officer_b"], title="x", region=city.district_a)


def test_a_campaign_needs_targets_and_an_operation_stays_inside_it(city, matters, drive):
    with pytest.raises(ValidationError) as err:
        campaign_create(
            actor=city["leader"],
            name="x",
            region=city.district_a,
            starts_on=date(2026, 5, 1),
            ends_on=date(2026, 5, 31),
            targets={},
        )
    assert err.value.field == "targets"
    with pytest.raises(ValidationError) as err:
        campaign_create(
            actor=city["leader"],
            name="x",
            region=city.district_a,
            starts_on=date(2026, 5, 1),
            ends_on=date(2026, 5, 31),
            targets={matters["07001"]: 0},
        )
    assert err.value.field == "targets"
    with pytest.raises(PermissionDenied):
        campaign_create(
            actor=city["officer"],
            name="x",
            region=city.district_a,
            starts_on=date(2026, 5, 1),
            ends_on=date(2026, 5, 31),
            targets={matters["07001"]: 10},
        )
    with pytest.raises(ValidationError) as err:
        operation_start_ad_hoc(actor=city["leader"], title="x", region=city.district_b, campaign=drive)
    assert err.value.field == "campaign"
