"""Facts from case events: one pure function (`derive`) used by both paths that write facts.

- `facts_refresh(case_id)` runs after every recorded case event (signal `case_event_recorded`): it replays the
  case's events and replaces its rows, under a lock on the case so that two refreshes of one case serialise.
- `facts_refresh_cases(ids)` does it for many cases in batches: after an imported (replayed) history
  (signal `cases_imported`), and for every case in `facts_rebuild()` (`chengguan evaluate rebuild`).

Because both replay the full event list of a case with the same function, they give identical rows. Facts
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
    return timezone.localtime(dt).date()


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


def _replay(events) -> list[Step]:
    steps: list[Step] = []
    current: Step | None = None
    rounds = defaultdict(int)

    def open_step(ev, name, started_at, deadline, amount, unit, action):
        rounds[name] += 1
        return Step(
            seq=len(steps) + 1,
            step=name,
            started_at=started_at,
            deadline=deadline,
            limit_amount=amount,
            limit_unit=unit or "",
            start_action=action,
            department_id=ev["department_id"] if name == HANDLE else None,
            assignee_id=ev["assignee_id"],
            round=rounds[name],
        )

    for ev in events:
        changed = ev["action"] == "report" or ev["from_state"] != ev["to_state"]
        if current is not None and not changed:
            if ev["action"] == "approve_extension":
                current.extension_count += 1
                current.deadline = ev["deadline"]
            elif ev["action"] == "urge":
                current.urge_count += 1
            elif ev["action"] == "supervise":
                current.supervised = 1
        if not changed:
            continue
        if ev["ended_step"]:
            if current is None or current.step != ev["ended_step"]:
                # A history that starts mid-way (an import): the event still describes the step it ended.
                current = open_step(
                    ev,
                    ev["ended_step"],
                    ev["ended_step_started_at"] or ev["at"],
                    ev["ended_step_deadline"],
                    None,
                    "",
                    "",
                )
                steps.append(current)
            current.ended_at = ev["at"]
            current.end_action = ev["action"]
            current.ender_id = ev["actor_id"]
            current.role = ev["actor_role"]
            current.deadline = ev["ended_step_deadline"]
            current.on_time = int(ev["on_time"] is True)
            current.overdue = int(ev["on_time"] is False)
        current = None
        if ev["step"]:
            current = open_step(
                ev,
                ev["step"],
                ev["step_started_at"] or ev["at"],
                ev["deadline"],
                ev["limit_amount"],
                ev["limit_unit"],
                ev["action"],
            )
            steps.append(current)
    return steps


def _mark_faults(steps: list[Step], events) -> None:
    """A filing later voided, a dispatch whose department returned the case, a reply that failed the check."""
    voided_after_filing = any(e["action"] == "void" and e["from_state"] != State.ACCEPTED for e in events)
    voided_when_accepted = any(e["action"] == "void" and e["from_state"] == State.ACCEPTED for e in events)
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
    _mark_faults(steps, events)
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
    rows = []
    for s in steps:
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
        rows.append(row)
    return fact, rows


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
    """Recompute one case's facts from all its events (called after each event is committed)."""
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).filter(pk=case_id).values(*CASE_FIELDS).first()
        if case is None:
            return
        events = _events_by_case([case_id])[case_id]
        if not events:
            return
        _write([derive(case, events)])


def facts_refresh_cases(case_ids, *, batch: int = 2000, stdout=None) -> int:
    """Recompute the facts of many cases, a batch per transaction; returns the number of cases."""
    ids = sorted(set(case_ids))
    done = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        with transaction.atomic():
            cases = Case.objects.filter(pk__in=chunk).values(*CASE_FIELDS)
            events = _events_by_case(chunk)
            _write([derive(c, events[c["pk"]]) for c in cases if events.get(c["pk"])])
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


def on_cases_imported(sender, case_ids, **kwargs) -> None:
    """Receiver of `cases_imported`: a replayed history (import, demo) sends no event signals; build its facts
    once per case."""
    try:
        facts_refresh_cases(case_ids)
    except Exception:  # noqa: BLE001
        log.exception("evaluation facts of %d imported cases could not be built", len(case_ids))


def on_case_event(sender, event, **kwargs) -> None:
    """Receiver of `case_event_recorded`. A failure must not break the case action that already committed:
    it is logged, and `chengguan evaluate rebuild` repairs the facts."""
    try:
        facts_refresh(event.case_id)
    except Exception:  # noqa: BLE001
        log.exception("evaluation facts of case %s could not be refreshed", event.case_id)
