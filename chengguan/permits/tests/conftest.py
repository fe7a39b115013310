"""Permit fixtures: the bureau as the body that numbers permits, a vending zone of two stalls, and a helper that
files an application with the shared personas."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from chengguan.core.testing import package_knows_up_to_2026  # noqa: F401 - pins chinesecalendar to 2026
from chengguan.enforcement.models import EnforcementBody
from chengguan.permits.models import VendingZone
from chengguan.permits.services import application_submit

TZ = ZoneInfo("Asia/Shanghai")


def at(y, m, d, hh=10, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


@pytest.fixture
def body(city):
    return EnforcementBody.objects.create(department=city.bureau, name="开封市城市管理局", short_name="汴城管",
                                          review_authority="开封市人民政府", court="开封市龙亭区人民法院")


@pytest.fixture
def zone(city):
    return VendingZone.objects.create(code="SD-01", name="西门夜市疏导点", region=city.community_a1, address="西门大街",
                                      lng=114.305, lat=34.81, capacity=2, opens_at=time(17), closes_at=time(23))


@pytest.fixture
def submit(city, body):
    def _submit(now, *, kind="shop_sign", region=None, actor=None, channel="online", **extra):
        data = dict(kind=kind, region=region or city.community_a1, applicant_type="organisation",
                    applicant_name="开封鼓楼小吃店", applicant_phone="13900001111", address="西门大街12号",
                    lng=114.3051, lat=34.8101, description="门头牌匾一块", size="6 m × 1.2 m",
                    requested_from=date(2026, 5, 1), requested_to=date(2027, 4, 30))
        data.update(extra)
        return application_submit(actor=actor, channel=channel, now=now, **data)

    return _submit
