"""The patrol pages render for the right people, in Chinese, and hide what is outside the scope."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from chengguan.catalog.models import MatterType
from chengguan.grids.testing import make_grids
from chengguan.patrol.models import LeaveRequest
from chengguan.patrol.services.ads import ad_sighting_record
from chengguan.patrol.services.campaigns import campaign_create, campaign_start, operation_start_ad_hoc
from chengguan.patrol.services.duty import leave_request_create, shift_create
from chengguan.patrol.services.frontage import agreement_sign, shop_register
from chengguan.patrol.services.squads import squad_create, squad_member_add, template_save

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(datetime(2026, 3, 10, 10, tzinfo=TZ), tick=False):
        yield


@pytest.fixture
def world(city, staff, patterns):
    grids = make_grids(city)
    template = template_save(
        actor=city["leader"],
        code="HK",
        name="海口模式",
        requirements={"police": 1, "auxiliary_police": 2, "officer": 2, "assistant": 4},
    )
    squad = squad_create(
        actor=city["leader"], code="SQ1", name="一分队", region=city.district_a, template=template
    )
    for user in (city["officer"], city["assistant"], staff["police1"]):
        squad_member_add(actor=city["leader"], squad=squad, user=user, joined_on=date(2026, 1, 1))
    shift_create(
        actor=city["shift_leader"],
        day=date(2026, 3, 10),
        pattern=patterns["day"],
        grid=grids.responsibility_a,
        squad=squad,
    )
    billboards = MatterType.objects.get(code="07003")
    campaign = campaign_start(
        actor=city["leader"],
        campaign=campaign_create(
            actor=city["leader"],
            name="户外广告百日攻坚",
            region=city.district_a,
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 6, 8),
            targets={billboards: 800},
        ),
    )
    operation = operation_start_ad_hoc(
        actor=city["officer"], title="集中拆除", region=city.district_a, campaign=campaign
    )
    lng, lat = grids.centre(grids["410202001001006"])
    shop = shop_register(
        actor=city["supervisor"],
        name="烩面馆",
        operator_name="王",
        address="西门大街1号",
        lng=lng,
        lat=lat,
        crs="gcj02",
    )
    agreement_sign(
        actor=city["supervisor"],
        shop=shop,
        number="MQ-1",
        scheme="three",
        zone="门前",
        signed_on=date(2026, 1, 1),
        valid_from=date(2026, 1, 1),
        valid_to=date(2026, 12, 31),
    )
    ad_sighting_record(actor=city["supervisor"], number="13803711234", region=city.community_a1)
    return {"campaign": campaign, "operation": operation, "shop": shop, "grids": grids}


PAGES = [
    ("patrol:index", "supervisor", "巡查"),
    ("patrol:mobile", "supervisor", "开始巡查"),
    ("patrol:roster", "shift_leader", "排班"),
    ("patrol:requests", "officer", "请假"),
    ("patrol:coverage", "leader", "覆盖"),
    ("patrol:campaigns", "leader", "户外广告百日攻坚"),
    ("patrol:operations", "officer", "集中拆除"),
    ("patrol:shops", "supervisor", "烩面馆"),
    ("patrol:ads", "supervisor", "13803711234"),
    ("patrol:staffing", "leader", "龙亭区"),
    ("patrol:certificates", "leader", "豫A-00000"),
    ("patrol:staff", "leader", "officer2"),
]


@pytest.mark.parametrize("name,persona,text", PAGES)
def test_each_page_renders_in_chinese_for_its_people(city, world, login, name, persona, text):
    response = login(city[persona]).get(reverse(name))
    assert response.status_code == 200
    assert text in response.content.decode()


@pytest.mark.parametrize("name", ["patrol:index", "patrol:roster", "patrol:staffing", "patrol:campaigns"])
def test_people_without_a_patrol_role_are_refused(city, world, login, name):
    assert login(city["nobody"]).get(reverse(name)).status_code == 403


def test_staffing_is_not_for_field_staff(city, world, login):
    assert login(city["officer"]).get(reverse("patrol:staffing")).status_code == 403


def test_the_outsider_sees_nothing_of_district_a(city, world, login):
    client = login(city["outsider"])
    for name, pk in (
        ("patrol:campaign", world["campaign"].pk),
        ("patrol:operation", world["operation"].pk),
        ("patrol:shop", world["shop"].pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404
    assert client.get(reverse("patrol:staff_file", args=[city["officer"].pk])).status_code == 404
    assert "烩面馆" not in client.get(reverse("patrol:shops")).content.decode()
    assert "一分队" not in client.get(reverse("patrol:roster") + "?start=2026-03-09").content.decode()


def test_the_roster_shows_a_shortfall_against_the_template(city, world, login):
    html = login(city["shift_leader"]).get(reverse("patrol:roster") + "?start=2026-03-09").content.decode()
    assert "一分队" in html or "RG-410202-01" in html
    assert "辅警" in html  # shortfall of auxiliary police is named


def test_an_officer_reads_their_own_five_in_one_file(city, world, login):
    html = (
        login(city["officer"]).get(reverse("patrol:staff_file", args=[city["officer"].pk])).content.decode()
    )
    assert "五位一体" in html or "学法" in html
    assert (
        login(city["officer"]).get(reverse("patrol:staff_file", args=[city["officer2"].pk])).status_code
        == 404
    )


def test_a_shop_inspection_through_the_page_applies_the_721_ladder(city, world, login):
    client = login(city["supervisor"])
    url = reverse("patrol:shop", args=[world["shop"].pk])
    response = client.post(
        url,
        {"form": "inspection", "obligations": ["order"], "description": "店外摆摊", "matter": "09005"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert "教育劝导" in response.content.decode()
    bad = client.post(
        url,
        {"form": "inspection", "obligations": ["order"], "description": "x", "measure": "penalty"},
        follow=True,
    )
    assert "教育" in bad.content.decode()  # the refusal explains that education comes first
    assert world["shop"].inspections.count() == 1


def test_leave_is_decided_from_the_requests_page_with_htmx(city, world, login):
    leave = leave_request_create(
        actor=city["officer"],
        kind="annual",
        starts_at=datetime(2026, 3, 10, 0, tzinfo=TZ),
        ends_at=datetime(2026, 3, 11, tzinfo=TZ),
    )
    client = login(city["shift_leader"])
    assert "officer" in client.get(reverse("patrol:requests")).content.decode()
    response = client.post(
        reverse("patrol:decide", args=["leave", leave.pk]), {"approve": "1"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    leave.refresh_from_db()
    assert leave.status == LeaveRequest._meta.get_field("status").choices[1][0]  # approved
    assert (
        login(city["outsider"])
        .post(reverse("patrol:decide", args=["leave", leave.pk]), {"approve": "0"})
        .status_code
        == 404
    )


def test_the_admin_lists_the_patrol_master_data(city, world, login):
    client = login(city["admin"])
    for model in (
        "norm",
        "staffprofile",
        "compositiontemplate",
        "jointsquad",
        "campaign",
        "shop",
        "adphone",
        "activitylog",
        "dutyshift",
    ):
        assert client.get(reverse(f"admin:patrol_{model}_changelist")).status_code == 200
    assert client.get(reverse("admin:patrol_campaign_change", args=[world["campaign"].pk])).status_code == 200


def test_list_pages_use_a_fixed_number_of_queries(city, world, login, django_assert_max_num_queries):
    client = login(city["leader"])
    for name in ("patrol:coverage", "patrol:roster", "patrol:staffing", "patrol:campaigns", "patrol:shops"):
        with django_assert_max_num_queries(25):
            assert client.get(reverse(name)).status_code == 200


def test_a_roster_manager_adds_a_shift_from_the_roster_page(city, world, login, patterns):
    from chengguan.patrol.models import DutyShift

    grid = world["grids"].responsibility_a
    body = {
        "day": "2026-03-12",
        "pattern": patterns["evening"].pk,
        "grid": grid.pk,
        "people": "supervisor, officer",
    }
    before = DutyShift.objects.count()
    response = login(city["outsider"]).post(reverse("patrol:shift_add"), body, follow=True)
    assert DutyShift.objects.count() == before  # the grid is not a choice outside the scope
    response = login(city["shift_leader"]).post(reverse("patrol:shift_add"), body, follow=True)
    assert response.status_code == 200
    shift = DutyShift.objects.get(day=date(2026, 3, 12), pattern=patterns["evening"])
    assert sorted(a.user.username for a in shift.assignments.all()) == ["officer", "supervisor"]
    unknown = login(city["shift_leader"]).post(
        reverse("patrol:shift_add"), body | {"people": "ghost"}, follow=True
    )
    assert "ghost" in unknown.content.decode()


def test_an_officer_records_small_ads_at_their_position_and_reports_them_as_a_case(city, world, login):
    from chengguan.cases.models import Case
    from chengguan.core.coords import gcj02_to_wgs84
    from chengguan.patrol.models import AdSighting

    lng, lat = gcj02_to_wgs84(114.3075, 34.8075)  # the device's position, inside district A
    client = login(city["officer"])
    form = {"form": "sighting", "number": "13912345678", "region": city.community_a1.pk, "ad_kind": "sticker",
            "ads_count": 4, "open_case": "on"}
    refused = client.post(reverse("patrol:ads"), form, follow=True)  # no position yet
    assert "立案需要小广告的位置" in refused.content.decode()
    assert not AdSighting.objects.filter(phone__number="13912345678").exists() and not Case.objects.exists()
    client.post(reverse("patrol:ads"), {**form, "lng": lng, "lat": lat})
    case = AdSighting.objects.get(phone__number="13912345678").case
    assert case.source == "patrol" and case.matter.code == "07001" and case.reporter == city["officer"]
