"""The live path (facts advanced event by event inside the case transaction) gives exactly the rows a rebuild from
the events gives: random histories through the real case services and the sweeper, compared row by row."""

import random
from datetime import timedelta

import pytest
from django.db import transaction

from chengguan.cases import workflow
from chengguan.cases.models import Case, CaseEvent
from chengguan.cases.services.sweeper import sweep
from chengguan.catalog.models import FilingCondition, MatterType
from chengguan.core.errors import DomainError
from chengguan.evaluation.facts import facts_apply, facts_rebuild
from chengguan.evaluation.models import CaseFact, StepFact

from .conftest import POINT_A, POINT_B, T0
from .test_facts import snapshot

# who does an action, and with what (photos: "photo" makes an upload); a callable gets (rng, city, case)
ACTORS = {
    "accept": "operator",
    "reject": "operator",
    "request_verification": "operator",
    "verify": "supervisor",
    "merge": "operator",
    "self_handle": "supervisor",
    "file": "shift_leader",
    "void": "shift_leader",
    "dispatch": "dispatcher",
    "request_extension": "department_handler",
    "approve_extension": "dispatcher",
    "deny_extension": "dispatcher",
    "request_hang_up": "department_handler",
    "hang_up": "dispatcher",
    "deny_hang_up": "dispatcher",
    "resume": "dispatcher",
    "reply": "department_handler",
    "return": "department_handler",
    "check_pass": "supervisor",
    "check_fail": "supervisor",
    "close": "shift_leader",
    "urge": "leader",
    "supervise": "dispatcher",
}
# the likely way forward gets more weight, so histories reach handling, checking and closing
WEIGHTS = {
    "reject": 1,
    "void": 1,
    "merge": 1,
    "urge": 2,
    "supervise": 1,
    "deny_hang_up": 1,
    "deny_extension": 1,
}


def params_for(rng, city, case, action, others, matters):
    p = {"reason": "随机历史"}
    if action == "verify":
        p["confirmed"] = rng.random() < 0.8
    elif action in ("self_handle", "check_pass"):
        p["photos"] = "photo"
    elif action == "dispatch":
        p["department_id"] = city.sanitation.pk if rng.random() < 0.8 else city.roads.pk
    elif action in ("request_extension", "approve_extension"):
        p.update(amount=rng.choice([1, 2]), unit="working_days")
    elif action == "accept" and rng.random() < 0.2:
        p["matter_code"] = rng.choice(matters)
    elif action == "merge":
        open_others = [c for c in others if c.pk != case.pk and c.is_open]
        if not open_others:
            return None
        p["target_id"] = rng.choice(open_others).pk
    return p


def random_histories(story, city, seed: int, cases: int = 24, actions: int = 22) -> dict:
    rng = random.Random(seed)
    other = (
        MatterType.objects.exclude(major_code="06")
        .filter(is_active=True, filing_conditions__is_active=True)
        .order_by("code")
        .first()
    )
    matters = ["06010", other.code]  # accept may correct the matter: a dimension of every fact row changes
    done = {"events": 0, "sweeps": 0, "refused": 0}
    live = []
    when = T0
    for _ in range(cases):
        when += timedelta(minutes=rng.randint(1, 200))
        point = POINT_A if rng.random() < 0.8 else POINT_B
        source = rng.choice(["supervisor", "supervisor", "citizen", "hotline"])
        by = "supervisor" if source == "supervisor" else None if source == "citizen" else "operator"
        extra = {"reporter_phone": "13800000000"} if source != "supervisor" else {}
        live.append(story.report(when, by=by, source=source, point=point, **extra))
    for _ in range(cases * actions):
        # time jumps: minutes mostly, sometimes days (deadlines pass, the sweeper urges and escalates)
        when += timedelta(
            minutes=rng.choices([5, 20, 60, 240, 60 * 24, 60 * 24 * 4], [30, 30, 20, 10, 3, 1])[0]
        )
        if rng.random() < 0.08:
            story._move(when)
            with story.capture(execute=True):
                sweep(now=when)
            done["sweeps"] += 1
            continue
        case = rng.choice(live)
        case.refresh_from_db()
        if not case.is_open:
            continue
        choices = workflow.actions_from(case.state)
        action = rng.choices(choices, weights=[WEIGHTS.get(a, 5) for a in choices])[0]
        params = params_for(rng, city, case, action, live, matters)
        if params is None:
            continue
        by = ACTORS[action]
        if by == "department_handler" and case.current_department_id == city.roads.pk:
            by = "roads_handler"
        if by == "supervisor" and case.district_id == city.district_b.pk:
            by = "outsider"  # the supervisor of district B
        if action == "file" and case.matter_id != story.matter.pk:
            condition = FilingCondition.objects.filter(matter_id=case.matter_id, is_active=True).first()
            if condition is None:
                continue
            params["filing_condition_id"] = condition.pk
        try:
            story.act(case, when, action, by, **params)
            done["events"] += 1
        except DomainError as e:
            done["refused"] += 1
            done.setdefault("why", {}).setdefault(action, str(e))
    return done


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_histories_give_the_same_facts_live_and_rebuilt(story, city, seed):
    done = random_histories(story, city, seed)
    assert done["events"] > 150 and done["sweeps"] > 5, done
    actions = set(CaseEvent.objects.values_list("action", flat=True))
    # the histories include rework, extension, hang-up, returns, voids and overdue (sweeper) events
    assert {"check_fail", "approve_extension", "hang_up", "resume", "return", "urge", "close"} <= actions, (
        actions
    )
    assert StepFact.objects.filter(overdue=1).exists() and StepFact.objects.filter(faulted=1).exists()
    live = snapshot()
    assert len(live[0]) == Case.objects.count()
    StepFact.objects.all().delete()
    CaseFact.objects.all().delete()
    facts_rebuild()
    rebuilt = snapshot()
    assert len(live[1]) == len(rebuilt[1])
    for a, b in zip(live[0], rebuilt[0], strict=True):
        assert a == b
    for a, b in zip(live[1], rebuilt[1], strict=True):
        assert a == b


def test_an_event_of_a_case_without_facts_rebuilds_that_case_from_its_events(story, city):
    case = story.report(T0)
    story.act(case, T0 + timedelta(minutes=5), "accept", "operator")
    expected = snapshot()
    CaseFact.objects.all().delete()
    StepFact.objects.all().delete()
    story.act(case, T0 + timedelta(minutes=10), "file", "shift_leader")
    after = snapshot()
    assert after[0][0]["filed"] == 1 and len(after[1]) == len(expected[1]) + 1


def test_facts_roll_back_with_the_action(story, city):
    case = story.report(T0)
    before = snapshot()
    with pytest.raises(RuntimeError), transaction.atomic():
        story.act(case, T0 + timedelta(minutes=5), "accept", "operator")
        raise RuntimeError("the request fails after the action")
    assert snapshot() == before


def test_facts_apply_with_no_events_does_nothing(db):
    facts_apply([])


def test_a_case_reported_on_enforcement_patrol_shows_in_problems_by_source(story, city):
    from chengguan.cases.models import Source
    from chengguan.evaluation.access import Viewer
    from chengguan.evaluation.measures import sources_table
    from chengguan.evaluation.periods import parse_period

    story.report(T0, by="officer", source="patrol")
    story.report(T0 + timedelta(minutes=1))
    table = sources_table(parse_period("2026-03"), Viewer(None))
    by_source = {row["source"]: row["reported"] for row in table.rows}
    assert by_source[str(Source.PATROL.label)] == 1 and by_source[str(Source.SUPERVISOR.label)] == 1
