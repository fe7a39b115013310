"""Fair scoring: a member without own work in the period has no score ("—"), and a supervisor's workload
(有效上报数 against the configured monthly norm) is a term, so an idle supervisor cannot rank first."""

import math

import pytest

from chengguan.evaluation.access import Viewer
from chengguan.evaluation.models import LadderStep
from chengguan.evaluation.periods import parse_period
from chengguan.evaluation.reports import party_report
from chengguan.org.models import Role, RoleAssignment, User

from .conftest import at

MARCH = parse_period("2026-03")


@pytest.fixture
def idle(city, grids):
    """A second supervisor of the supervisor's responsibility grid who reports nothing."""
    user = User.objects.create_user(username="idle", password="pw-idle", full_name="idle")
    RoleAssignment.objects.create(user=user, role=Role.SUPERVISOR, region=city.district_a)
    grids.responsibility_a.supervisors.add(user)
    return user


def _filed_report(story, day):
    case = story.report(at(day, 9))
    return story.walk(case, (at(day, 9, 5), "accept", "operator"), (at(day, 9, 10), "file", "shift_leader"))


def _rows():
    return {r.name: r for r in party_report("supervisor", MARCH, Viewer(None)).rows}


def test_an_idle_supervisor_shows_a_dash_and_is_not_ranked(story, city, idle):
    _filed_report(story, 10)
    rows = _rows()
    lazy, busy = rows["idle"], rows[str(city["supervisor"])]
    # the grid's rate alone (漏报率 0 % → 100 points) used to rank the idle supervisor first with 100.00
    assert lazy.values["missed_rate"] == 0.0 and lazy.values["reports"] == 0
    assert (lazy.score, lazy.grade, lazy.rank) == (None, None, None)
    assert busy.score is not None and busy.rank == 1  # positive control: the one who worked is ranked


def test_workload_against_the_norm_separates_equal_rates(story, city, idle):
    _filed_report(story, 10)
    for day in (11, 12, 13):
        _filed_report(story, day)
    busy = _rows()[str(city["supervisor"])]
    assert (busy.values["valid"], busy.values["valid_rate"]) == (4, 100.0)
    # valid 4 a month → the ladder's "at least 1" step, 40 points (weight 20); 有效上报率 (30) and 漏报率 (15)
    # score 100; no verification or check tasks, so those terms drop out
    assert busy.score == pytest.approx((20 * 40 + 45 * 100) / 65, abs=0.01)
    # the norm is configuration: lower the top step to 4 a month and the same work scores 100
    LadderStep.objects.filter(ladder__key="supervisor_valid_reports", score=100).update(bound=4)
    assert _rows()[str(city["supervisor"])].score == pytest.approx(100.0)


def test_the_rankings_page_shows_a_dash_for_the_idle_supervisor(story, city, idle, login):
    _filed_report(story, 10)
    client = login(city["leader"])
    page = client.get("/evaluation/rank/supervisor/?period=2026-03").content.decode()
    assert "idle" in page and str(city["supervisor"]) in page
    row = page[page.index(">idle<") :].split("</tr>")[0]
    assert "—" in row and "100.00" not in row


def _valid_norm(**flags):
    from chengguan.evaluation.models import Ladder

    Ladder.objects.filter(key="supervisor_valid_reports").update(**flags)


def test_workload_per_unit_grid_of_the_supervisors_area(story, city, grids):
    for day in (10, 11, 12, 13):
        _filed_report(story, day)
    area = grids.responsibility_a.unit_grids.count()
    assert area > 1
    # per month: 4 valid reports → the "at least 1" step, 40 points
    before = _rows()[str(city["supervisor"])].score
    per_grid = 4 / area
    _valid_norm(per_unit_grid=True, per_month=False)
    assert _rows()[str(city["supervisor"])].unit_grids == area
    steps = LadderStep.objects.filter(ladder__key="supervisor_valid_reports")
    steps.filter(score=40).update(bound="0.01")
    steps.filter(score=100).update(bound=f"{math.ceil(per_grid * 100) / 100 + 0.01:.2f}")
    # 4 reports over `area` unit grids sit below the top step: the "at least 0.01" step, as before
    assert _rows()[str(city["supervisor"])].score == pytest.approx(before)
    steps.filter(score=100).update(bound=f"{math.floor(per_grid * 100) / 100:.2f}")
    assert _rows()[str(city["supervisor"])].score == pytest.approx(100.0)  # positive: the norm per unit grid


def test_workload_per_duty_shift_worked(story, city, grids):
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from chengguan.patrol.models import DutyAssignment, DutyShift

    tz = ZoneInfo("Asia/Shanghai")
    for day in (10, 11, 12, 13):
        _filed_report(story, day)
    for day in (10, 11):  # two shifts worked, one on leave (does not count)
        shift = DutyShift.objects.create(day=date(2026, 3, day), starts_at=datetime(2026, 3, day, 7, tzinfo=tz),
                                         ends_at=datetime(2026, 3, day, 15, tzinfo=tz), region=city.district_a)  # fmt: skip
        DutyAssignment.objects.create(shift=shift, user=city["supervisor"], body="supervisor")
    shift = DutyShift.objects.create(day=date(2026, 3, 12), starts_at=datetime(2026, 3, 12, 7, tzinfo=tz),
                                     ends_at=datetime(2026, 3, 12, 15, tzinfo=tz), region=city.district_a)  # fmt: skip
    DutyAssignment.objects.create(shift=shift, user=city["supervisor"], body="supervisor", status="on_leave")
    _valid_norm(per_shift=True)
    assert _rows()[str(city["supervisor"])].shifts == 2
    LadderStep.objects.filter(ladder__key="supervisor_valid_reports", score=100).update(bound=2)  # 2 a shift
    assert _rows()[str(city["supervisor"])].score == pytest.approx(100.0)  # 4 reports / 2 shifts = 2
    LadderStep.objects.filter(ladder__key="supervisor_valid_reports", score=100).update(bound=3)
    assert _rows()[str(city["supervisor"])].score < 100.0  # control: 2 a shift is below a norm of 3
