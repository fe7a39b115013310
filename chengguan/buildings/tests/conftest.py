"""Ledger fixtures: the bureau as enforcement body (clues are numbered by it), a running campaign with a ledger
target and a 私搭乱建 catalogue target, and a demolition project."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from chengguan.buildings.models import DemolitionProject, LedgerTarget
from chengguan.buildings.services import building_register
from chengguan.catalog.models import MatterType
from chengguan.core.testing import package_knows_up_to_2026  # noqa: F401 - pins chinesecalendar to 2026
from chengguan.enforcement.models import EnforcementBody
from chengguan.patrol.models import Campaign, CampaignTarget

TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


@pytest.fixture
def body(city):
    return EnforcementBody.objects.create(department=city.bureau, name="开封市城市管理局", short_name="汴城管")


@pytest.fixture
def campaign(city):
    c = Campaign.objects.create(code="CZ-2026-01", name="拆违百日攻坚", kind="hundred_days", status="running",
                                region=city.district_a, starts_on=date(2026, 4, 1), ends_on=date(2026, 7, 9))
    LedgerTarget.objects.create(campaign=c, items=3, area_m2=Decimal("500"))
    matter, _created = MatterType.objects.get_or_create(
        code="06001", defaults={"name": "私搭乱建", "major_code": "06", "major_name": "市容环境类"})
    CampaignTarget.objects.create(campaign=c, matter=matter, target_count=3)
    return c


@pytest.fixture
def project(city, campaign):
    return DemolitionProject.objects.create(code="XM-01", name="华美路100弄拆违项目", region=city.district_a,
                                            target_households=34, target_area_m2=Decimal("24300"),
                                            starts_on=date(2026, 4, 1), due_on=date(2026, 6, 30), state="running",
                                            campaign=campaign)


@pytest.fixture
def register(city):
    def _register(now, *, actor=None, **extra):
        data = dict(region=city.community_a1, address="西门大街88号后院", lng=114.305, lat=34.811,
                    area_m2=Decimal("120.5"), floors=2, households=1, use="residential", category="new",
                    source="patrol", discovered_at=now, party_name="李某")
        data.update(extra)
        return building_register(actor=actor or city["officer"], now=now, **data)

    return _register
