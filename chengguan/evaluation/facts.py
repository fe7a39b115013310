"""Facts from case events: one pure step machine (`Replayer`) used by both paths that write facts.

- Live path: `on_events_written` receives `case_events_written`, sent by the case services INSIDE the transaction
  that wrote the event (an action, an intake, a sweeper batch). It updates only the rows the event affects: the
  case's fact row (counters and flags advanced from the event, dimensions and state from the locked case row in
  memory) and its step rows (the current step ended, the next one opened, fault and assignment flags re-marked on
  the case's few step rows), reading the case's existing fact rows and never its event history. The rows commit or
  roll back with the event, so they cannot drift.
- Rebuild path: `facts_refresh_cases(ids)` replays the whole event list of many cases in batches: after an imported
  (replayed) history (signal `cases_imported`), for every case in `facts_rebuild()` (`chengguan evaluate rebuild`),
  and for a live event whose case has no fact row yet (facts built before this code, or deleted).

Both feed events through the same `Replayer` and mark faults and assignments with the same functions, so they give
identical rows; `tests/test_facts_incremental.py` replays random histories and compares them row by row. Facts
never depend on the current time: "overdue now" is computed at query time from `StepFact.deadline`.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from chengguan.cases.models import PUBLIC_SOURCES, Case, CaseEvent
from chengguan.cases.workflow import State
from chengguan.core import rowinsert
from chengguan.core.workcalendar import current_zone

from .models import CaseFact, StepFact

log = logging.getLogger(__name__)

HANDLE = "handle"
DECISIONS_THAT_END_ACCEPT = ("accept", "reject", "merge")
CASE_FIELDS = (
    "pk",
    "source",
    "channel",
    "matter_id",
    "matter__major_code",
    "district_id",
    "street_id",
    "community_id",
    "unit_grid_id",
    "responsibility_grid_id",
    "area_class",
    "reporter_id",
    "state",
    "reported_at",
)
EVENT_FIELDS = (
    "pk",
    "case_id",
    "action",
    "actor_id",
    "actor_role",
    "at",
    "from_state",
    "to_state",
    "step",
    "step_started_at",
    "deadline",
    "limit_amount",
    "limit_unit",
    "department_id",
    "assignee_id",
    "ended_step",
    "ended_step_started_at",
    "ended_step_deadline",
    "on_time",
    "payload",
)


def local_date(dt: datetime):
    return timezone.localtime(dt, current_zone()).date()


@dataclass
class Step:
    seq: int
    step: str
    started_at: datetime
    deadline: datetime | None
    limit_amount: float | None
    limit_unit: str
    start_action: str
    department_id: int | None
    assignee_id: int | None
    round: int = 1
    ended_at: datetime | None = None
    end_action: str = ""
    ender_id: int | None = None
    role: str = ""
    on_time: int = 0
    overdue: int = 0
    faulted: int = 0
    extension_count: int = 0
    urge_count: int = 0
    supervised: int = 0
    chain: dict = field(default_factory=dict)

    @property
    def ended(self) -> bool:
        return self.ended_at is not None


class Replayer:
    """Turns events, one at a time, into the case's steps. Starts empty (a rebuild) or from the case's step rows
    (the live path: `from_rows`)."""

    def __init__(self, steps=None):
        self.steps: list[Step] = list(steps or [])
        self.current: Step | None = self.steps[-1] if self.steps and not self.steps[-1].ended else None
        self.rounds = defaultdict(int)
        for s in self.steps:
            self.rounds[s.step] = max(self.rounds[s.step], s.round)

    def open_step(self, ev, name, started_at, deadline, amount, unit, action) -> Step:
        self.rounds[name] += 1
        step = Step(
            seq=len(self.steps) + 1,
            step=name,
            started_at=started_at,
            deadline=deadline,
            limit_amount=amount,
            limit_unit=unit or "",
            start_action=action,
            department_id=ev["department_id"] if name == HANDLE else None,
            assignee_id=ev["assignee_id"],
            round=self.rounds[name],
        )
        self.steps.append(step)
        return step

    def feed(self, ev) -> None:
        current = self.current
        changed = ev["action"] == "report" or ev["from_state"] != ev["to_state"]
        if current is not None and not changed:
            if ev["action"] == "approve_extension":
                current.extension_count += 1
                current.deadline = ev["deadline"]
            elif ev["action"] == "recompute_deadline":  # the official holiday arrangement was entered
                current.deadline = ev["deadline"]
            elif ev["action"] == "urge":
                current.urge_count += 1
            elif ev["action"] == "supervise":
                current.supervised = 1
        if not changed:
            return
        if ev["ended_step"]:
            if current is None or current.step != ev["ended_step"]:
                # A history that starts mid-way (an import): the event still describes the step it ended.
                current = self.open_step(
                    ev, ev["ended_step"], ev["ended_step_started_at"] or ev["at"], ev["ended_step_deadline"],
                    None, "", "",
                )  # fmt: skip
            current.ended_at = ev["at"]
            current.end_action = ev["action"]
            current.ender_id = ev["actor_id"]
            current.role = ev["actor_role"]
            current.deadline = ev["ended_step_deadline"]
            current.on_time = int(ev["on_time"] is True)
            current.overdue = int(ev["on_time"] is False)
        self.current = None
        if ev["step"]:
            self.current = self.open_step(
                ev, ev["step"], ev["step_started_at"] or ev["at"], ev["deadline"], ev["limit_amount"],
                ev["limit_unit"], ev["action"],
            )  # fmt: skip


def _replay(events) -> list[Step]:
    replayer = Replayer()
    for ev in events:
        replayer.feed(ev)
    return replayer.steps


def _voids(events) -> tuple[bool, bool]:
    """(voided after filing, voided when accepted)."""
    return (
        any(e["action"] == "void" and e["from_state"] != State.ACCEPTED for e in events),
        any(e["action"] == "void" and e["from_state"] == State.ACCEPTED for e in events),
    )


def _mark_faults(steps: list[Step], voided_after_filing: bool, voided_when_accepted: bool) -> None:
    """A filing later voided, a dispatch whose department returned the case, a reply that failed the check.

    File and accept steps are only ever marked (a void ends the case), so the live path passes the flags of the
    event at hand and keeps the marks its rows already carry."""
    for i, s in enumerate(steps):
        if (
            s.step == "file"
            and s.end_action == "file"
            and voided_after_filing
            or s.step == "accept"
            and s.end_action == "accept"
            and voided_when_accepted
        ):
            s.faulted = 1
        elif s.step == "dispatch" and s.end_action == "dispatch":
            nxt = steps[i + 1] if i + 1 < len(steps) else None
            if nxt is not None and nxt.step == HANDLE:
                chain = _chain_from(steps, i + 1)
                s.faulted = int(chain[-1].end_action == "return")
        elif s.step == HANDLE and s.end_action == "reply":
            check = next((t for t in steps[i + 1 :] if t.step == "check"), None)
            s.faulted = int(check is not None and check.end_action == "check_fail")


def _chain_from(steps: list[Step], start: int) -> list[Step]:
    """The handle steps of one assignment: the dispatched step, then its rework and resume steps."""
    chain = [steps[start]]
    for s in steps[start + 1 :]:
        if s.step != HANDLE:
            continue
        if s.start_action == "dispatch":
            break
        chain.append(s)
    return chain


def _mark_assignments(steps: list[Step], case_state: str) -> None:
    openers = [i for i, s in enumerate(steps) if s.step == HANDLE and s.start_action == "dispatch"]
    for n, i in enumerate(openers):
        chain = _chain_from(steps, i)
        last = chain[-1]
        handled = last.end_action == "reply"
        overdue = any(s.overdue for s in chain)
        is_last_chain = n == len(openers) - 1
        closed = handled and is_last_chain and case_state == State.CLOSED
        steps[i].chain = {
            "assignment": 1,
            "a_handled": int(handled),
            "a_on_time": int(handled and not overdue),
            "a_overdue": int(handled and overdue),
            "a_reworked": int(any(s.faulted for s in chain)),
            "a_extended": int(any(s.extension_count for s in chain)),
            "a_hung_up": int(any(s.end_action == "hang_up" for s in chain)),
            "a_hung_now": int(is_last_chain and case_state == State.HUNG_UP),
            "a_returned": int(last.end_action == "return"),
            "a_closed": int(closed),
            "a_closed_on_time": int(closed and not overdue),
        }


def derive(case: dict, events: list[dict]) -> tuple[dict, list[dict]]:
    """The case's fact row and step rows (as field dicts) from its case row and events in time order."""
    steps = _replay(events)
    _mark_faults(steps, *_voids(events))
    _mark_assignments(steps, case["state"])
    actions = defaultdict(int)
    for e in events:
        actions[e["action"]] += 1
    by_action = {}
    for e in events:
        by_action.setdefault(e["action"], e)
    handle_steps = [s for s in steps if s.step == HANDLE]
    is_public = int(case["source"] in PUBLIC_SOURCES)
    voided = int(actions["void"] > 0)
    filed = int(actions["file"] > 0)
    filed_valid = int(filed and not voided)
    self_handled = int(actions["self_handle"] > 0)
    valid = int(filed_valid or self_handled)
    handled_overdue = int(any(s.overdue for s in handle_steps))
    closed = int(case["state"] == State.CLOSED)
    hung_now = int(case["state"] == State.HUNG_UP)
    close_event = next((e for e in reversed(events) if e["action"] == "close"), None)
    dispatch_event = next(
        (e for e in events if e["action"] == "dispatch" and e["to_state"] == State.DISPATCHED), None
    )
    fact = {
        "case_id": case["pk"],
        "source": case["source"],
        "channel": case["channel"],
        "matter_id": case["matter_id"],
        "major_code": case["matter__major_code"],
        "district_id": case["district_id"],
        "street_id": case["street_id"],
        "community_id": case["community_id"],
        "unit_grid_id": case["unit_grid_id"],
        "responsibility_grid_id": case["responsibility_grid_id"],
        "area_class": case["area_class"],
        "reporter_id": case["reporter_id"],
        "department_id": handle_steps[-1].department_id if handle_steps else None,
        "state": case["state"],
        "reported_at": case["reported_at"],
        "reported_on": local_date(case["reported_at"]),
        "filed_at": by_action["file"]["at"] if "file" in by_action else None,
        "first_dispatched_at": dispatch_event["at"] if dispatch_event else None,
        "closed_at": close_event["at"] if closed and close_event else None,
        "closed_on": local_date(close_event["at"]) if closed and close_event else None,
        "is_public": is_public,
        "need_verify": int(actions["request_verification"] > 0),
        "verify_confirmed": int(
            any(e["action"] == "verify" and (e["payload"] or {}).get("confirmed") for e in events)
        ),
        "accepted": int(actions["accept"] > 0),
        "rejected": int(actions["reject"] > 0),
        "merged": int(actions["merge"] > 0),
        "self_handled": self_handled,
        "filed": filed,
        "voided": voided,
        "filed_valid": filed_valid,
        "valid": valid,
        "dispatched": int(bool(handle_steps)),
        "handled": int(actions["reply"] > 0),
        "handled_overdue": handled_overdue,
        "reworked": int(actions["check_fail"] > 0),
        "extended": int(actions["approve_extension"] > 0),
        "hung_up": int(actions["hang_up"] > 0),
        "hung_up_now": hung_now,
        "returned": int(actions["return"] > 0),
        "rectified": int(actions["check_pass"] > 0 or self_handled),
        "need_close": int(valid and not hung_now),
        "closed": closed,
        "closed_on_time": int(closed and not handled_overdue),
        "supervised": int(actions["supervise"] > 0),
        "rework_count": actions["check_fail"],
        "extension_count": actions["approve_extension"],
        "hang_up_count": actions["hang_up"],
        "return_count": actions["return"],
        "urge_count": actions["urge"],
    }
    return fact, [_step_row(case, is_public, s) for s in steps]


def _step_row(case: dict, is_public: int, s: Step) -> dict:
    row = {
        "case_id": case["pk"],
        "seq": s.seq,
        "step": s.step,
        "round": s.round,
        "user_id": s.ender_id if s.ended else s.assignee_id,
        "role": s.role,
        "department_id": s.department_id,
        "district_id": case["district_id"],
        "street_id": case["street_id"],
        "community_id": case["community_id"],
        "matter_id": case["matter_id"],
        "is_public": is_public,
        "started_at": s.started_at,
        "started_on": local_date(s.started_at),
        "ended_at": s.ended_at,
        "deadline": s.deadline,
        "limit_amount": s.limit_amount,
        "limit_unit": s.limit_unit,
        "start_action": s.start_action,
        "end_action": s.end_action,
        "ended": int(s.ended),
        "on_time": s.on_time,
        "overdue": s.overdue,
        "faulted": s.faulted,
        "extension_count": s.extension_count,
        "urge_count": s.urge_count,
        "supervised": s.supervised,
    }
    row.update(s.chain)
    return row


def _events_by_case(case_ids) -> dict[int, list[dict]]:
    out = defaultdict(list)
    for ev in CaseEvent.objects.filter(case_id__in=case_ids).order_by("at", "pk").values(*EVENT_FIELDS):
        out[ev["case_id"]].append(ev)
    return out


def _write(pairs) -> None:
    """Replace the facts of the given cases: [(fact dict, [step dicts])]."""
    case_ids = [fact["case_id"] for fact, _rows in pairs]
    StepFact.objects.filter(case_id__in=case_ids).delete()
    CaseFact.objects.filter(case_id__in=case_ids).delete()
    CaseFact.objects.bulk_create([CaseFact(**fact) for fact, _rows in pairs])
    StepFact.objects.bulk_create([StepFact(**row) for _fact, rows in pairs for row in rows], batch_size=2000)


def facts_refresh(case_id: int) -> None:
    """Recompute one case's facts from all its events, under a lock on the case."""
    with transaction.atomic():
        if Case.objects.select_for_update(of=("self",)).filter(pk=case_id).exists():
            _refresh_in_transaction([case_id])


def facts_refresh_cases(case_ids, *, batch: int = 2000, stdout=None) -> int:
    """Recompute the facts of many cases, a batch per transaction; returns the number of cases."""
    ids = sorted(set(case_ids))
    done = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        with transaction.atomic():
            _refresh_in_transaction(chunk)
        done += len(chunk)
        if stdout is not None:
            stdout.write(f"  {done}/{len(ids)} cases")
    return done


def facts_rebuild(*, batch: int = 2000, stdout=None) -> int:
    """Recompute every case's facts from its events; returns the number of cases."""
    with transaction.atomic():
        StepFact.objects.exclude(case_id__in=Case.objects.values("pk")).delete()
        CaseFact.objects.exclude(case_id__in=Case.objects.values("pk")).delete()
    ids = Case.objects.order_by("pk").values_list("pk", flat=True)
    return facts_refresh_cases(ids, batch=batch, stdout=stdout)


# --- the live path: one event at a time, inside the case transaction -------------------------------------------

# (flag, action): the flag is 1 once the case has had the action
SEEN = (
    ("need_verify", "request_verification"),
    ("accepted", "accept"),
    ("rejected", "reject"),
    ("merged", "merge"),
    ("self_handled", "self_handle"),
    ("filed", "file"),
    ("voided", "void"),
    ("handled", "reply"),
    ("reworked", "check_fail"),
    ("extended", "approve_extension"),
    ("hung_up", "hang_up"),
    ("returned", "return"),
    ("supervised", "supervise"),
)
COUNTED = (
    ("rework_count", "check_fail"),
    ("extension_count", "approve_extension"),
    ("hang_up_count", "hang_up"),
    ("return_count", "return"),
    ("urge_count", "urge"),
)
ASSIGNMENT_FLAGS = (
    "assignment", "a_handled", "a_on_time", "a_overdue", "a_reworked", "a_extended", "a_hung_up", "a_hung_now",
    "a_returned", "a_closed", "a_closed_on_time",
)  # fmt: skip
_major_codes: dict[int, str] = {}


def _major_code(case: Case) -> str:
    """The matter's major class: from the loaded matter if the caller joined it, else memoised per process (a
    matter's code never changes: `MatterType.clean` ties the major class to the code's first two digits)."""
    matter = case._state.fields_cache.get("matter")
    if matter is not None:
        return matter.major_code
    if case.matter_id not in _major_codes:
        from chengguan.catalog.models import MatterType

        _major_codes[case.matter_id] = MatterType.objects.values_list("major_code", flat=True).get(
            pk=case.matter_id
        )
    return _major_codes[case.matter_id]


def _case_dict(case: Case) -> dict:
    """The `CASE_FIELDS` of a case row in memory."""
    out = {name: getattr(case, name) for name in CASE_FIELDS if name not in ("matter__major_code",)}
    out["matter__major_code"] = _major_code(case)
    return out


def _event_dict(event) -> dict:
    return {name: getattr(event, name) for name in EVENT_FIELDS}


def _step_from_row(row: dict) -> Step:
    ended = bool(row["ended"])
    step = Step(
        seq=row["seq"],
        step=row["step"],
        started_at=row["started_at"],
        deadline=row["deadline"],
        limit_amount=row["limit_amount"],
        limit_unit=row["limit_unit"],
        start_action=row["start_action"],
        department_id=row["department_id"],
        assignee_id=None if ended else row["user_id"],
        round=row["round"],
        ended_at=row["ended_at"],
        end_action=row["end_action"],
        ender_id=row["user_id"] if ended else None,
        role=row["role"],
        on_time=row["on_time"],
        overdue=row["overdue"],
        faulted=row["faulted"],
        extension_count=row["extension_count"],
        urge_count=row["urge_count"],
        supervised=row["supervised"],
    )
    return step


def _advance_fact(prev: dict | None, case: dict, ev: dict, steps: list[Step]) -> dict:
    """The case's fact row after one more event: `derive`'s fields, from the previous row and the event."""
    a = ev["action"]
    f = dict(prev) if prev else {}
    for name, action in SEEN:
        f[name] = int(bool(f.get(name)) or a == action)
    for name, action in COUNTED:
        f[name] = (f.get(name) or 0) + (a == action)
    f["verify_confirmed"] = int(
        bool(f.get("verify_confirmed")) or a == "verify" and bool((ev["payload"] or {}).get("confirmed"))
    )
    f["rectified"] = int(bool(f.get("rectified")) or a == "check_pass" or bool(f["self_handled"]))
    if a == "file" and f.get("filed_at") is None:
        f["filed_at"] = ev["at"]
    if a == "dispatch" and ev["to_state"] == State.DISPATCHED and f.get("first_dispatched_at") is None:
        f["first_dispatched_at"] = ev["at"]
    f.setdefault("filed_at", None)
    f.setdefault("first_dispatched_at", None)
    closed = int(case["state"] == State.CLOSED)
    closed_at = ev["at"] if a == "close" else f.get("closed_at")
    f["closed_at"] = closed_at if closed else None
    f["closed_on"] = local_date(f["closed_at"]) if f["closed_at"] else None
    handle_steps = [s for s in steps if s.step == HANDLE]
    hung_now = int(case["state"] == State.HUNG_UP)
    f["handled_overdue"] = int(any(s.overdue for s in handle_steps))
    f["filed_valid"] = int(f["filed"] and not f["voided"])
    f["valid"] = int(f["filed_valid"] or f["self_handled"])
    f.update(
        case_id=case["pk"],
        source=case["source"],
        channel=case["channel"],
        matter_id=case["matter_id"],
        major_code=case["matter__major_code"],
        district_id=case["district_id"],
        street_id=case["street_id"],
        community_id=case["community_id"],
        unit_grid_id=case["unit_grid_id"],
        responsibility_grid_id=case["responsibility_grid_id"],
        area_class=case["area_class"],
        reporter_id=case["reporter_id"],
        department_id=handle_steps[-1].department_id if handle_steps else None,
        state=case["state"],
        reported_at=case["reported_at"],
        reported_on=local_date(case["reported_at"]),
        is_public=int(case["source"] in PUBLIC_SOURCES),
        dispatched=int(bool(handle_steps)),
        hung_up_now=hung_now,
        need_close=int(f["valid"] and not hung_now),
        closed=closed,
        closed_on_time=int(closed and not f["handled_overdue"]),
    )
    return f


def _changes(old: dict, new: dict) -> dict:
    return {k: v for k, v in new.items() if old.get(k) != v}


class _Unhashable(tuple):
    """A change whose values cannot be a dict key: its own group (hash by identity)."""

    __hash__ = object.__hash__
    __eq__ = object.__eq__


def _frozen(changed: dict) -> tuple:
    items = tuple(sorted(changed.items()))
    try:
        hash(items)
    except TypeError:
        return _Unhashable(items)
    return items


def facts_apply(events) -> None:
    """Advance the facts of the events' cases by these events (already written, in this transaction). Reads the
    cases' fact rows (one query each for case and step rows), writes only the rows that changed. A case without a
    fact row (and not being reported now) gets its facts rebuilt from its events instead."""
    if not events:
        return
    known = sorted({e.case_id for e in events if e.action != "report"})
    facts = {f["case_id"]: f for f in CaseFact.objects.filter(case_id__in=known).values()} if known else {}
    rows_by_case = defaultdict(list)
    if facts:
        for row in StepFact.objects.filter(case_id__in=list(facts)).order_by("case_id", "seq").values():
            rows_by_case[row["case_id"]].append(row)
    rebuild = set()
    state = {}  # case id -> [case dict, replayer, fact, voids, loaded rows by seq]
    for event in events:
        if event.case_id in rebuild:
            continue
        if event.case_id not in state:
            if event.action != "report" and event.case_id not in facts:
                rebuild.add(event.case_id)
                continue
            rows = rows_by_case.get(event.case_id, [])
            replayer = Replayer([_step_from_row(r) for r in rows])
            state[event.case_id] = [None, replayer, facts.get(event.case_id), [False, False], rows]
        entry = state[event.case_id]
        case, replayer, fact, voids, _rows = entry
        case = entry[0] = _case_dict(event.case)
        ev = _event_dict(event)
        replayer.feed(ev)
        if ev["action"] == "void":
            voids[ev["from_state"] == State.ACCEPTED] = True
        entry[2] = _advance_fact(fact, case, ev, replayer.steps)
    case_updates, step_updates, all_new_rows = defaultdict(list), defaultdict(list), []
    for case_id, (case, replayer, fact, voids, loaded) in state.items():
        steps = replayer.steps
        _mark_faults(steps, voids[0], voids[1])
        _mark_assignments(steps, case["state"])
        is_public = int(case["source"] in PUBLIC_SOURCES)
        before = facts.get(case_id)
        if before is None:
            rowinsert.insert_values(CaseFact, fact)
        else:
            changed = _changes(before, fact)
            if changed:
                case_updates[_frozen(changed)].append(case_id)
        new_rows = []
        for s in steps:
            row = _step_row(case, is_public, s)
            if s.seq > len(loaded):
                new_rows.append(row)
                continue
            old = loaded[s.seq - 1]
            changed = _changes(old, row)
            if changed:
                step_updates[_frozen(changed)].append(old["id"])
        all_new_rows.extend(new_rows)
    # Set-wise: one UPDATE per distinct change (a sweeper batch's thousands of urges change the same columns to
    # the same values), one INSERT for the new step rows.
    for model, updates in ((CaseFact, case_updates), (StepFact, step_updates)):
        for changed, pks in updates.items():
            for lo in range(0, len(pks), 5000):
                model.objects.filter(pk__in=pks[lo : lo + 5000]).update(**dict(changed))
    if len(all_new_rows) == 1:  # the live path's usual one (a statement built once per process)
        rowinsert.insert_values(StepFact, all_new_rows[0])
    elif all_new_rows:
        StepFact.objects.bulk_create([StepFact(**row) for row in all_new_rows], batch_size=2000)
    if rebuild:
        _refresh_in_transaction(sorted(rebuild))


def _refresh_in_transaction(case_ids) -> None:
    cases = Case.objects.filter(pk__in=case_ids).values(*CASE_FIELDS)
    events = _events_by_case(case_ids)
    _write([derive(c, events[c["pk"]]) for c in cases if events.get(c["pk"])])


def on_events_written(sender, events, **kwargs) -> None:
    """Receiver of `case_events_written`, inside the case transaction: an error here rolls the action back rather
    than let the facts drift from the events."""
    facts_apply(events)
