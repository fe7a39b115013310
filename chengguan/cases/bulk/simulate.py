"""One line's history replayed in memory with the live services' rules, no query per case.

`World` reads the configuration once (users, departments, regions, filing conditions, unit grids, routing rules,
grid supervisors); `simulate(line, world)` runs the report and every event of a line through the same checks and
effects as `services.case_report` and the action services (`engine.perform` + each action's `apply`), sharing
their helpers (`_check_inputs`, `need_reason`, `check_amount`, `start_step`, `escalation_point`, the calendar),
and returns unsaved rows: the case, its events, its department requests and the departments it was dispatched to.
`tests/test_bulk.py` replays random histories both ways and compares every row field by field.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _

from chengguan.catalog.models import FilingCondition, MatterType, Severity
from chengguan.catalog.routing import RoutingTable
from chengguan.catalog.services import area_class_for, matter_for_code
from chengguan.core.errors import DomainError, ValidationError
from chengguan.grids.geocoder import locate
from chengguan.grids.models import Component, ResponsibilityGrid, UnitGrid
from chengguan.org.models import Department, Region, User

from .. import workflow
from ..exchange import DEFAULT_REPORTER_ROLE, ExchangeError, Line
from ..exchange_marks import line_flags
from ..models import Case
from ..provisional import mark_provisional
from ..services.engine import escalation_point, illegal, start_step, time_limit
from ..services.intake import _check_backdating, _check_inputs
from .actions import APPLY
from .recompute import RECOMPUTE_ACTION, recompute

FINAL_ACTIONS = frozenset(t.action for t in workflow.TRANSITIONS if t.target in workflow.FINAL_STATES)


class World:
    """The configuration a replay reads, loaded once per import (a migration has few departments, many cases)."""

    def __init__(self, usernames=(), *, validate_only: bool = False):
        # validating only: the rules that can refuse a line run, the arithmetic that cannot (deadlines) is left out
        self.validate_only = validate_only
        self.users = {u.username: u for u in User.objects.filter(username__in=set(usernames) - {""})}
        self.departments = {d.code: d for d in Department.objects.all()}
        self.departments_by_pk = {d.pk: d for d in self.departments.values()}
        self.regions = {r.pk: r for r in Region.objects.all()}
        self.regions_by_code = {r.code: r for r in self.regions.values()}
        self.conditions = {c.code: c for c in FilingCondition.objects.all()}
        self.conditions_by_matter = {}
        for c in FilingCondition.objects.filter(is_active=True):  # the model's ordering, as `[:2]` reads it
            self.conditions_by_matter.setdefault(c.matter_id, []).append(c)
        self.matters = {}
        self.matters_by_pk = {}
        self.unit_grids = {}
        self.components = {}
        self.components_by_pk = {}
        self.routing = RoutingTable(MatterType.objects.values_list("pk", flat=True))
        self.supervisors = {}
        for grid_id, user_id in ResponsibilityGrid.supervisors.through.objects.order_by(
            "responsibilitygrid_id", "user_id"
        ).values_list("responsibilitygrid_id", "user_id"):
            self.supervisors.setdefault(grid_id, []).append(user_id)

    def user(self, username):
        return self.users.get(username) if username else None

    def matter(self, code) -> MatterType:
        code = str(code)
        if code not in self.matters:
            self.matters[code] = matter_for_code(code)
            self.matters_by_pk[self.matters[code].pk] = self.matters[code]
        return self.matters[code]

    def unit_grid(self, pk) -> UnitGrid:
        if pk not in self.unit_grids:
            self.unit_grids[pk] = UnitGrid.objects.select_related("community").get(pk=pk)
        return self.unit_grids[pk]

    def component(self, code):
        if code not in self.components:
            found = Component.objects.select_related("type", "unit_grid__community", "maintainer", "owner")
            self.components[code] = found.filter(code=code).first()
            if self.components[code] is not None:
                self.components_by_pk[self.components[code].pk] = self.components[code]
        if self.components[code] is None:
            raise DomainError(f"unknown component {code!r}", field="component_id")
        return self.components[code]

    def department(self, code):
        found = self.departments.get(code)
        if found is None:
            raise DomainError(f"unknown department {code!r}", field="department")
        return found

    def district(self, code):
        key = str(code)
        code12 = key.ljust(12, "0") if key.isdigit() and len(key) <= 12 else key
        found = self.regions_by_code.get(code12)
        if found is None:
            raise DomainError(f"unknown district {code!r}", field="district")
        return found

    def condition(self, code):
        found = self.conditions.get(code)
        if found is None:
            raise DomainError(f"unknown filing condition {code!r}", field="filing_condition")
        if not found.is_active:  # the live path re-reads it by id among active conditions
            raise ValidationError(
                _("Unknown filing condition %(value)s.") % {"value": found.pk}, field="filing_condition_id"
            )
        return found

    def grid_supervisor_id(self, case) -> int | None:
        """`actions.common.grid_supervisor_id` over the preloaded supervisors."""
        if not case.responsibility_grid_id:
            return None
        ids = self.supervisors.get(case.responsibility_grid_id, [])
        if case.reporter_id in ids:
            return case.reporter_id
        return ids[0] if ids else None


_FIELDS = Case._meta.concrete_fields
_CALLED = {f.attname: f.get_default for f in _FIELDS if f.has_default() and callable(f.default)}
_DEFAULTS = {f.attname: f.get_default() for f in _FIELDS if f.attname not in _CALLED}


@dataclass
class Replayed:
    """The rows of one line, unsaved; `merge_target` is the number a merge pointed at (linked after insert)."""

    line: Line
    case: Case
    events: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    dispatched: dict = field(default_factory=dict)  # department id → first dispatched at
    merge_target: str = ""

    def packed(self, keep_line: bool) -> tuple:
        """A cheap-to-pickle form (the spool between validation and writing): the case as its column values, the
        line's parsed data only when `keep_line` (a chunk hook reads it). Related objects are not carried."""
        line = self.line if keep_line else Line(self.line.no, {}, None, None)
        case = [getattr(self.case, f.attname) for f in _FIELDS]
        return line, case, self.events, self.requests, self.dispatched, self.merge_target

    @classmethod
    def unpacked(cls, packed: tuple) -> "Replayed":
        line, case, events, requests, dispatched, merge_target = packed
        return cls(line, Case(*case), events, requests, dispatched, merge_target)


def _new_case(**values) -> Case:
    """`Case(**values)` by attname (keys, not related objects: a replayed case carries no row of another table,
    so it is cheap to spool) through the model's positional constructor, the defaults filled in as it would."""
    row = {**_DEFAULTS, **values}
    for name, get in _CALLED.items():
        if name not in values:
            row[name] = get()
    return Case(*[row[f.attname] for f in _FIELDS])


def _report(line: Line, world: World) -> Case:
    d = line.data
    component = world.component(d["component_id"]) if d.get("component_id") else None
    reporter = world.user(d.get("reporter"))
    matter = world.matter(d["matter_code"])
    at, reported_at = line.registered_at, line.reported_at
    phone = (d.get("reporter_phone") or "").strip()
    description, severity = d["description"], d.get("severity") or None
    _check_inputs(source=d["source"], matter=matter, description=description, severity=severity,
                  component=component, reporter_phone=phone, reported_at=reported_at, at=at)  # fmt: skip
    role = d.get("reporter_role") or DEFAULT_REPORTER_ROLE.get(d["source"], "system")
    backdated = _check_backdating(reporter, reported_at, at, importing=True)
    location = locate(float(d["lng"]), float(d["lat"]), d.get("crs") or "gcj02")
    unit_grid = world.unit_grid(location.unit_grid_id)
    reporter_name = d.get("reporter_name") or ""
    case = _new_case(
        number=d["number"],
        source=d["source"],
        channel=(d.get("channel") or "")[:32],
        external_id=(d.get("external_id") or "")[:64],
        matter_id=matter.pk,
        component_id=component.pk if component is not None else None,
        severity=severity or Severity.NORMAL,
        description=description.strip(),
        lng=location.lng,
        lat=location.lat,
        address=(d.get("address") or "").strip()[:200],
        unit_grid_id=unit_grid.pk,
        responsibility_grid_id=location.responsibility_grid_id,
        community_id=location.community_id,
        street_id=location.street_id,
        district_id=location.district_id,
        area_class=area_class_for(unit_grid),
        reporter_id=reporter.pk if reporter is not None else None,
        reporter_name=(reporter_name or (str(reporter) if reporter is not None else "")).strip()[:50],
        reporter_phone=phone[:20],
        reported_at=reported_at or at,
        created_at=at,
    )
    _start_step(case, at, world)
    payload = {"source": case.source, "channel": case.channel, "severity": case.severity,
               "reported_at": case.reported_at.isoformat(), **({"backdated_hours": backdated} if backdated else {})}  # fmt: skip
    return case, _event(case, action="report", actor=reporter, role=role, at=at, from_state="",
                        ended=("", None, None), payload=payload)  # fmt: skip


# The columns of a history row, in the order `_event` fills them (`writer` inserts them as they are).
EVENT_COLUMNS = (
    "case_id", "action", "actor_id", "actor_role", "actor_name", "at", "from_state", "to_state", "step",
    "step_started_at", "deadline", "limit_amount", "limit_unit", "department_id", "assignee_id", "ended_step",
    "ended_step_started_at", "ended_step_deadline", "on_time", "reason", "payload",
)  # fmt: skip


def _event(case, *, action, actor, role, at, from_state, ended, reason="", payload=None, department_id=None,
           actor_name=None):
    """`engine.write_event` without the INSERT: a row of EVENT_COLUMNS (case_id filled in by the writer)."""
    ended_step, ended_started, ended_deadline = ended
    on_time = at <= ended_deadline if ended_step and ended_deadline is not None else None
    return [
        None,
        action,
        actor.pk if actor is not None and actor.is_authenticated else None,
        role,
        actor_name if actor_name is not None else str(actor) if actor is not None else "",
        at,
        from_state,
        case.state,
        case.step,
        case.step_started_at,
        case.deadline,
        case.limit_amount,
        case.limit_unit,
        department_id if department_id is not None else case.current_department_id,
        case.assignee_id,
        ended_step,
        ended_started,
        ended_deadline,
        on_time,
        reason,
        payload or {},
    ]


def _start_step(case, at, world) -> None:
    if not world.validate_only:
        # only the last step's escalation point is kept (the column; no history row carries it): `_escalate`
        start_step(case, at, escalate=False)
        case._escalation = (at, case.deadline, case.limit_unit) if case.step else None
        return
    step = workflow.STATE_STEP.get(case.state, "") if case.is_open else ""
    case.step = step
    if step:
        case.limit_amount, case.limit_unit = time_limit(step, case)  # a missing limit refuses the line


class _Ctx:
    def __init__(self, actor, at, from_state, action):
        self.actor, self.at, self.from_state, self.action, self.payload = actor, at, from_state, action, {}


def simulate(line: Line, world: World, merge_check=None) -> Replayed:
    """The line's rows, or ExchangeError naming the line (and event) the way the live import does.
    `merge_check(number, line, index, at)` answers a merge's target (raises when it may not be merged into)."""
    try:
        case, event = _report(line, world)
    except DomainError as exc:
        raise ExchangeError(line.no, exc.message, cause=exc.code, source_field=exc.field or "") from exc
    out = Replayed(line, case, [event])
    for index, (at, ev) in enumerate(line.events):
        try:
            if ev["action"] == RECOMPUTE_ACTION:  # not a case action: the working calendar's row
                recompute(out, ev, at, world, _event)
            else:
                _act(out, ev, at, index, world, merge_check)
        except DomainError as exc:
            raise ExchangeError(
                line.no, exc.message, event=index, cause=exc.code, source_field=exc.field or ""
            ) from exc
    _escalate(case)
    for name, value in line_flags(line.data).items():  # the sweeper's flags, as the line states them
        setattr(case, name, value)
    mark_provisional(Case, case)
    return out


def _escalate(case) -> None:
    """The escalation point of the step the history ends in, as `start_step` computed it when the step began
    (unless an extension set it since)."""
    pending = getattr(case, "_escalation", None)
    if pending is not None and case.escalate_at is None:
        case.escalate_at = escalation_point(*pending)


def _act(out: Replayed, ev: dict, at: datetime, index: int, world: World, merge_check) -> None:
    c = out.case
    action = ev["action"]
    if not workflow.transitions_for(action, c.state):  # dispatcher._precheck: the state first
        raise illegal(action, c.state)
    actor = world.user(ev.get("actor"))
    role = ev.get("actor_role") or "system"
    reason = ev.get("reason") or ""
    variant = ""
    department = district = None
    if action == "dispatch":
        if ev.get("district"):
            district = world.district(ev["district"])
            if district.level != Region.Level.DISTRICT:
                raise ValidationError(_("Second-level dispatch goes to a district."), field="district_id")
            variant = "district"
        else:
            if ev.get("department"):
                department = world.department(ev["department"])
                if not department.is_active:
                    raise ValidationError(
                        _("%(department)s is not active.") % {"department": department}, field="department_id"
                    )
            variant = "department"
    transition = workflow.find(action, c.state, variant)
    if transition is None:
        raise illegal(action, c.state)
    ctx = _Ctx(actor, at, c.state, action)
    ended = (c.step, c.step_started_at, c.deadline)
    department_before = c.current_department_id
    apply = APPLY.get(action)
    if apply is not None:
        reason = apply(out, ctx, ev, reason, world, merge_check, (department, district), index)
    c.state = transition.leads_to(ctx.from_state)
    c.is_open = c.state not in workflow.FINAL_STATES
    if c.state != ctx.from_state:
        _start_step(c, at, world)
    else:
        ended = ("", None, None)
    if not c.is_open:
        c.assignee_id = None
    if world.validate_only:
        return
    out.events.append(
        _event(c, action=action, actor=actor, role=role, at=at, from_state=ctx.from_state, ended=ended,
               reason=reason, payload=ctx.payload, department_id=c.current_department_id or department_before)
    )  # fmt: skip
