"""The Kaifeng demo routes every matter somewhere, with district overrides, and loads idempotently."""

import io

import pytest

from chengguan.catalog import demo
from chengguan.catalog.models import MatterType, RoutingRule
from chengguan.catalog.services import suggest_department
from chengguan.org import demo as org_demo
from chengguan.org.models import Region

pytestmark = pytest.mark.django_db


def test_it_routes_every_kaifeng_matter_and_does_not_duplicate_on_a_second_run():
    org_demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    count = RoutingRule.objects.count()
    demo.load(stdout=io.StringIO())
    assert RoutingRule.objects.count() == count
    city = Region.objects.get(code=demo.CITY_CODE)
    for matter in MatterType.objects.all():
        assert suggest_department(matter=matter, region=city) is not None, matter
    longting, gulou = Region.objects.get(code="410202000000"), Region.objects.get(code="410204000000")
    garbage = MatterType.objects.get(code="06010")
    assert suggest_department(matter=garbage, region=longting).code == "KF-SANIT-LT"
    assert suggest_department(matter=garbage, region=gulou).code == "KF-SANIT"
    assert suggest_department(matter=MatterType.objects.get(code="01001"), region=gulou).code == "KF-WATER"
    assert suggest_department(matter=MatterType.objects.get(code="01037"), region=gulou).code == "KF-LIGHT"
    assert suggest_department(matter=MatterType.objects.get(code="09006"), region=gulou).code == "KF-ZD-GL"


def test_it_skips_quietly_without_the_kaifeng_organisation():
    out = io.StringIO()
    demo.load(stdout=out)
    assert "skipped" in out.getvalue() and not RoutingRule.objects.exists()
