"""Every party's indicators on the March scenario (tests/scenario.py), with the values worked out by hand.

Composite scores use the shipped defaults (standards.md §5.2, defects fixed); rates are rounded to 2 decimals
before they are weighted, so composites are compared to 0.01.
"""

import pytest

from chengguan.evaluation.access import Viewer
from chengguan.evaluation.periods import parse_period
from chengguan.evaluation.reports import party_report

from .scenario import build_march

MARCH = parse_period("2026-03")


@pytest.fixture
def march(story, city):
    return build_march(story, city)


def rows_of(party, **opts):
    report = party_report(party, MARCH, Viewer(None), **opts)
    return {r.name: r for r in report.rows}, report


def test_supervisor_indicators(march, city):
    rows, _report = rows_of("supervisor")
    sup = rows[str(city["supervisor"])]
    v = sup.values
    # reports 1, 2, 5, 7; valid 1, 2, 7 (5 voided) → 3/4
    assert (v["reports"], v["valid"], v["valid_rate"]) == (4, 3, 75.0)
    # his grid: filed 1, 2, 3; missed = the citizen's case 3 → 1/3
    assert (v["missed"], v["missed_rate"]) == (1, 33.33)
    assert (v["need_verify"], v["verified_on_time"], v["verify_on_time_rate"]) == (1, 1, 100.0)
    # checks: case 1, case 2 (failed, on time), case 2 again
    assert (v["need_check"], v["checked_on_time"], v["check_on_time_rate"]) == (3, 3, 100.0)
    # workload: 3 valid reports in the month → the ladder's "at least 1" step, 40 points
    # 40×20 % + 75×30 % + (100 − 33.33)×15 % + 100×15 % + 100×20 % — a lower 漏报率 scores higher
    assert sup.score == pytest.approx(0.2 * 40 + 0.3 * 75 + 0.15 * 66.67 + 15 + 20, abs=0.01)
    assert sup.grade == "B"
    outsider = rows[str(city["outsider"])].values
    assert (outsider["valid_rate"], outsider["missed_rate"], outsider["verify_on_time_rate"]) == (
        100.0,
        0.0,
        None,
    )
    # terms without a value drop out, not count as 0; one valid report is far below the workload norm
    assert outsider["valid"] == 1
    assert rows[str(city["outsider"])].score == pytest.approx((20 * 40 + 45 * 100) / 65, abs=0.01)


def test_operator_indicators(march, city):
    rows, _report = rows_of("operator")
    op = rows[str(city["operator"])]
    v = op.values
    # decisions: accept 1 (on time), 2 (late), 3 (second round), 4, 5; reject 6
    assert (v["decisions"], v["decisions_on_time"], v["accept_on_time_rate"]) == (6, 5, 83.33)
    assert v["accept_accuracy_rate"] == 100.0
    # public first-round reports: 3 sent to verify on time, 6 rejected without verification
    assert (v["to_send_verify"], v["sent_verify_on_time"], v["send_verify_on_time_rate"]) == (2, 1, 50.0)
    # 6 decisions ≤ 100 → ladder 0; 0×25 % + 50×40 % + 83.33×35 %
    assert op.score == pytest.approx(0.4 * 50 + 0.35 * 83.33, abs=0.01)
    assert op.grade == "D"


def test_shift_leader_indicators(march, city):
    rows, _report = rows_of("shift_leader")
    sl = rows[str(city["shift_leader"])]
    v = sl.values
    assert (v["filed"], v["file_on_time_rate"]) == (5, 100.0)
    assert (v["filed_accurate"], v["file_accuracy_rate"]) == (4, 80.0)  # case 5 voided after filing
    assert (v["closed"], v["close_on_time_rate"]) == (3, 100.0)
    assert sl.score == pytest.approx(25 + 0.4 * 80 + 35, abs=0.01)
    assert sl.grade == "A"


def test_dispatcher_indicators(march, city):
    rows, _report = rows_of("dispatcher")
    d = rows[str(city["dispatcher"])]
    v = d.values
    # cases 1, 2, 3, 4 → roads (returned: wrong department), 4 → sanitation
    assert (v["dispatched"], v["dispatch_on_time_rate"]) == (5, 100.0)
    assert (v["dispatched_accurate"], v["dispatch_accuracy_rate"]) == (4, 80.0)
    assert d.score == pytest.approx(0.4 * 100 + 0.4 * 80, abs=0.01)
    assert d.grade == "C"


def test_department_indicators(march, city):
    rows, report = rows_of("department")
    san = rows[city.sanitation.name]
    v = san.values
    # assignments 1, 2, 3, 4; case 3 hung up now → 应处置 3
    assert (v["assigned"], v["hung_now"], v["need_handle"]) == (4, 1, 3)
    assert (v["handled"], v["handle_rate"]) == (2, 66.67)
    assert (v["handled_on_time"], v["handle_on_time_rate"]) == (1, 33.33)
    assert (v["handled_overdue"], v["handle_overdue_rate"]) == (1, 33.33)  # case 2's rework reply was late
    assert (v["reworked"], v["rework_rate"]) == (1, 33.33)
    assert (v["extended"], v["extension_rate"]) == (1, 33.33)
    assert (v["hung_up"], v["returned"], v["return_rate"]) == (1, 0, 0.0)
    assert (v["closed"], v["close_rate"], v["close_on_time_rate"]) == (2, 66.67, 33.33)
    assert v["overdue_open"] == 1  # case 4, due Fri 3/13 16:10
    # 3 cases ≤ 50 → 100; 100×10 % + 66.67×30 % + 33.33×30 % + (100 − 33.33)×30 %
    assert san.score == pytest.approx(10 + 0.3 * 66.67 + 0.3 * 33.33 + 0.3 * 66.67, abs=0.01)
    assert san.grade == "C"
    roads = rows[city.roads.name]
    assert (roads.values["need_handle"], roads.values["handle_rate"], roads.values["return_rate"]) == (
        0,
        None,
        100.0,
    )
    assert roads.score is None and roads.rank is None  # a count ladder alone does not rank a department
    assert [r.name for r in report.rows] == [city.sanitation.name, city.roads.name]


def test_region_indicators_by_district(march, city):
    rows, report = rows_of("region", level="district")
    a = rows[city.district_a.name]
    v = a.values
    assert (v["reported"], v["filed"], v["public_filed"], v["public_report_rate"]) == (6, 3, 1, 33.33)
    assert (v["need_close"], v["closed"], v["close_rate"], v["close_on_time_rate"]) == (3, 3, 100.0, 66.67)
    assert a.unit_grids == 16
    # 3 filed / 16 grids per month ≤ 2 → 90; (100 − 33.33)×10 % + 90×20 % + 100×30 % + 66.67×40 %
    assert a.score == pytest.approx(0.1 * 66.67 + 18 + 30 + 0.4 * 66.67, abs=0.01)
    assert a.grade == "B"
    b = rows[city.district_b.name]
    assert (b.values["public_report_rate"], b.values["close_rate"], b.values["close_on_time_rate"]) == (
        0.0,
        0.0,
        0.0,
    )
    assert b.score == pytest.approx(10 + 18, abs=0.01) and b.grade == "E"
    assert [r.rank for r in report.rows] == [1, 2]


def test_the_seeds_measures_by_district(march, city):
    rows, _report = rows_of("region", level="district")
    v = rows[city.district_a.name].values
    assert v["discovery_rate"] == 66.67  # 4 of 6 reports found by the city's own supervisors
    assert v["disposal_rate"] == 66.67  # 2 of 3 dispatched cases handled
    assert v["rectification_rate"] == 75.0  # 1, 2 checked, 7 fixed on the spot, of 4 valid
    assert v["complaint_close_rate"] is None  # no public report left to close: "—", not 0 %


def test_region_levels_and_drill_down(march, city):
    rows, _report = rows_of("region", level="street", parent=city.district_a)
    assert list(rows) == [city.street_a.name]
    assert rows[city.street_a.name].values["reported"] == 6
    rows, _report = rows_of("region", level="community", parent=city.street_a)
    assert set(rows) == {city.community_a1.name, city.community_a2.name}
    assert rows[city.community_a2.name].values["reported"] == 0
    assert rows[city.community_a2.name].values["close_rate"] is None
    rows, _report = rows_of("region", level="grid", parent=city.community_a1)
    assert len(rows) == 8
    assert rows["410202001001006"].values["reported"] == 6


def test_an_empty_period_gives_dashes_not_zeros(march):
    report = party_report("department", parse_period("2026-01"), Viewer(None))
    assert report.rows == [] and report.totals["handle_rate"] is None
    report = party_report("region", parse_period("2026-01"), Viewer(None), level="district")
    assert {r.values["close_rate"] for r in report.rows} == {None}
