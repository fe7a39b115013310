"""The bulk import writes the same rows as the live services and the replaying import for the same input
(random histories, every field compared), validates the whole file before writing, and skips bad lines whole."""

import io
import json
import random
from datetime import datetime, timedelta

import pytest

from chengguan.core.testing import package_knows_up_to_2026  # noqa: F401 - autouse fixture
from chengguan.evaluation.models import CaseFact, StepFact

from .. import workflow
from ..bulk import bulk_import
from ..exchange import ExchangeError, export_cases, import_cases
from ..models import Case, CaseDepartment, CaseEvent, CaseRequest, ImportCheckpoint
from ..workflow import State
from .test_exchange import legacy_line, recomputed, wipe

ROLE_PERSONA = {"department_handler": "department_handler", "operator": "operator", "shift_leader": "shift_leader",
                "dispatcher": "dispatcher", "supervisor": "supervisor", "leader": "leader"}  # fmt: skip
# the walk moves on more often than it ends or pushes a case (else few cases reach the department)
RARE = {"reject": 0.15, "void": 0.15, "merge": 0.3, "urge": 0.2, "supervise": 0.1, "request_verification": 0.4,
        "request_hang_up": 0.3, "hang_up": 0.3, "return": 0.3, "deny_hang_up": 0.3, "request_extension": 0.4,
        "approve_extension": 0.3, "deny_extension": 0.2}
SKIP_ACTIONS = {"self_handle"}  # needs a photo; photos travel in the bundle (test_bundle.py)


def random_histories(walk, frozen, *, cases: int, seed: int) -> None:
    """`cases` reports, each walked through random legal actions by the personas, time moving on between steps;
    some merges into earlier open reports, and a sweep at the end (urges and escalations)."""
    rng = random.Random(seed)
    made, refused = [], []
    for n in range(cases):
        if n % 3:
            c = walk.new()
        else:
            c = walk.new(by=None, source="citizen", reporter_name="王五", reporter_phone="13900002222")
        made.append(c)
        for _ in range(rng.randint(0, 12)):
            frozen.shift(timedelta(minutes=rng.choice([1, 7, 45, 180, 600, 1500])))
            c.refresh_from_db()
            options = [t for t in workflow.TRANSITIONS if c.state in t.sources and t.action not in SKIP_ACTIONS]
            if not options:
                break
            weights = [RARE.get(o.action, 1.0) for o in options]
            t = rng.choices(options, weights)[0]
            by = ROLE_PERSONA[sorted(t.roles)[0]]
            try:
                if t.action == "merge":
                    targets = [o for o in made if o.pk != c.pk and Case.objects.get(pk=o.pk).is_open]
                    params = {"target_id": rng.choice(targets).pk}
                else:
                    params = _params(walk, c, t)
                if t.action == "dispatch" and t.variant == "department" and rng.random() < 0.3:
                    params = {}  # the routing suggestion
                walk.act(c, t.action, by, **params)
            except Exception as exc:  # noqa: BLE001 - a random step the rules refuse (no routing rule) is skipped
                refused.append((t.action, str(exc)))
                continue
    frozen.shift(timedelta(days=3))
    from ..services.sweeper import sweep

    sweep()
    return refused


def _params(walk, case, t):
    """`testing.params_for` without the photo it uploads for every call (the upload quota)."""
    city, action = walk.city, t.action
    if action == "dispatch":
        return {"district_id": city.district_a.pk} if t.variant == "district" else {"department_id": city.sanitation.pk}
    if action in ("approve_extension", "deny_extension"):
        walk.act(case, "request_extension", "department_handler", amount=4, unit="working_hours", reason="材料未到")
    if action == "deny_hang_up":
        walk.act(case, "request_hang_up", "department_handler", reason="需立项")
    return {
        "reject": {"reason": "重复"},
        "verify": {"confirmed": True},
        "file": walk._file(),
        "void": {"reason": "误立案"},
        "return": {"reason": "非本部门"},
        "request_extension": {"amount": 2, "unit": "working_hours", "reason": "需协调"},
        "request_hang_up": {"reason": "需立项"},
        "hang_up": {"reason": "需专项资金"},
        "reply": {"reason": "已清理"},
        "check_fail": {"reason": "仍有垃圾"},
    }.get(action, {})


def _user(u):
    return u.username if u is not None else None


def rows() -> dict:
    """Every row an import writes, keyed by natural keys (numbers, order within the case), pks left out."""
    number = dict(Case.objects.values_list("pk", "number"))
    skip = {"id", "case", "merged_into", "reporter", "assignee", "actor", "requested_by", "decided_by", "event"}

    def plain(obj, extra=()):
        out = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.name not in skip}
        for name in extra:
            out[name] = _user(getattr(obj, name))
        return out

    requests = {}
    for r in CaseRequest.objects.order_by("case__number", "requested_at", "pk"):
        requests[r.pk] = (number[r.case_id], r.kind, r.requested_at)
    out = {"cases": {}, "events": {}, "requests": [], "departments": set(), "facts": {}, "steps": {}}
    for c in Case.objects.select_related("reporter", "assignee"):
        out["cases"][c.number] = {**plain(c, ["reporter", "assignee"]),
                                  "merged_into": number.get(c.merged_into_id)}  # fmt: skip
    for e in CaseEvent.objects.select_related("actor", "assignee").order_by("case_id", "at", "pk"):
        payload = dict(e.payload)
        if "request_id" in payload:
            payload["request_id"] = requests[payload["request_id"]]
        payload.pop("photos", None)
        if "reported_at" in payload:  # the same instant, written in the zone it came in (UTC live, +08:00 in a file)
            payload["reported_at"] = datetime.fromisoformat(payload["reported_at"])
        row = {**plain(e, ["actor", "assignee"]), "payload": payload}
        out["events"].setdefault(number[e.case_id], []).append(row)
    for r in CaseRequest.objects.select_related("requested_by", "decided_by").order_by("requested_at", "pk"):
        out["requests"].append((number[r.case_id], plain(r, ["requested_by", "decided_by"])))
    out["requests"].sort(key=lambda x: (x[0], x[1]["requested_at"], x[1]["kind"]))
    out["departments"] = {(number[d.case_id], d.department_id, d.first_dispatched_at)
                          for d in CaseDepartment.objects.all()}  # fmt: skip
    for f in CaseFact.objects.all():
        out["facts"][number[f.case_id]] = {k: v for k, v in plain(f).items() if k not in ("case_id", "id")}
    for s in StepFact.objects.order_by("case_id", "pk"):
        out["steps"].setdefault(number[s.case_id], []).append(
            {k: v for k, v in plain(s).items() if k not in ("case_id", "id")}
        )
    return out


def assert_same(a: dict, b: dict):
    assert set(a["cases"]) == set(b["cases"])
    for number, row in a["cases"].items():
        for key, value in row.items():
            assert b["cases"][number][key] == value, (number, key)
    for number, events in a["events"].items():
        assert len(b["events"][number]) == len(events), number
        for i, (x, y) in enumerate(zip(events, b["events"][number], strict=True)):
            for key in x:
                assert y[key] == x[key], (number, i, x["action"], key, x[key], y[key])
    assert a["requests"] == b["requests"]
    assert a["departments"] == b["departments"]
    assert a["facts"] == b["facts"]
    assert a["steps"] == b["steps"]


def export_file(tmp_path, name="cases.jsonl"):
    path = tmp_path / name
    with open(path, "w", encoding="utf-8") as out:
        export_cases(out)
    return path


@pytest.mark.parametrize("seed", [1, 2])
def test_bulk_writes_the_rows_of_the_live_services_and_of_the_replaying_import(walk, frozen, tmp_path, seed,
                                                                                 django_capture_on_commit_callbacks):  # fmt: skip
    from chengguan.catalog.models import RoutingRule

    RoutingRule.objects.create(matter=walk.matter, region=walk.city.district_a, department=walk.city.sanitation_unit)
    random_histories(walk, frozen, cases=40, seed=seed)
    from chengguan.evaluation.facts import facts_rebuild

    facts_rebuild()
    live = rows()
    assert {e["action"] for evs in live["events"].values() for e in evs} >= {
        "merge", "dispatch", "reply", "request_extension", "urge", "file", "accept"}  # fmt: skip
    assert any(e["payload"].get("suggested") for evs in live["events"].values() for e in evs)
    # the sweeper's marks: automatic urges with the deadline then, and open cases flagged as urged already
    assert any(e["payload"].get("auto") and e["action"] == "urge" for evs in live["events"].values() for e in evs)
    assert any(c["overdue_notified"] and c["is_open"] for c in live["cases"].values())
    path = export_file(tmp_path)
    wipe()
    with django_capture_on_commit_callbacks(execute=True), open(path, encoding="utf-8") as lines:
        import_cases(lines)
    replayed = rows()
    wipe()
    ImportCheckpoint.objects.all().delete()
    result = bulk_import(path, chunk=7)
    assert result["cases"] == len(live["cases"]) and result["rejected"] == 0
    bulk = rows()
    assert_same(replayed, bulk)
    # against the live services themselves: the same rows, the sweeper's marks and routed dispatches included —
    # and the export of both is the same file
    assert_same(live, bulk)
    assert export_file(tmp_path, "again.jsonl").read_bytes() == path.read_bytes()


def test_bulk_validates_the_whole_file_before_writing(walk, tmp_path):
    path = tmp_path / "old.jsonl"
    lines = [legacy_line(number=f"OLD-{i}") for i in range(5)] + ["{oops"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ExchangeError) as err:
        bulk_import(path, chunk=2)
    assert err.value.line == 6
    assert not Case.objects.exists() and not ImportCheckpoint.objects.exists()


def test_bulk_skips_bad_lines_whole_and_rejects_merges_into_them(walk, tmp_path):
    target = legacy_line(
        number="OLD-T",
        events=[
            {"action": "accept", "at": "2026-03-02T09:10:00+08:00", "actor_role": "operator"},
            {"action": "void", "at": "2026-03-03T09:20:00+08:00", "actor_role": "shift_leader", "reason": ""},
        ],
    )  # fmt: skip
    duplicate = legacy_line(
        number="OLD-D",
        reported_at="2026-03-02T09:30:00+08:00",
        events=[{"action": "merge", "at": "2026-03-02T09:40:00+08:00", "actor_role": "operator",
                 "target": "OLD-T"}],
    )  # fmt: skip
    outside = legacy_line(number="OLD-X", lng=116.4, lat=39.9)
    lines = [target, duplicate, legacy_line(number="OLD-OK"), outside, legacy_line(number="OLD-OK")]
    path = tmp_path / "old.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rejects = io.StringIO()
    result = bulk_import(path, on_error="skip", rejects=rejects, chunk=1)
    assert result["cases"] == 1 and result["rejected"] == 4
    assert list(Case.objects.values_list("number", flat=True)) == ["OLD-OK"]
    rows_ = [r.split("\t") for r in rejects.getvalue().splitlines()]
    assert [r[0] for r in rows_] == ["1", "2", "4", "5"]
    assert rows_[0][1] == "2" and rows_[0][2] == "reason"
    assert "OLD-T" in rows_[1][3] and rows_[2][2] == "lng" and "appears twice" in rows_[3][3]


def test_a_finished_file_imports_nothing_twice(walk, tmp_path):
    path = tmp_path / "old.jsonl"
    path.write_text("\n".join(legacy_line(number=f"OLD-{i}") for i in range(3)) + "\n", encoding="utf-8")
    assert bulk_import(path, chunk=2)["cases"] == 3
    checkpoint = ImportCheckpoint.objects.get()
    assert checkpoint.last_line == 3 and checkpoint.finished_at is not None and checkpoint.cases == 3
    assert bulk_import(path, chunk=2)["cases"] == 0
    assert Case.objects.count() == 3
    assert json.loads(path.read_text().splitlines()[0])["number"] == "OLD-0"
    assert Case.objects.get(number="OLD-0").state == State.DISPATCHED


def test_both_imports_restore_the_marks_a_line_states_and_refuse_malformed_ones(walk, tmp_path,
                                                                                django_capture_on_commit_callbacks):  # fmt: skip
    """A legacy system's line: its dispatch took the routing suggestion, the sweeper urged the step already (an
    automatic urge with the deadline then) and says so in its flags; both paths write the same rows."""
    events = json.loads(legacy_line())["events"]
    events[2]["suggested"] = True
    events.append({"action": "urge", "at": "2026-03-09T09:00:00+08:00", "actor_role": "system", "actor": "",
                   "department": "ROADS", "reason": "超时自动催办", "auto": True,
                   "deadline": "2026-03-05T17:40:00+08:00"})  # fmt: skip
    line = legacy_line(events=events, escalated=True)
    path = tmp_path / "old.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        import_cases([line])
    replayed = rows()
    case = Case.objects.get()
    assert case.overdue_notified and case.escalated and case.urge_count == 1  # the urge set it, the line the other
    urge = case.events.get(action="urge")
    assert urge.payload == {"auto": True, "deadline": "2026-03-05T09:40:00+00:00"}
    assert case.events.get(action="dispatch").payload["suggested"] is True
    wipe()
    bulk_import(path)
    assert_same(replayed, rows())
    # a mark where it cannot be: named by field, line and event, in both paths
    for event, key, value, field in ((0, "auto", True, "auto"), (2, "suggested", "yes", "suggested"),
                                     (3, "deadline", "soon", "deadline")):  # fmt: skip
        bad = json.loads(line)
        bad["events"][event][key] = value
        with pytest.raises(ExchangeError) as err:
            import_cases([json.dumps(bad)])
        assert (err.value.event, err.value.source_field) == (event, field)
    bad = json.loads(line)
    bad["overdue_notified"] = "yes"
    path.write_text(json.dumps(bad) + "\n", encoding="utf-8")
    with pytest.raises(ExchangeError) as err:
        bulk_import(path)
    assert err.value.source_field == "overdue_notified" and err.value.event is None


def test_both_imports_replay_a_recomputed_deadline_as_recompute_cases_wrote_it(walk, frozen, tmp_path,
                                                                              django_capture_on_commit_callbacks):  # fmt: skip
    """A `recompute_deadline` row (the holiday arrangement entered): the bulk import writes what the replaying
    import writes, and both the row and the case `recompute_cases` left (deadline, escalation point, flags)."""
    opened, replied = recomputed(walk, frozen)
    live = rows()
    path = export_file(tmp_path)
    wipe()
    with django_capture_on_commit_callbacks(execute=True), open(path, encoding="utf-8") as lines:
        import_cases(lines)
    replayed = rows()
    wipe()
    ImportCheckpoint.objects.all().delete()
    assert bulk_import(path, chunk=1)["rejected"] == 0
    bulk = rows()
    assert_same(replayed, bulk)
    for number in (opened.number, replied.number):
        recompute = [e for e in live["events"][number] if e["action"] == "recompute_deadline"]
        assert len(recompute) == 1 and recompute[0]["payload"]["new_deadline"] == "2027-02-15T09:00:00+08:00"
        assert [e for e in bulk["events"][number] if e["action"] == "recompute_deadline"] == recompute
        assert bulk["cases"][number] == live["cases"][number]
    # the open case: its step's deadline and escalation point moved, the sweeper's urge and escalation cleared
    assert live["cases"][opened.number]["deadline"] == recompute[0]["deadline"]
    assert not live["cases"][opened.number]["overdue_notified"] and not live["cases"][opened.number]["escalated"]
    assert any(e["action"] == "urge" and e["payload"].get("auto") for e in live["events"][opened.number])
    reply = next(e for e in bulk["events"][replied.number] if e["action"] == "reply")
    assert reply["on_time"] is True and reply["ended_step_deadline"] == recompute[0]["deadline"]
    assert export_file(tmp_path, "again.jsonl").read_bytes() == path.read_bytes()


def _recompute_line(events_tail, number="OLD-R"):
    events = json.loads(legacy_line())["events"] + events_tail
    return legacy_line(number=number, events=events)


RECOMPUTE = {"action": "recompute_deadline", "at": "2026-03-03T09:00:00+08:00", "actor_role": "system", "actor": "",
             "department": "ROADS", "reason": "2027年节假日安排已录入", "old_deadline": "2026-03-05T17:40:00+08:00",
             "new_deadline": "2026-03-06T17:40:00+08:00", "years": [2026]}  # fmt: skip


@pytest.mark.parametrize(
    "change,event,field",
    [
        ({"old_deadline": "soon"}, 3, "old_deadline"),
        ({"new_deadline": None}, 3, "new_deadline"),
        ({"years": ["2027"]}, 3, "years"),
        ({"action": "dispatch", "department": "ROADS"}, 3, "old_deadline"),  # the payload on another action
        ("closed", 6, "action"),  # no open step: the case was closed before
    ],
)
def test_a_malformed_recompute_row_is_refused_by_both_imports_naming_its_field(walk, tmp_path, change, event, field):
    row = dict(RECOMPUTE)
    tail = [row]
    if change == "closed":  # reply, check, close: the recompute row comes after the last step ended
        tail = [{"action": "reply", "at": "2026-03-02T10:00:00+08:00", "actor_role": "department_handler",
                 "reason": "已修"}, {"action": "check_pass", "at": "2026-03-02T11:00:00+08:00", "actor_role": "supervisor"},
                {"action": "close", "at": "2026-03-02T12:00:00+08:00", "actor_role": "shift_leader"}, row]  # fmt: skip
    else:
        row.update(change)
    good, bad = legacy_line(number="OLD-OK"), _recompute_line(tail)
    with pytest.raises(ExchangeError) as err:
        import_cases([good, bad])
    assert (err.value.line, err.value.event, err.value.source_field) == (2, event, field)
    assert not Case.objects.exists()
    path = tmp_path / "old.jsonl"
    path.write_text(good + "\n" + bad + "\n", encoding="utf-8")
    with pytest.raises(ExchangeError) as err:
        bulk_import(path)
    assert (err.value.line, err.value.event, err.value.source_field) == (2, event, field)
    assert not Case.objects.exists()
    # skipping: the good line is kept, the bad one listed with its event and field
    for run in (lambda r: import_cases([good, bad], on_error="skip", rejects=r),
                lambda r: bulk_import(path, on_error="skip", rejects=r)):  # fmt: skip
        wipe()
        ImportCheckpoint.objects.all().delete()
        rejects = io.StringIO()
        assert run(rejects)["rejected"] == 1
        assert rejects.getvalue().startswith(f"2\t{event + 1}\t{field}\t")
        assert list(Case.objects.values_list("number", flat=True)) == ["OLD-OK"]


def test_a_well_formed_recompute_row_moves_the_legacy_lines_deadline_in_both_imports(
    walk, tmp_path, django_capture_on_commit_callbacks
):
    line = _recompute_line([RECOMPUTE])
    with django_capture_on_commit_callbacks(execute=True):
        import_cases([line])
    replayed = rows()
    case = Case.objects.get()
    assert case.deadline.isoformat() == "2026-03-06T09:40:00+00:00" and case.events.last().action == "recompute_deadline"
    wipe()
    path = tmp_path / "old.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    bulk_import(path)
    assert_same(replayed, rows())
