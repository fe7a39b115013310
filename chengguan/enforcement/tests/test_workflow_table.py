"""The declared table is the law of the case: every act is refused from every state it does not list."""

import pytest
import time_machine
from django.db import transaction

from chengguan.core.errors import Conflict
from chengguan.enforcement.models import EnforcementCase, State
from chengguan.enforcement.services import ACT_FUNCTIONS
from chengguan.enforcement.services.base import Act
from chengguan.enforcement.workflow import ACT_LIST, ACTS, LEADER, LEGAL, OFFICER

from .conftest import at

PERSONA = {OFFICER: "officer", LEADER: "leader", LEGAL: "legal_reviewer"}


def test_every_declared_act_has_a_service_and_known_states():
    assert set(ACT_FUNCTIONS) == set(ACTS)
    for act in ACT_LIST:
        assert set(act.sources) <= set(State.values), act.code
        assert set(act.targets) <= set(State.values), act.code


def test_every_state_is_reachable_from_a_clue_and_only_terminal_states_are_dead_ends():
    reachable, frontier = {State.CLUE}, [State.CLUE]
    while frontier:
        state = frontier.pop()
        for act in ACT_LIST:
            if state in act.sources:
                for target in act.targets:
                    if target not in reachable:
                        reachable.add(target)
                        frontier.append(target)
    assert reachable == set(State.values)
    dead_ends = {s for s in State.values if not any(s in a.sources and a.targets for a in ACT_LIST)}
    assert dead_ends == {State.DISMISSED, State.ARCHIVED}


@pytest.mark.parametrize("code", sorted(ACTS))
def test_it_refuses_each_act_outside_its_source_states_and_admits_it_inside(code, clue, city):
    act = ACTS[code]
    who = city[PERSONA[act.roles[0]]]
    co = city["officer2"] if act.two_officers else None
    for state in State.values:
        EnforcementCase.objects.filter(pk=clue.pk).update(state=state)
        with time_machine.travel(at(2026, 3, 3), tick=False), transaction.atomic():
            if state in act.sources:
                assert Act(actor=who, case=clue, code=code, co_officer=co).case.state == state
            else:
                with pytest.raises(Conflict) as err:
                    Act(actor=who, case=clue, code=code, co_officer=co)
                assert err.value.code == "illegal_transition", (code, state)
