"""Who sees which case: regions see their subtree, a department only what was ever dispatched to it."""

import pytest
from django.http import Http404

from chengguan.core.errors import PermissionDenied

from ..selectors import case_for, department_inbox, supervisor_tasks, visible_cases
from ..workflow import State, allowed_actions
from .conftest import POINT_B


def test_it_shows_a_case_to_its_region_and_hides_it_from_the_other_district(walk):
    case = walk.new()
    city = walk.city
    for persona in ("supervisor", "operator", "shift_leader", "dispatcher", "leader", "admin", "officer"):
        assert case_for(city[persona], case.pk) == case
    for persona in ("outsider", "nobody", "department_handler", "roads_handler"):
        with pytest.raises(Http404):
            case_for(city[persona], case.pk)


def test_it_shows_a_department_only_what_was_dispatched_to_it_even_after_return(walk):
    city = walk.city
    mine = walk.to(State.DISPATCHED)
    walk.to(State.FILED)
    assert list(visible_cases(city["department_handler"])) == [mine]
    assert list(department_inbox(city["department_handler"])) == [mine]
    assert not visible_cases(city["roads_handler"]).exists()
    mine = walk.act(mine, "return", "department_handler", reason="非本部门")
    assert list(visible_cases(city["department_handler"])) == [mine]  # history stays visible
    assert not department_inbox(city["department_handler"]).exists()  # but no longer to handle
    walk.act(mine, "dispatch", "dispatcher", department_id=city.roads.pk)
    assert list(visible_cases(city["roads_handler"])) == [mine]


def test_it_lets_a_department_act_only_on_cases_assigned_to_it_now(walk):
    city = walk.city
    case = walk.to(State.DISPATCHED)
    with pytest.raises(PermissionDenied):
        walk.act(case, "reply", "roads_handler", reason="已处理")
    assert allowed_actions(city["department_handler"], case) == [
        "return",
        "request_extension",
        "request_hang_up",
        "reply",
    ]
    assert allowed_actions(city["roads_handler"], case) == []


@pytest.mark.parametrize("persona", ["assistant", "outsider", "nobody", "officer", "supervisor"])
def test_it_never_lets_these_personas_file_or_dispatch(walk, persona):
    accepted = walk.to(State.ACCEPTED)
    filed = walk.to(State.FILED)
    with pytest.raises(PermissionDenied):
        walk.act(accepted, "file", persona)
    with pytest.raises(PermissionDenied):
        walk.act(filed, "dispatch", persona, department_id=walk.city.sanitation.pk)


def test_it_gives_supervisors_the_tasks_of_their_own_grid(walk):
    city = walk.city
    mine = walk.to(State.VERIFYING)
    other = walk.to(State.VERIFYING, point=POINT_B, by="outsider")
    assert list(supervisor_tasks(city["supervisor"])) == [mine]
    assert list(supervisor_tasks(city["outsider"])) == [other]
