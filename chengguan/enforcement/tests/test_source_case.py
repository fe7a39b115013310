"""An enforcement clue may open from a 数字城管 case; the link is kept and shown as the source."""

import time_machine

from chengguan.cases.services import case_report
from chengguan.catalog.models import MatterType
from chengguan.enforcement.services import case_register_clue
from chengguan.grids.testing import make_grids

from .conftest import at


def test_a_clue_from_a_digital_case_keeps_the_link(city, body, items, api_client):
    make_grids(city)
    with time_machine.travel(at(2026, 3, 10, 9), tick=False):
        digital = case_report(actor=city["supervisor"], source="supervisor",
                              matter=MatterType.objects.get(code="06010"), lng=114.3075, lat=34.8075, crs="gcj02",
                              description="建筑垃圾乱倒", address="西门大街 12 号")
        clue = case_register_clue(actor=city["officer"], region=city.community_a1, department=city.brigade_a,
                                  source="patrol", title="随意倾倒建筑垃圾", source_case=digital)
    assert clue.source == "digital_case" and clue.source_reference == digital.number
    assert list(digital.enforcement_cases.all()) == [clue]
    with time_machine.travel(at(2026, 3, 10, 10), tick=False):
        response = api_client(city["officer"]).post("/api/v1/enforcement/cases", {
            "region_id": city.community_a1.pk, "department_id": city.brigade_a.pk, "source": "patrol",
            "title": "x", "source_case_number": digital.number}, content_type="application/json")
        assert response.status_code == 201 and response.json()["source"] == "digital_case"
        missing = api_client(city["officer"]).post("/api/v1/enforcement/cases", {
            "region_id": city.community_a1.pk, "department_id": city.brigade_a.pk, "source": "patrol",
            "title": "x", "source_case_number": "NOPE"}, content_type="application/json")
    assert missing.status_code == 422 and missing.json()["field"] == "source_case_number"
