"""Issue 12: statutory periods reaching into a year whose holiday arrangement is not entered are counted with
the fallback rule, listed as provisional (page, API), and counted again — with a history row and an audit
record per changed deadline — when the arrangement is entered."""


import time_machine

from chengguan.core.calendar_service import enter_arrangement
from chengguan.core.holiday_notice import parse_notice
from chengguan.core.testing import NOTICE_2027, package_knows_up_to_2026  # noqa: F401 - autouse fixture
from chengguan.enforcement.deadlines import end_of_day
from chengguan.enforcement.models import CaseEvent
from chengguan.enforcement.services import case_register_clue

from .conftest import PARTY, Walk, at, date


def test_penalty_deadlines_into_2027_are_provisional_until_the_2027_notice_is_entered(city, body, items, login,
                                                                                         api_client):
    with time_machine.travel(at(2026, 11, 10, 9), tick=False):
        clue = case_register_clue(actor=city["officer"], region=city.community_a1, department=city.brigade_a,
                                  source="patrol", title="擅自占用城市道路", **PARTY)
    walk = Walk(city, clue)
    walk.do("propose_filing", "officer", at(2026, 11, 10, 10), co_officer=walk.co(), opinion="符合立案条件，建议立案。")
    case = walk.do("approve_filing", "leader", at(2026, 11, 10, 14), opinion="同意")
    # 90 days from 10 Nov 2026 is Mon 8 Feb 2027, a workday by the fallback rule.
    assert case.decision_due == end_of_day(date(2027, 2, 8))
    assert case.provisional_deadlines == ["decision_due"]  # verification_due (25 Nov 2026) is not: control
    page = login(city["officer"]).get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert "暂定" in page
    rows = {d["code"]: d for d in api_client(city["officer"]).get(f"/api/v1/enforcement/cases/{case.pk}").json()["deadlines"]}
    assert rows["decision"]["provisional"] is True and rows["clue_verification"]["provisional"] is False

    with time_machine.travel(at(2026, 12, 1, 9), tick=False):
        result = enter_arrangement(arrangement=parse_notice(NOTICE_2027.read_text(encoding="utf-8")),
                                   actor=city["admin"])
    case.refresh_from_db()
    # The 2027 notice gives 5–12 Feb off (春节): the last day rolls to Monday 15 Feb.
    assert case.decision_due == end_of_day(date(2027, 2, 15)) and case.provisional_deadlines == []
    assert [(c["kind"], c["field"]) for c in result["changes"]] == [("enforcement", "decision_due")]
    event = CaseEvent.objects.get(case=case, act="recompute_deadline")
    assert event.payload["old_deadline"].startswith("2027-02-08T23:59:59")
    assert event.payload["new_deadline"].startswith("2027-02-15T23:59:59")
    assert event.actor == city["admin"] and event.audit_seq is not None
    page = login(city["officer"]).get(f"/enforcement/cases/{case.pk}/").content.decode()
    assert "暂定" not in page and "期限重新计算（节假日安排已录入）" in page
