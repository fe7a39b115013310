"""The sweeper's set-wise batches send no per-event signal: the public receivers hear of them once per batch
(`sweep_events_recorded`, after commit) and act on the same events as the per-event path would."""

from datetime import timedelta

import pytest

from chengguan.cases.models import CaseEvent
from chengguan.cases.services.sweeper import sweep
from chengguan.cases.testing import report as staff_report
from chengguan.public.models import PointsEntry
from chengguan.public.services.citizen import citizen_report

from .conftest import POINT_A


@pytest.mark.parametrize("setwise", [False, True])
def test_points_for_an_urge_reach_the_citizen_on_both_paths(
    city, grids, garbage, frozen, settings, setwise, django_capture_on_commit_callbacks
):
    settings.PUBLIC_POINTS = {"file": 10, "urge": 1}  # a city that rewards a case being urged
    case = citizen_report(
        matter=garbage, lng=POINT_A[0], lat=POINT_A[1], crs="gcj02", description="x", phone="13912341234"
    )
    other = staff_report(city, garbage)
    frozen.shift(timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep(setwise=setwise)["urged"] == 2
    assert CaseEvent.objects.filter(action="urge", case=other).exists()
    assert list(PointsEntry.objects.filter(reason="urge").values_list("case_id", "points")) == [(case.pk, 1)]


def test_no_points_for_an_urge_when_the_rules_give_none(
    city, grids, garbage, frozen, settings, django_capture_on_commit_callbacks
):
    settings.PUBLIC_POINTS = {"file": 10}
    citizen_report(
        matter=garbage, lng=POINT_A[0], lat=POINT_A[1], crs="gcj02", description="x", phone="13912341234"
    )
    frozen.shift(timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep()["urged"] == 1
    assert not PointsEntry.objects.filter(reason="urge").exists()
