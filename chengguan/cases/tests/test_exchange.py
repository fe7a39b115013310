"""The exchange format: export → import into an empty system → export again gives the same file; a bad line
is named and nothing is kept; legacy codes are accepted; history keeps its timestamps."""

import io
import json
from datetime import datetime, timedelta

import pytest
from django.core.management import CommandError, call_command

from chengguan.core.testing import NOTICE_2027, package_knows_up_to_2026  # noqa: F401 - autouse fixture

from ..exchange import ExchangeError, export_cases, import_cases
from ..models import Case, CaseCounter, CaseEvent, CaseRequest, IdempotencyKey, Notification
from ..workflow import State


def wipe():
    Notification.objects.all().delete()
    IdempotencyKey.objects.all().delete()
    CaseRequest.objects.all().delete()
    Case.objects.filter(merged_into__isnull=False).delete()
    Case.objects.all().delete()
    CaseCounter.objects.all().delete()


def history(walk, frozen):
    """A small city's week: closed, reworked, extended, hung up, merged, district-dispatched, verified."""
    city = walk.city
    closed = walk.to(State.CLOSED)
    frozen.shift(timedelta(minutes=17))
    rework = walk.to(State.CHECKING)
    walk.act(rework, "check_fail", "supervisor", reason="仍有垃圾")
    extended = walk.to(State.DISPATCHED)
    walk.act(
        extended, "request_extension", "department_handler", amount=1, unit="working_days", reason="等车"
    )
    frozen.shift(timedelta(hours=2))
    walk.act(extended, "approve_extension", "dispatcher", reason="同意")
    walk.to(State.HUNG_UP)
    target = walk.to(State.ACCEPTED)
    citizen = walk.new(by=None, source="citizen", reporter_name="王五", reporter_phone="13900002222")
    walk.act(citizen, "request_verification", "operator")
    walk.act(citizen, "verify", "supervisor", confirmed=True)
    walk.act(citizen, "merge", "operator", target_id=target.pk)
    district = walk.to(State.DISTRICT_DISPATCHED)
    walk.act(district, "dispatch", "dispatcher", department_id=city.sanitation_unit.pk)
    frozen.shift(timedelta(days=5))
    from ..services.sweeper import sweep

    sweep()
    return closed


def recomputed(walk, frozen):
    """Issue 12's year end, entered late: two cases whose extended deadlines reach into 2027 while its holiday
    arrangement is unknown (provisional, 5 Feb 2027 by the fallback rule), urged and escalated by the sweeper once
    that passed; the arrangement entered on 8 Feb recomputes both (`recompute_deadline` rows: 15 Feb, the flags
    cleared); the second is replied to afterwards, on time against the new deadline."""
    from chengguan.core.calendar_service import enter_arrangement
    from chengguan.core.holiday_notice import parse_notice

    from ..services.sweeper import sweep
    from ..testing import TZ

    frozen.move_to(datetime(2026, 12, 21, 9, 0, tzinfo=TZ))
    cases = []
    for _ in range(2):
        c = walk.to(State.DISPATCHED)
        walk.act(c, "request_extension", "department_handler", amount=30, unit="working_days", reason="等配件")
        cases.append(walk.act(c, "approve_extension", "dispatcher"))
    frozen.move_to(datetime(2027, 2, 6, 10, 0, tzinfo=TZ))
    sweep()
    frozen.move_to(datetime(2027, 2, 8, 9, 0, tzinfo=TZ))
    enter_arrangement(arrangement=parse_notice(NOTICE_2027.read_text(encoding="utf-8")), actor=walk.city["admin"])
    frozen.shift(timedelta(days=1))
    walk.act(cases[1], "reply", "department_handler", reason="已修复")
    for c in cases:
        c.refresh_from_db()
    return cases


def dump() -> list[dict]:
    out = io.StringIO()
    export_cases(out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_it_round_trips_export_import_export(walk, frozen):
    history(walk, frozen)
    recomputed(walk, frozen)
    first = dump()
    events_before = list(
        CaseEvent.objects.order_by("at", "pk").values_list("action", "at", "actor_role", "on_time")
    )
    recompute_before = sorted(recompute_rows())
    assert len(recompute_before) == 2
    wipe()
    result = import_cases(json.dumps(r, ensure_ascii=False) for r in first)
    assert result["cases"] == len(first) and result["events"] == sum(len(r["events"]) for r in first)
    assert dump() == first
    events_after = list(
        CaseEvent.objects.order_by("at", "pk").values_list("action", "at", "actor_role", "on_time")
    )
    assert sorted(events_after, key=str) == sorted(events_before, key=str)
    assert not Notification.objects.exists()  # history is not news
    assert Case.objects.get(state=State.MERGED).merged_into.state == State.ACCEPTED
    assert sorted(recompute_rows()) == recompute_before  # the row as it was, its effect on the step too


def recompute_rows() -> list:
    """The `recompute_deadline` rows and the cases they left, by natural keys."""
    rows = CaseEvent.objects.filter(action="recompute_deadline").select_related("case", "actor", "department")
    return [
        (e.case.number, e.at, e.actor.username if e.actor else None, e.actor_role, e.actor_name, e.reason, e.payload,
         e.from_state, e.to_state, e.step, e.step_started_at, e.deadline, e.limit_amount, e.limit_unit,
         e.department.code if e.department else None, e.assignee_id, e.ended_step, e.on_time,
         e.case.deadline if e.case.step == e.step else None, e.case.escalate_at if e.case.step == e.step else None,
         e.case.overdue_notified, e.case.escalated, e.case.deadline_provisional)
        for e in rows
    ]  # fmt: skip


def test_it_continues_numbering_after_imported_numbers(walk, frozen):
    history(walk, frozen)
    records = dump()
    wipe()
    import_cases(json.dumps(r) for r in records)
    assert walk.new().number == f"KF2026-{len(records) + 1:06d}"


def legacy_line(**extra):
    record = {
        "number": "OLD-2019-1",
        "source": "supervisor",
        "matter_code": "BJ0101",  # a legacy GB/T 30428.2 component code: 上水井盖
        "lng": 114.3075,
        "lat": 34.8075,
        "crs": "gcj02",
        "address": "西门大街",
        "description": "井盖破损",
        "reported_at": "2026-03-02T09:00:00+08:00",
        "events": [
            {"action": "accept", "at": "2026-03-02T09:10:00+08:00", "actor_role": "operator", "actor": "ghost",
             "department": "", "reason": ""},
            {"action": "file", "at": "2026-03-02T09:20:00+08:00", "actor_role": "shift_leader", "actor": "",
             "department": "", "reason": ""},
            {"action": "dispatch", "at": "2026-03-02T09:40:00+08:00", "actor_role": "dispatcher", "actor": "",
             "department": "ROADS", "reason": ""},
        ],
    }  # fmt: skip
    record.update(extra)
    return json.dumps(record, ensure_ascii=False)


def test_it_replays_a_legacy_record_keeping_its_times(walk):
    import_cases([legacy_line()])
    case = Case.objects.get(number="OLD-2019-1")
    assert case.matter.code.startswith("01") and case.state == State.DISPATCHED
    assert case.current_department == walk.city.roads
    accept = CaseEvent.objects.get(case=case, action="accept")
    assert accept.actor is None and accept.actor_role == "operator" and accept.on_time is True
    assert accept.at.isoformat() == "2026-03-02T01:10:00+00:00"


@pytest.mark.parametrize(
    "bad,message",
    [
        ("{not json", "not valid JSON"),
        (legacy_line(number="X", matter_code="77"), ""),
        (legacy_line(number="X", source="pigeon"), "unknown source"),
        (legacy_line(number="X", lng=116.4, lat=39.9), ""),
        (
            legacy_line(number="X", events=[{"action": "close", "at": "2026-03-02T10:00:00+08:00"}]),
            "illegal_transition",
        ),
        (
            legacy_line(number="X", events=[{"action": "fly", "at": "2026-03-02T10:00:00+08:00"}]),
            "unknown action",
        ),
    ],
)
def test_it_names_the_bad_line_and_keeps_nothing(walk, bad, message):
    lines = [legacy_line(), "", bad]
    with pytest.raises(ExchangeError) as err:
        import_cases(lines)
    assert err.value.line == 3
    assert message.lower() in err.value.message.lower() or message == err.value.cause
    assert not Case.objects.exists() and not CaseEvent.objects.exists()


def test_it_dry_runs_and_keeps_nothing(walk):
    assert import_cases([legacy_line()], dry_run=True)["cases"] == 1
    assert not Case.objects.exists()


def test_it_works_as_a_command(walk, tmp_path):
    path = tmp_path / "old.jsonl"
    path.write_text(legacy_line() + "\n", encoding="utf-8")
    out = io.StringIO()
    call_command("cases", "import", str(path), stdout=out)
    assert "1 cases with 3 events imported" in out.getvalue()
    with pytest.raises(CommandError, match="line 1: case OLD-2019-1 exists already"):
        call_command("cases", "import", str(path), stdout=out)
    exported = tmp_path / "out.jsonl"
    call_command("cases", "export", "-o", str(exported), stderr=io.StringIO())
    assert json.loads(exported.read_text(encoding="utf-8"))["number"] == "OLD-2019-1"


def test_it_announces_an_import_once_instead_of_every_historic_event(
    walk, django_capture_on_commit_callbacks
):
    from ..signals import case_event_recorded, cases_imported

    seen = {"events": 0, "imports": []}

    def on_event(sender, event, **kwargs):
        seen["events"] += 1

    def on_import(sender, case_ids, **kwargs):
        seen["imports"].append(case_ids)

    case_event_recorded.connect(on_event)
    cases_imported.connect(on_import)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            import_cases([legacy_line()])
    finally:
        case_event_recorded.disconnect(on_event)
        cases_imported.disconnect(on_import)
    assert seen == {"events": 0, "imports": [[Case.objects.get().pk]]}


def test_it_skips_bad_lines_whole_and_lists_each_with_its_reason(walk):
    good = [legacy_line(number=f"OLD-{i}") for i in range(3)]
    bad_department = legacy_line(
        number="OLD-BAD",
        events=[
            {"action": "accept", "at": "2026-03-02T09:10:00+08:00", "actor_role": "operator"},
            {"action": "file", "at": "2026-03-02T09:20:00+08:00", "actor_role": "shift_leader"},
            {"action": "dispatch", "at": "2026-03-02T09:40:00+08:00", "actor_role": "dispatcher",
             "department": "NOSUCH"},
        ],
    )  # fmt: skip
    lines = [good[0], "{not json", bad_department, good[1], legacy_line(number="OLD-0"), good[2]]
    rejects = io.StringIO()
    result = import_cases(lines, on_error="skip", rejects=rejects)
    assert result["cases"] == 3 and result["rejected"] == 3
    assert sorted(Case.objects.values_list("number", flat=True)) == ["OLD-0", "OLD-1", "OLD-2"]
    # the bad line's report and first events, which the service accepted, were not kept either
    assert not CaseEvent.objects.filter(case__number="OLD-BAD").exists()
    rows = [r.split("\t") for r in rejects.getvalue().splitlines()]
    assert [r[0] for r in rows] == ["2", "3", "5"]
    assert "not valid JSON" in rows[0][3]
    assert rows[1][1] == "3" and "NOSUCH" in rows[1][3]  # the third event named
    assert rows[2][2] == "number" and "appears twice" in rows[2][3]


def test_it_rejects_a_merge_into_a_rejected_line_in_a_later_round(walk):
    target = legacy_line(
        number="OLD-T",
        events=[
            {"action": "accept", "at": "2026-03-02T09:10:00+08:00", "actor_role": "operator"},
            # voiding needs a reason: this line fails a day after the duplicate was merged into it
            {"action": "void", "at": "2026-03-03T09:20:00+08:00", "actor_role": "shift_leader", "reason": ""},
        ],
    )  # fmt: skip
    duplicate = legacy_line(
        number="OLD-D",
        reported_at="2026-03-02T09:30:00+08:00",
        events=[{"action": "merge", "at": "2026-03-02T09:40:00+08:00", "actor_role": "operator",
                 "target": "OLD-T"}],
    )  # fmt: skip
    rejects = io.StringIO()
    result = import_cases([target, duplicate, legacy_line(number="OLD-OK")], on_error="skip", rejects=rejects)
    assert result["cases"] == 1 and result["rejected"] == 2
    assert list(Case.objects.values_list("number", flat=True)) == ["OLD-OK"]
    rows = [r.split("\t") for r in rejects.getvalue().splitlines()]
    assert [r[0] for r in rows] == ["1", "2"] and "OLD-T" in rows[1][3]


def test_the_command_skips_and_writes_the_reject_file(walk, tmp_path):
    path = tmp_path / "old.jsonl"
    path.write_text(legacy_line() + "\n{oops\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="line 2"):  # the default keeps nothing
        call_command("cases", "import", str(path), stdout=out)
    assert not Case.objects.exists()
    call_command("cases", "import", str(path), "--on-error", "skip", stdout=out)
    assert "1 cases with 3 events imported" in out.getvalue() and "1 lines rejected" in out.getvalue()
    rejects = (tmp_path / "old.jsonl.rejects.tsv").read_text(encoding="utf-8").splitlines()
    assert rejects[0] == "line\tevent\tfield\treason" and rejects[1].startswith("2\t")


def test_the_shipped_json_schema_describes_every_exported_line_and_refuses_a_bad_one(walk, frozen):
    import jsonschema

    from chengguan.core.coords import CRS_CHOICES

    from .. import workflow
    from ..exchange import schema
    from ..models import Source

    spec = schema()
    jsonschema.Draft202012Validator.check_schema(spec)
    assert set(spec["properties"]["source"]["enum"]) == set(Source.values)
    assert set(spec["$defs"]["event"]["properties"]["action"]["enum"]) == {*workflow.ACTIONS, "recompute_deadline"}
    assert set(spec["properties"]["crs"]["enum"]) == set(CRS_CHOICES)
    history(walk, frozen)
    recomputed(walk, frozen)
    lines = dump()
    assert len(lines) == 9
    assert {e["action"] for line in lines for e in line["events"]} >= {"merge", "urge", "recompute_deadline"}
    validator = jsonschema.Draft202012Validator(spec)
    for line in lines:
        validator.validate(line)
    bad = {**lines[0], "events": [{"action": "fly", "at": lines[0]["reported_at"]}]}
    assert not validator.is_valid(bad)
    # a recompute_deadline row carries its payload, and no other row does
    row = {"action": "recompute_deadline", "at": lines[0]["reported_at"], "old_deadline": lines[0]["reported_at"],
           "new_deadline": lines[0]["reported_at"], "years": [2027]}  # fmt: skip
    assert validator.is_valid({**lines[0], "events": [row]})
    assert not validator.is_valid({**lines[0], "events": [{**row, "years": "2027"}]})
    assert not validator.is_valid({**lines[0], "events": [{k: v for k, v in row.items() if k != "new_deadline"}]})
    assert not validator.is_valid({**lines[0], "events": [{**row, "action": "urge"}]})
    assert not validator.is_valid({k: v for k, v in lines[0].items() if k != "matter_code"})
