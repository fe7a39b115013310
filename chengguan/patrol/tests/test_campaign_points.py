"""A campaign's target places (重点点位): placed from the map picker, inside the campaign's region, drawn on the
campaign page's street map; managers only."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from chengguan.catalog.models import MatterType
from chengguan.core.errors import PermissionDenied, ValidationError
from chengguan.grids.testing import make_grids
from chengguan.patrol.models import CampaignPoint
from chengguan.patrol.services.campaign_points import campaign_point_add, campaign_point_remove
from chengguan.patrol.services.campaigns import campaign_create, campaign_start

TZ = ZoneInfo("Asia/Shanghai")
IN_A = (114.3075, 34.8075)  # GCJ-02, district A (the campaign's)
IN_B = (114.3325, 34.8075)  # district B


@pytest.fixture
def drive(city):
    make_grids(city)
    with time_machine.travel(datetime(2026, 4, 10, 9, tzinfo=TZ), tick=False):
        campaign = campaign_create(
            actor=city["leader"], name="占道经营百日攻坚", kind="hundred_days", region=city.district_a,
            starts_on=date(2026, 4, 1), ends_on=date(2026, 7, 9),
            targets={MatterType.objects.get(code="07003"): 100},
        )
        yield campaign_start(actor=city["leader"], campaign=campaign)


def test_a_manager_places_a_target_inside_the_region(city, drive):
    point = campaign_point_add(actor=city["leader"], campaign=drive, name="中山路夜市", lng=IN_A[0], lat=IN_A[1],
                               address="龙亭区中山路18号", matter=MatterType.objects.get(code="07003"))
    assert (point.lng, point.lat) == IN_A and point.unit_grid is not None
    with pytest.raises(ValidationError) as outside:
        campaign_point_add(actor=city["leader"], campaign=drive, name="别区", lng=IN_B[0], lat=IN_B[1])
    assert outside.value.field == "lng"
    with pytest.raises(ValidationError) as bad:
        campaign_point_add(actor=city["leader"], campaign=drive, name="无点", lng="east", lat="34.8")
    assert bad.value.field == "lng"
    with pytest.raises(ValidationError) as other:
        campaign_point_add(actor=city["leader"], campaign=drive, name="x", lng=IN_A[0], lat=IN_A[1],
                           matter=MatterType.objects.get(code="06010"))
    assert other.value.field == "matter"
    assert CampaignPoint.objects.count() == 1


def test_an_outsider_may_not_place_or_remove(city, drive):
    point = campaign_point_add(actor=city["leader"], campaign=drive, name="中山路夜市", lng=IN_A[0], lat=IN_A[1])
    with pytest.raises(PermissionDenied):
        campaign_point_add(actor=city["outsider"], campaign=drive, name="x", lng=IN_A[0], lat=IN_A[1])
    with pytest.raises(PermissionDenied):
        campaign_point_remove(actor=city["outsider"], point=point)
    assert CampaignPoint.objects.count() == 1
    campaign_point_remove(actor=city["leader"], point=point)  # positive control
    assert not CampaignPoint.objects.exists()


def test_the_campaign_page_draws_the_places_and_takes_new_ones(city, drive, client):
    client.force_login(city["leader"])
    url = f"/patrol/campaigns/{drive.pk}/"
    page = client.get(url).content.decode()
    assert 'data-address-picker' in page and "data-place-map" not in page
    client.post(url, {"form": "point_add", "name": "学校门口", "lng": IN_A[0], "lat": IN_A[1], "address": "中山路1号"})
    client.post(url, {"form": "point_add", "name": "别区", "lng": IN_B[0], "lat": IN_B[1]})  # refused, shown
    assert list(CampaignPoint.objects.values_list("name", flat=True)) == ["学校门口"]
    page = client.get(url).content.decode()
    assert "data-place-map" in page and "学校门口" in page and str(IN_A[0]) in page
    client.force_login(city["outsider"])
    response = client.post(url, {"form": "point_add", "name": "外人", "lng": IN_A[0], "lat": IN_A[1]})
    assert response.status_code in (302, 403, 404) and CampaignPoint.objects.count() == 1
