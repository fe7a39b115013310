"""The whole transition table walked: every legal action from every state succeeds for the role it names and
leads where the table says; every illegal action is rejected — even for an administrator."""

from pathlib import Path

import pytest

from chengguan.core.errors import Conflict, PermissionDenied

from .. import workflow
from ..models import CaseEvent, CaseRequest
from ..services import case_act
from ..testing import params_for
from ..workflow import State

# The persona who holds each role in the `city` fixture.
PERSONA = {
    "operator": "operator",
    "shift_leader": "shift_leader",
    "dispatcher": "dispatcher",
    "department_handler": "department_handler",
    "supervisor": "supervisor",
    "leader": "leader",
}


LEGAL = [(state, t) for state in workflow.STATES for t in workflow.TRANSITIONS if state in t.sources]
ILLEGAL = {
    state: [action for action in workflow.ACTIONS if not workflow.transitions_for(action, state)]
    for state in workflow.STATES
}


def _id(value):
    state, t = value
    return f"{t.action}{'-' + t.variant if t.variant else ''}-from-{state}"


@pytest.mark.parametrize("state,transition", LEGAL, ids=[_id(v) for v in LEGAL])
def test_it_allows_every_legal_action_for_each_role_it_names(walk, state, transition):
    for role in sorted(transition.roles):
        case = walk.to(state)
        params = params_for(walk, case, transition)
        events_before = CaseEvent.objects.filter(case=case).count()
        result = walk.act(case, transition.action, PERSONA[role], **params)
        assert result.state == transition.leads_to(state)
        event = CaseEvent.objects.filter(case=case).latest("pk")
        assert CaseEvent.objects.filter(case=case).count() == events_before + 1
        assert (event.action, event.from_state, event.to_state, event.actor_role) == (
            transition.action,
            state,
            result.state,
            role,
        )
        assert event.actor == walk.city[PERSONA[role]]
        assert result.is_open == (result.state not in workflow.FINAL_STATES)


@pytest.mark.parametrize("state", workflow.STATES)
def test_it_rejects_every_illegal_action_even_for_an_admin(walk, state):
    case = walk.to(state)
    events = CaseEvent.objects.filter(case=case).count()
    assert ILLEGAL[state], "every state forbids something"
    for action in ILLEGAL[state]:
        with pytest.raises(Conflict) as err:
            case_act(actor=walk.city["admin"], case=case, action=action, reason="x")
        assert err.value.code == "illegal_transition", action
    case.refresh_from_db()
    assert case.state == state
    assert CaseEvent.objects.filter(case=case).count() == events


ALL_PERSONAS = (
    "supervisor",
    "operator",
    "shift_leader",
    "dispatcher",
    "department_handler",
    "roads_handler",
    "officer",
    "assistant",
    "legal_reviewer",
    "leader",
    "outsider",
    "nobody",
)


@pytest.mark.parametrize("state,transition", LEGAL, ids=[_id(v) for v in LEGAL])
def test_it_refuses_every_persona_without_the_role(walk, state, transition):
    case = walk.to(state)
    params = params_for(walk, case, transition)
    allowed = {PERSONA[r] for r in transition.roles}
    for persona in ALL_PERSONAS:
        if persona in allowed:
            continue
        with pytest.raises(PermissionDenied):
            case_act(actor=walk.city[persona], case=case, action=transition.action, **params)
    case.refresh_from_db()
    assert case.state == state


def test_it_lets_only_the_grid_supervisor_verify(walk):
    case = walk.to(State.VERIFYING)
    assert case.assignee == walk.city["supervisor"]
    with pytest.raises(PermissionDenied):
        walk.act(case, "verify", "outsider", confirmed=True)


def test_it_keeps_the_pending_request_rules(walk):
    case = walk.to(State.DISPATCHED)
    with pytest.raises(Conflict) as err:
        walk.act(case, "approve_extension", "dispatcher")
    assert err.value.code == "no_pending_request"
    walk.act(case, "request_extension", "department_handler", amount=1, unit="working_days", reason="等材料")
    with pytest.raises(Conflict) as err:
        walk.act(
            case, "request_extension", "department_handler", amount=1, unit="working_days", reason="再等"
        )
    assert err.value.code == "request_pending"
    walk.act(case, "reply", "department_handler", reason="已处理")
    assert CaseRequest.objects.get(case=case).status == CaseRequest.Status.WITHDRAWN


def test_it_documents_the_current_table():
    doc = Path(__file__).resolve().parents[3] / "docs" / "cases.md"
    assert workflow.markdown_table() in doc.read_text(encoding="utf-8"), (
        "docs/cases.md is stale: paste chengguan.cases.workflow.markdown_table() into it"
    )
