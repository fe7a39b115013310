"""门前三包: agreements, inspections and the 721 ladder (education before penalties); small-ad numbers."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from chengguan.catalog.models import MatterType
from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.grids.testing import make_grids
from chengguan.patrol.models import AdPhone, Measure, ShopViolation
from chengguan.patrol.selectors.frontage import ad_phones_in_scope, shops_in_scope
from chengguan.patrol.services.ads import ad_phone_status_change, ad_sighting_record, normalize_number
from chengguan.patrol.services.frontage import (
    agreement_in_force,
    agreement_sign,
    shop_inspect,
    shop_register,
    violation_rectified,
)

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(datetime(2026, 5, 6, 10, tzinfo=TZ), tick=False) as traveller:
        yield traveller


@pytest.fixture
def grids(city):
    return make_grids(city)


@pytest.fixture
def shop(city, grids):
    lng, lat = grids.centre(grids["410202001001003"])
    shop = shop_register(
        actor=city["assistant"],
        name="老街烩面馆",
        operator_name="王老板",
        address="书店街12号",
        lng=lng,
        lat=lat,
        crs="gcj02",
        business_type="餐饮",
        frontage_m=8,
    )
    agreement_sign(
        actor=city["officer"],
        shop=shop,
        number="MQSB-2026-0001",
        scheme="three",
        zone="店门至路沿石",
        signed_on=date(2026, 1, 5),
        valid_from=date(2026, 1, 5),
        valid_to=date(2026, 12, 31),
    )
    return shop


def fail(obligation="order", matter=None):
    return [{"obligation": obligation, "description": "店外摆放桌椅占用人行道", "matter": matter}]


def test_a_shop_is_placed_in_its_unit_grid_and_community(city, shop):
    assert shop.unit_grid.code == "410202001001003"
    assert shop.region == city.community_a1
    assert agreement_in_force(shop, date(2026, 5, 6)).obligations == ["cleanliness", "greening", "order"]


def test_the_721_ladder_puts_education_and_warnings_before_a_penalty(city, shop, frozen_time):
    matter = MatterType.objects.get(code="09005")
    measures = []
    for day in range(5):
        frozen_time.move_to(datetime(2026, 5, 6 + day, 10, tzinfo=TZ))
        inspection = shop_inspect(actor=city["supervisor"], shop=shop, failures=fail(matter=matter))
        measures.append(inspection.violations.get().measure)
    assert measures == ["education", "warning", "order", "penalty", "penalty"]
    first = shop.violations.order_by("created_at").first()
    assert first.rectify_by == date(2026, 5, 7) and first.status == ShopViolation.Status.OPEN
    assert shop.violations.filter(status=ShopViolation.Status.REFERRED).count() == 2


def test_an_inspector_may_choose_a_lighter_measure_but_never_skip_ahead(city, shop):
    with pytest.raises(ValidationError) as err:
        shop_inspect(actor=city["officer"], shop=shop, failures=fail(), measure=Measure.PENALTY)
    assert err.value.field == "measure"
    assert not shop.inspections.exists()  # nothing half-written
    shop_inspect(actor=city["officer"], shop=shop, failures=fail())
    lighter = shop_inspect(actor=city["officer"], shop=shop, failures=fail(), measure=Measure.EDUCATION)
    assert lighter.violations.get().measure == "education"


def test_a_passed_inspection_and_old_violations_do_not_climb_the_ladder(city, shop, frozen_time):
    frozen_time.move_to(datetime(2025, 3, 1, 10, tzinfo=TZ))
    agreement_sign(
        actor=city["officer"],
        shop=shop,
        number="MQSB-2025-0001",
        scheme="three",
        zone="店门至路沿石",
        signed_on=date(2025, 1, 1),
        valid_from=date(2025, 1, 1),
        valid_to=date(2025, 12, 31),
    )
    shop_inspect(actor=city["officer"], shop=shop, failures=fail())  # more than a year ago
    frozen_time.move_to(datetime(2026, 5, 6, 10, tzinfo=TZ))
    assert shop_inspect(actor=city["officer"], shop=shop).passed
    again = shop_inspect(actor=city["officer"], shop=shop, failures=fail("cleanliness"))
    assert again.violations.get().measure == "education"


def test_violations_need_an_agreement_with_that_obligation(city, shop, grids):
    with pytest.raises(ValidationError):
        shop_inspect(actor=city["officer"], shop=shop, failures=fail("facilities"))  # not in 三包
    bare = shop_register(
        actor=city["officer"], name="无协议商户", operator_name="李", address="x", region=city.community_a2
    )
    with pytest.raises(ValidationError):
        shop_inspect(actor=city["officer"], shop=bare, failures=fail())


def test_a_new_agreement_replaces_the_one_in_force(city, shop):
    five = agreement_sign(
        actor=city["officer"],
        shop=shop,
        number="MQWB-2026-0001",
        scheme="five",
        zone="店门至路沿石",
        signed_on=date(2026, 5, 6),
        valid_from=date(2026, 6, 1),
        valid_to=date(2027, 5, 31),
    )
    assert agreement_in_force(shop, date(2026, 5, 31)).number == "MQSB-2026-0001"
    assert agreement_in_force(shop, date(2026, 6, 1)) == five
    assert len(five.obligations) == 5
    with pytest.raises(ValidationError):
        agreement_sign(
            actor=city["officer"],
            shop=shop,
            number="X",
            scheme="five",
            zone="z",
            signed_on=date(2026, 5, 6),
            valid_from=date(2026, 6, 1),
            valid_to=date(2027, 5, 31),
            obligations=["cleanliness"],
        )


def test_rectification_closes_a_violation_once(city, shop):
    violation = shop_inspect(actor=city["officer"], shop=shop, failures=fail()).violations.get()
    violation_rectified(actor=city["supervisor"], violation=violation)
    with pytest.raises(Conflict):
        violation_rectified(actor=city["supervisor"], violation=violation)


def test_shops_belong_to_their_district(city, shop):
    with pytest.raises(PermissionDenied):
        shop_inspect(actor=city["outsider"], shop=shop, failures=fail())
    with pytest.raises(PermissionDenied):
        shop_register(
            actor=city["outsider"], name="x", operator_name="y", address="z", region=city.community_a1
        )
    assert list(shops_in_scope(city["supervisor"])) == [shop]
    assert list(shops_in_scope(city["outsider"])) == []
    assert shops_in_scope(city["supervisor"]).get().open_violations == 0


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("138 0371 1234", "13803711234"),
        ("+86-13803711234", "13803711234"),
        ("0371-23456789", "037123456789"),
        ("400-800-1234", "4008001234"),
    ],
)
def test_it_normalizes_phone_numbers(raw, expected):
    assert normalize_number(raw) == expected


def test_it_refuses_what_is_not_a_phone_number():
    with pytest.raises(ValidationError):
        normalize_number("12345")


def test_small_ad_numbers_are_tracked_through_their_status_and_relapse(city, grids, frozen_time):
    lng, lat = grids.centre(grids["410202001002004"])
    s1 = ad_sighting_record(
        actor=city["supervisor"],
        number="13803711234",
        lng=lng,
        lat=lat,
        crs="gcj02",
        ads_count=12,
        removed=True,
        location="鼓楼街电线杆",
    )
    assert s1.region == city.community_a2 and s1.unit_grid.code == "410202001002004"
    phone = s1.phone
    ad_sighting_record(actor=city["assistant"], number="138-0371-1234", region=city.street_a, ads_count=3)
    phone.refresh_from_db()
    assert (phone.sightings_count, phone.status) == (2, "active")
    with pytest.raises(PermissionDenied):
        ad_phone_status_change(actor=city["assistant"], phone=phone, status="notified")
    ad_phone_status_change(actor=city["officer"], phone=phone, status="notified", note="已电话告知停止张贴")
    ad_phone_status_change(actor=city["officer"], phone=phone, status="cleared")
    with pytest.raises(Conflict):
        ad_phone_status_change(actor=city["officer"], phone=phone, status="notified")
    frozen_time.move_to(datetime(2026, 5, 20, 10, tzinfo=TZ))
    ad_sighting_record(actor=city["supervisor"], number="13803711234", region=city.community_a1)
    phone.refresh_from_db()
    assert phone.status == "active"  # found again: a relapse
    ad_phone_status_change(actor=city["officer"], phone=phone, status="suspended", note="运营商停机")
    ad_sighting_record(
        actor=city["supervisor"],
        number="13803711234",
        region=city.community_a1,
        seen_at=datetime(2026, 5, 21, 9, tzinfo=TZ) - timedelta(days=1),
    )
    phone.refresh_from_db()
    assert phone.status == "suspended"  # a stopped number stays stopped
    assert list(ad_phones_in_scope(city["supervisor"])) == [phone]
    assert list(ad_phones_in_scope(city["outsider"])) == []
    with pytest.raises(PermissionDenied):
        ad_sighting_record(actor=city["outsider"], number="13803711234", region=city.community_a1)
    assert AdPhone.objects.count() == 1
