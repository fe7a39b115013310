"""The intake answer's duplicate search, compiled once per scope (`cases/duplicates.py`), finds exactly what the
ORM's query finds, for readers of every kind of scope, and on a second report with other values."""

from datetime import timedelta

import time_machine

from chengguan.catalog.models import MatterType

from .. import duplicates
from ..duplicates import duplicate_box, duplicate_candidates, duplicate_query
from ..models import Case
from ..selectors import visible_cases
from ..workflow import State
from .conftest import POINT_A, POINT_B, T0, report

FIELDS = ("pk", "number", "state", "lng", "lat", "reported_at")
ONLY = ("number", "state")


def _rows(cases):
    return sorted(tuple(getattr(c, f) for f in FIELDS) for c in cases)


def _orm(case, user):
    return _rows(duplicate_query(visible_cases(user), case, duplicate_box(case), ONLY))


def test_the_compiled_search_finds_what_the_orm_finds_for_every_scope(city, grids, garbage, walk):
    duplicates._compiled.clear()
    near = (POINT_A[0] + 0.0001, POINT_A[1])
    other = MatterType.objects.exclude(pk=garbage.pk).filter(is_active=True).first()
    with time_machine.travel(T0, tick=False):
        same = [report(city, garbage, point=near) for _ in range(2)]
        report(city, other, point=near)  # another matter
        report(city, garbage, point=POINT_B)  # far away
        walk.to(State.REJECTED)  # no longer open
        walk.to(State.DISPATCHED)  # to sanitation: its handler sees it
    with time_machine.travel(T0 + timedelta(days=30), tick=False):
        report(city, garbage, point=near)  # outside the time window of the first ones
    for at, probe in ((T0, same[0]), (T0 + timedelta(days=30), report(city, garbage, point=near))):
        with time_machine.travel(at, tick=False):
            merged = report(city, garbage, point=near)
            Case.objects.filter(pk=merged.pk).update(merged_into=probe)
            for name in (
                "supervisor",
                "outsider",
                "department_handler",
                "roads_handler",
                "admin",
                "operator",
            ):
                user = city[name]
                expected = _orm(probe, user)
                got = _rows(duplicates.compiled_candidates(probe, user, duplicate_box(probe), ONLY))
                assert got == expected, name
                answer = duplicate_candidates(probe, user=user, only=ONLY)
                assert [c.pk for c, _d in answer] == [
                    c.pk for c, _d in duplicate_candidates(probe, user=user)
                ]
    assert _orm(same[0], city["supervisor"]), "the supervisor's search must find something to compare"
    assert _orm(same[0], city["department_handler"]), "the handler sees the dispatched case"
    assert (
        duplicates._compiled and duplicates.ORM not in duplicates._compiled.values()
    )  # compiled, not the ORM
