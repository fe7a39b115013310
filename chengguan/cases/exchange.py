"""The case exchange format (docs/case-exchange.md): JSON Lines, one case per line with its events.

`export_cases` writes what `import_cases` reads. The import replays history through the same services with
the recorded timestamps: all reports and events of the file are put on one timeline and replayed in time
order (so a merge finds its target still open, as it was), in ONE transaction — a bad line anywhere changes
nothing. Lines are validated first (structure, codes, time order) and errors name the line.
"""

import json
import re
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.db import transaction

from chengguan.catalog.models import FilingCondition
from chengguan.catalog.services import matter_for_code
from chengguan.core.errors import DomainError
from chengguan.core.privacy import masked_reporter
from chengguan.grids.models import Component
from chengguan.org.models import Department, Region, User

from . import conf, workflow
from .exchange_marks import (
    case_flags,
    check_marks,
    event_marks,
    parse_exchange_time,
    restore_event_marks,
    restore_flags,
)
from .exchange_marks import exchange_time as _iso
from .exchange_recompute import RECOMPUTE_ACTION, check_recompute, recompute_fields, replay_recompute
from .models import Case, CaseCounter, CaseEvent, Source
from .notify import silenced
from .services import case_act, case_report
from .services.intake import SOURCES
from .signals import cases_imported

DEFAULT_REPORTER_ROLE = {
    Source.SUPERVISOR: "supervisor",
    Source.CITIZEN: "citizen",
    Source.HOTLINE: "operator",
    Source.CAMERA: "system",
    Source.LEADER: "leader",
    Source.DEPARTMENT: "department_handler",
}
REQUIRED = ("number", "source", "matter_code", "lng", "lat", "description", "reported_at")
EVENT_PARAMS = ("department", "district", "filing_condition", "severity", "matter_code", "amount", "unit",
                "confirmed", "target")  # fmt: skip
EXCHANGE_ACTIONS = frozenset((*workflow.ACTIONS, RECOMPUTE_ACTION))  # the case actions and the calendar's row


class ExchangeError(DomainError):
    code = "exchange_error"

    def __init__(
        self, line: int, message: str, *, event: int | None = None, cause: str = "", source_field: str = ""
    ):
        where = f"line {line}" + (f", event {event + 1}" if event is not None else "")
        super().__init__(f"{where}: {message}", field="line")
        self.line, self.event, self.reason = line, event, message
        self.cause = cause  # the code of the business rule that refused the line, if one did
        self.source_field = source_field  # the input the rule named, if it named one

    def reject_row(self) -> str:
        """One line of a reject file: line, event (1-based), field and reason, tab-separated."""
        event = "" if self.event is None else str(self.event + 1)
        reason = self.reason.replace("\t", " ").replace("\n", " ")
        return f"{self.line}\t{event}\t{self.source_field}\t{reason}\n"


# ---- export -----------------------------------------------------------------------------------------------


SCHEMA_PATH = Path(__file__).resolve().parent / "data" / "case-exchange.schema.json"


def schema() -> dict:
    """The JSON Schema (draft 2020-12) of one line, shipped in the package."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _event_record(e: CaseEvent) -> dict:
    p = e.payload or {}
    rec = {
        "action": e.action,
        "at": _iso(e.at),
        "actor_role": e.actor_role,
        "actor": e.actor.username if e.actor_id else "",
        "department": e.department.code if e.department_id else "",
        "reason": e.reason,
    }
    if e.action == "dispatch" and p.get("district"):
        rec["district"] = p["district"]
    if p.get("filing_condition"):
        rec["filing_condition"] = p["filing_condition"]
    if e.action in ("file", "accept") and p.get("severity"):
        rec["severity"] = p["severity"]
    if isinstance(p.get("matter_code"), dict):
        rec["matter_code"] = p["matter_code"]["to"]
    if e.action == "verify":
        rec["confirmed"] = p.get("confirmed")
    if e.action == "merge":
        rec["target"] = p.get("target")
    if e.action in ("request_extension", "approve_extension"):
        rec["amount"], rec["unit"] = p.get("amount"), p.get("unit")
    rec.update(event_marks(e.action, p))  # the sweeper's automatic urge, a routed dispatch
    rec.update(recompute_fields(e.action, p))  # a deadline recomputed when a holiday arrangement was entered
    return rec


def case_record(case: Case, events: list[CaseEvent]) -> dict:
    report = next((e for e in events if e.action == "report"), None)
    matter_change = next(
        (e.payload["matter_code"] for e in events if isinstance(e.payload.get("matter_code"), dict)), None
    )
    return {
        "number": case.number,
        "source": case.source,
        "channel": case.channel,
        "external_id": case.external_id,
        "matter_code": matter_change["from"] if matter_change else case.matter.code,
        "component_id": case.component.code if case.component_id else "",
        "severity": (report.payload.get("severity") if report else None) or "normal",
        "lng": case.lng,
        "lat": case.lat,
        "crs": "gcj02",
        "address": case.address,
        "description": case.description,
        "reported_at": _iso(case.reported_at),
        "registered_at": _iso(report.at if report else case.created_at),
        "reporter": case.reporter.username if case.reporter_id else "",
        "reporter_role": report.actor_role if report else DEFAULT_REPORTER_ROLE.get(case.source, "system"),
        "reporter_name": case.reporter_name,
        "reporter_phone": case.reporter_phone,
        **case_flags(case),  # the sweeper's flags on the current step
        "events": [_event_record(e) for e in events if e.action != "report"],
    }


def export_cases(out, *, queryset=None, mask_personal_data: bool = False) -> int:
    """Write every case of `queryset` (default: all) as one JSON line; returns how many.

    Reporters' names and phones are written in full: this is a migration tool run by an administrator on the
    server, and the receiving system needs them to call reporters back. `mask_personal_data` writes them masked
    (as every page and export shows them) for a file that leaves the migration, e.g. test data or analysis."""
    qs = (queryset if queryset is not None else Case.objects.all()).order_by("created_at", "pk")
    qs = qs.select_related("matter", "component", "reporter")
    count = 0
    for case in qs.iterator(chunk_size=500):
        events = list(case.events.select_related("actor", "department").order_by("at", "pk"))
        record = case_record(case, events)
        if mask_personal_data:
            masked = masked_reporter(case)
            record["reporter_name"], record["reporter_phone"] = masked["name"], masked["phone"]
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


# ---- import -----------------------------------------------------------------------------------------------


@dataclass
class Line:
    no: int
    data: dict
    reported_at: datetime
    registered_at: datetime
    events: list = field(default_factory=list)  # (at, dict)


def _when(value, line, what, event=None) -> datetime:
    parsed = parse_exchange_time(value)
    if parsed is None:
        raise ExchangeError(line, f"{what} is not an ISO 8601 time: {value!r}", event=event)
    return parsed


def parse_line(no: int, text: str) -> Line:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ExchangeError(no, f"not valid JSON ({exc.msg})") from exc
    if not isinstance(data, dict):
        raise ExchangeError(no, "a line must be a JSON object")
    missing = [k for k in REQUIRED if data.get(k) in (None, "")]
    if missing:
        raise ExchangeError(no, f"missing {', '.join(missing)}")
    if not isinstance(data["source"], str) or data["source"] not in SOURCES:
        raise ExchangeError(no, f"unknown source {data['source']!r}")
    try:
        float(data["lng"]), float(data["lat"])
    except (TypeError, ValueError) as exc:
        raise ExchangeError(no, "lng/lat must be numbers") from exc
    reported_at = _when(data["reported_at"], no, "reported_at")
    registered_at = _when(data.get("registered_at") or data["reported_at"], no, "registered_at")
    line = Line(no, data, reported_at, registered_at)
    events = data.get("events") or []
    if not isinstance(events, list):
        raise ExchangeError(no, "events must be a list")
    last = registered_at
    for i, ev in enumerate(events):
        if not isinstance(ev, dict) or ev.get("action") not in EXCHANGE_ACTIONS:
            action = ev.get("action") if isinstance(ev, dict) else ev
            raise ExchangeError(no, f"unknown action {action!r}", event=i)
        at = _when(ev.get("at"), no, "at", i)
        if at < last:
            raise ExchangeError(no, "events must be in time order, after the report", event=i)
        last = at
        line.events.append((at, ev))
    error = lambda message, event=None, field="": ExchangeError(no, message, event=event, source_field=field)  # noqa: E731
    check_marks(data, events, error)
    check_recompute(events, error)
    return line


class Resolver:
    """Codes in the file → objects, cached (a migration has many lines with the same departments)."""

    def __init__(self):
        self.users, self.departments, self.regions, self.conditions = {}, {}, {}, {}

    def user(self, username):
        if not username:
            return None
        if username not in self.users:
            self.users[username] = User.objects.filter(username=username).first()
        return self.users[username]

    def department(self, code):
        if code not in self.departments:
            self.departments[code] = Department.objects.filter(code=code).first()
        if self.departments[code] is None:
            raise DomainError(f"unknown department {code!r}", field="department")
        return self.departments[code]

    def district(self, code):
        key = str(code)
        if key not in self.regions:
            code12 = key.ljust(12, "0") if key.isdigit() and len(key) <= 12 else key
            self.regions[key] = Region.objects.filter(code=code12).first()
        if self.regions[key] is None:
            raise DomainError(f"unknown district {code!r}", field="district")
        return self.regions[key]

    def condition(self, code):
        if code not in self.conditions:
            self.conditions[code] = FilingCondition.objects.filter(code=code).first()
        if self.conditions[code] is None:
            raise DomainError(f"unknown filing condition {code!r}", field="filing_condition")
        return self.conditions[code]


def _event_params(ev: dict, resolver: Resolver) -> dict:
    action = ev["action"]
    params = {"reason": ev.get("reason") or None}
    if action == "dispatch":
        if ev.get("district"):
            params["district_id"] = resolver.district(ev["district"]).pk
        elif ev.get("department"):
            params["department_id"] = resolver.department(ev["department"]).pk
    if ev.get("filing_condition") and action == "file":
        params["filing_condition_id"] = resolver.condition(ev["filing_condition"]).pk
    if ev.get("severity") and action in ("file", "accept"):
        params["severity"] = ev["severity"]
    if ev.get("matter_code") and action in ("file", "accept"):
        params["matter_code"] = ev["matter_code"]
    if action == "verify":
        params["confirmed"] = bool(ev.get("confirmed", True))
    if action == "merge":
        params["target_id"] = ev.get("target")
    if action in ("request_extension", "approve_extension"):
        params["amount"], params["unit"] = ev.get("amount"), ev.get("unit")
    return params


def _report(line: Line, resolver: Resolver) -> Case:
    d = line.data
    component = None
    if d.get("component_id"):
        component = Component.objects.filter(code=d["component_id"]).first()
        if component is None:
            raise DomainError(f"unknown component {d['component_id']!r}", field="component_id")
    reporter = resolver.user(d.get("reporter"))
    return case_report(
        actor=reporter,
        source=d["source"],
        matter=matter_for_code(str(d["matter_code"])),
        lng=float(d["lng"]),
        lat=float(d["lat"]),
        crs=d.get("crs") or "gcj02",
        description=d["description"],
        address=d.get("address") or "",
        severity=d.get("severity") or None,
        component=component,
        reporter_name=d.get("reporter_name") or "",
        reporter_phone=d.get("reporter_phone") or "",
        reported_at=line.reported_at,
        external_id=d.get("external_id") or "",
        channel_ref=d.get("channel") or None,
        number=d["number"],
        at=line.registered_at,
        system_role=d.get("reporter_role") or DEFAULT_REPORTER_ROLE.get(d["source"], "system"),
    )


def _bump_counters(numbers) -> None:
    prefix = conf.number_prefix()
    pattern = re.compile(rf"^{re.escape(prefix)}(\d{{4}})-(\d+)$")
    highest = {}
    for number in numbers:
        m = pattern.match(number)
        if m:
            year, seq = int(m[1]), int(m[2])
            highest[year] = max(highest.get(year, 0), seq)
    for year, seq in highest.items():
        counter, _ = CaseCounter.objects.select_for_update().get_or_create(prefix=prefix, year=year)
        if counter.last < seq:
            counter.last = seq
            counter.save(update_fields=["last"])


def import_cases(
    lines, *, dry_run: bool = False, progress=None, on_error: str = "stop", rejects=None
) -> dict:
    """Replay JSON lines (an iterable of text lines).

    `on_error="stop"` (the default): raises ExchangeError naming the first bad line; nothing is kept unless
    every line succeeds. `on_error="skip"`: a bad line (its report or any of its events) is left out whole,
    written to `rejects` (a text stream: line, event, field, reason) and counted; the other lines are kept.
    A line that only failed because it depended on a rejected one (a merge into it) is rejected in a later
    round. `dry_run` replays everything and rolls back."""
    if on_error not in ("stop", "skip"):
        raise ValueError(f"on_error must be 'stop' or 'skip', not {on_error!r}")
    skip = on_error == "skip"
    parsed, numbers, refused = [], set(), []
    for no, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            line = parse_line(no, text)
            if line.data["number"] in numbers:
                raise ExchangeError(no, f"case {line.data['number']} appears twice", source_field="number")
        except ExchangeError as exc:
            if not skip:
                raise
            refused.append(exc)
            continue
        numbers.add(line.data["number"])
        parsed.append(line)
    existing = set(Case.objects.filter(number__in=numbers).values_list("number", flat=True))
    for line in [ln for ln in parsed if ln.data["number"] in existing]:
        exc = ExchangeError(line.no, f"case {line.data['number']} exists already", source_field="number")
        if not skip:
            raise exc
        refused.append(exc)
    parsed = [ln for ln in parsed if ln.data["number"] not in existing]
    while True:
        with transaction.atomic(), silenced():
            cases, events, failed = _replay(parsed, skip=skip, progress=progress)
            if failed:  # roll this round back and replay without them: nothing half of a line is kept
                transaction.set_rollback(True)
                refused.extend(failed)
                bad = {exc.line for exc in failed}
                parsed = [ln for ln in parsed if ln.no not in bad]
                continue
            restore_flags((cases[ln.no], ln.data) for ln in parsed)
            _bump_counters(ln.data["number"] for ln in parsed)
            result = {"cases": len(cases), "events": events, "dry_run": dry_run, "rejected": len(refused)}
            if dry_run:
                transaction.set_rollback(True)
            else:
                ids = sorted(c.pk for c in cases.values())
                transaction.on_commit(lambda ids=ids: cases_imported.send(sender=Case, case_ids=ids))
            break
    if rejects is not None:
        for exc in sorted(refused, key=lambda e: e.line):
            rejects.write(exc.reject_row())
    return result


def _replay(parsed, *, skip: bool, progress=None):
    """All reports and events of `parsed` on one timeline, in time order. Stops at the first failure unless
    `skip`, in which case each operation runs in a savepoint and a failing line's later operations are left
    out; returns (cases by line, event count, failures)."""
    timeline = []
    for line in parsed:
        timeline.append((line.registered_at, line.no, -1, line, None))
        timeline.extend((at, line.no, i, line, ev) for i, (at, ev) in enumerate(line.events))
    timeline.sort(key=lambda item: (item[0], item[1], item[2]))
    resolver, cases, events, failed = Resolver(), {}, 0, {}
    for at, no, index, line, ev in timeline:
        if no in failed:
            continue
        try:
            with transaction.atomic() if skip else nullcontext():
                if ev is None:
                    cases[no] = _report(line, resolver)
                elif ev["action"] == RECOMPUTE_ACTION:  # not a case action: the working calendar's row
                    cases[no] = replay_recompute(cases[no], ev, at, resolver.user(ev.get("actor")))
                    events += 1
                else:
                    cases[no] = case_act(
                        actor=resolver.user(ev.get("actor")),
                        case=cases[no],
                        action=ev["action"],
                        at=at,
                        system_role=ev.get("actor_role") or "system",
                        **_event_params(ev, resolver),
                    )
                    restore_event_marks(cases[no], ev)
                    events += 1
        except DomainError as exc:
            error = ExchangeError(
                no,
                exc.message,
                event=None if index < 0 else index,
                cause=exc.code,
                source_field=exc.field or "",
            )
            if not skip:
                raise error from exc
            failed[no] = error
            cases.pop(no, None)
            continue
        if progress and ev is None:
            progress(len(cases))
    return cases, events, list(failed.values())
