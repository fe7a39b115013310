"""Facts follow the case events as they are recorded, and a rebuild from the events gives the same rows."""

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict

from chengguan.evaluation.facts import facts_rebuild
from chengguan.evaluation.models import CaseFact, StepFact

from .conftest import at
from .scenario import build_march


@pytest.fixture
def march(story, city):
    return build_march(story, city)


def snapshot():
    cases = [model_to_dict(f) for f in CaseFact.objects.order_by("case_id")]
    steps = [
        {k: v for k, v in model_to_dict(f).items() if k != "id"}
        for f in StepFact.objects.order_by("case", "seq")
    ]
    return cases, steps


def steps_of(case):
    return list(StepFact.objects.filter(case=case).order_by("seq"))


def test_it_keeps_one_fact_row_per_case_from_the_events(march):
    assert CaseFact.objects.count() == 7
    clean = CaseFact.objects.get(case=march["clean"])
    assert (clean.valid, clean.filed_valid, clean.closed, clean.closed_on_time) == (1, 1, 1, 1)
    assert clean.reported_on.isoformat() == "2026-03-10" and clean.closed_on.isoformat() == "2026-03-11"
    rework = CaseFact.objects.get(case=march["rework"])
    assert (rework.reworked, rework.rework_count, rework.handled_overdue, rework.closed_on_time) == (
        1,
        1,
        1,
        0,
    )
    citizen = CaseFact.objects.get(case=march["citizen"])
    assert (citizen.is_public, citizen.need_verify, citizen.verify_confirmed) == (1, 1, 1)
    assert (citizen.extended, citizen.hung_up, citizen.hung_up_now, citizen.need_close) == (1, 1, 1, 0)
    voided = CaseFact.objects.get(case=march["void"])
    assert (voided.filed, voided.voided, voided.valid) == (1, 1, 0)
    self_handled = CaseFact.objects.get(case=march["self"])
    assert (self_handled.valid, self_handled.filed_valid, self_handled.rectified) == (1, 0, 1)
    assert CaseFact.objects.get(case=march["hotline"]).rejected == 1


def test_it_keeps_one_row_per_step_with_its_party_deadline_and_outcome(march, city):
    rows = steps_of(march["rework"])
    assert [r.step for r in rows] == [
        "accept",
        "file",
        "dispatch",
        "handle",
        "check",
        "handle",
        "check",
        "close",
    ]
    accept = rows[0]
    assert (accept.user, accept.on_time, accept.overdue) == (city["operator"], 0, 1)
    first, second = rows[3], rows[5]
    assert (first.department, first.assignment, first.faulted, first.on_time) == (city.sanitation, 1, 1, 1)
    assert (second.start_action, second.round, second.assignment, second.overdue) == ("check_fail", 2, 0, 1)
    assert second.deadline == at(17, 9, 30)
    assert (first.a_handled, first.a_on_time, first.a_overdue, first.a_reworked, first.a_closed) == (
        1,
        0,
        1,
        1,
        1,
    )
    assert rows[4].user == city["supervisor"] and rows[4].end_action == "check_fail"


def test_it_records_extensions_and_hang_ups_on_the_handling_step(march, city):
    rows = steps_of(march["citizen"])
    assert [r.step for r in rows] == ["accept", "verify", "accept", "file", "dispatch", "handle"]
    verify = rows[1]
    assert (verify.user, verify.on_time, verify.is_public) == (city["supervisor"], 1, 1)
    handle = rows[5]
    assert (handle.extension_count, handle.end_action, handle.on_time) == (1, "hang_up", 1)
    assert handle.deadline == at(16, 14, 10)  # Fri 3/13 14:10 + 1 working day
    assert (handle.a_hung_up, handle.a_hung_now, handle.a_handled, handle.a_extended) == (1, 1, 0, 1)


def test_it_blames_the_wrong_dispatch_when_a_department_returns_the_case(march, city):
    rows = steps_of(march["district_b"])
    dispatches = [r for r in rows if r.step == "dispatch"]
    assert [(d.round, d.faulted) for d in dispatches] == [(1, 1), (2, 0)]
    handles = [r for r in rows if r.step == "handle"]
    assert [(h.department, h.a_returned, h.ended) for h in handles] == [
        (city.roads, 1, 1),
        (city.sanitation, 0, 0),
    ]


def test_it_blames_the_filing_when_the_case_is_voided(march):
    file_step = next(r for r in steps_of(march["void"]) if r.step == "file")
    assert file_step.faulted == 1


def test_a_rebuild_from_the_events_gives_identical_rows(march):
    maintained = snapshot()
    assert maintained[0] and maintained[1]
    StepFact.objects.all().delete()
    CaseFact.objects.all().delete()
    call_command("evaluate", "rebuild", verbosity=0)
    assert snapshot() == maintained


def test_a_rebuild_repairs_facts_that_drifted(march):
    maintained = snapshot()
    CaseFact.objects.filter(case=march["clean"]).update(closed=0, valid=0)
    StepFact.objects.filter(case=march["rework"]).delete()
    assert facts_rebuild() == 7
    assert snapshot() == maintained


def test_facts_follow_later_events(story, march, city):
    case = march["citizen"]
    story.act(case, at(26, 9, 30), "resume", "dispatcher")
    fact = CaseFact.objects.get(case=case)
    assert (fact.hung_up_now, fact.need_close) == (0, 1)
    handles = [r for r in steps_of(case) if r.step == "handle"]
    assert [(h.start_action, h.ended) for h in handles] == [("dispatch", 1), ("resume", 0)]
    assert handles[1].deadline == at(31, 9, 30)  # Thu 3/26 09:30 + 3 working days


def test_a_history_imported_in_the_case_exchange_format_gets_the_same_facts(
    march, django_capture_on_commit_callbacks
):
    import io

    from chengguan.cases.exchange import export_cases, import_cases
    from chengguan.cases.models import Case

    def by_number():
        numbers = dict(Case.objects.values_list("pk", "number"))
        cases = {numbers[f["case"]]: {k: v for k, v in f.items() if k != "case"} for f in snapshot()[0]}
        steps = sorted(
            (numbers[s["case"]], *sorted((k, str(v)) for k, v in s.items() if k != "case"))
            for s in snapshot()[1]
        )
        return cases, steps

    before = by_number()
    out = io.StringIO()
    assert export_cases(out) == 7
    Case.objects.all().delete()
    assert not CaseFact.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        import_cases(out.getvalue().splitlines())
    assert by_number() == before
