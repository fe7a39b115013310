"""The demo loader puts cases in every state through the services, with a history that makes sense, once."""

import io
from datetime import datetime

import time_machine

from chengguan.grids.testing import make_grids

from .. import demo, workflow
from ..models import Case, CaseEvent
from .conftest import TZ


def test_the_demo_puts_cases_in_every_state_once(city, monkeypatch):
    make_grids(city)
    monkeypatch.setattr(demo, "PLAN", {state: 2 for state in workflow.STATES})
    out = io.StringIO()
    with time_machine.travel(datetime(2026, 4, 20, 16, tzinfo=TZ), tick=False):
        demo.load(stdout=out)
        states = set(Case.objects.values_list("state", flat=True))
        assert states == set(workflow.STATES)
        assert Case.objects.count() == 2 * len(workflow.STATES)
        assert CaseEvent.objects.filter(action="urge", actor_role="system").exists()  # some are overdue now
        assert CaseEvent.objects.filter(on_time=False).exists()  # and some steps were late
        events = CaseEvent.objects.count()
        demo.load(stdout=out)
    assert "already loaded" in out.getvalue()
    assert CaseEvent.objects.count() == events
    merged = Case.objects.filter(state=workflow.State.MERGED).select_related("merged_into")
    assert merged.exists()
    for case in merged:  # a merge never precedes its target, so an export imports back in time order
        merge_at = case.events.get(action="merge").at
        assert case.merged_into.reported_at <= merge_at
    for case in Case.objects.all():  # every history is in time order
        times = list(case.events.order_by("pk").values_list("at", flat=True))
        assert times == sorted(times)
