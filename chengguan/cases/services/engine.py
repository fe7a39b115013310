"""The one path every case action takes: check the table → lock → re-check → apply → step → event → notify.

Action services (`actions.py`) only say what is special about them in an `apply(case, ctx)` callback.
"""

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.catalog.services import step_time_limit
from chengguan.core import rowinsert
from chengguan.core.errors import Conflict, PermissionDenied
from chengguan.core.workcalendar import NATURAL_UNITS, add_working_time, working_time_between

from .. import conf, sheets, workflow
from ..evidence import claim_attachments
from ..models import Case, CaseDepartment, CaseEvent
from ..notify import is_silenced, notify
from ..permissions import acting_role
from ..signals import case_event_recorded, case_events_written

SYSTEM_ROLE = "system"
LIMIT_CACHE_SECONDS = 60
_limits: dict = {}
_limits_loaded_at = 0.0


def forget_time_limits(**kwargs) -> None:
    _limits.clear()


def time_limit(step, case) -> tuple[float, str]:
    """`step_time_limit` memoised per process for a minute: the sweeper, the importer and busy desks start
    thousands of steps; an admin's edit of the limits applies to steps started a minute later at most."""
    global _limits_loaded_at
    now = time.monotonic()
    if now - _limits_loaded_at > LIMIT_CACHE_SECONDS:
        _limits.clear()
        _limits_loaded_at = now
    key = (step, case.filing_condition_id, case.severity, case.area_class)
    if key not in _limits:
        _limits[key] = step_time_limit(
            step, filing_condition=case.filing_condition, severity=case.severity, area_class=case.area_class
        )
    return _limits[key]


@dataclass
class Ctx:
    """What an action's `apply` sees and may change besides the case itself."""

    actor: object
    role: str
    at: datetime
    from_state: str
    transition: workflow.Transition
    payload: dict = field(default_factory=dict)
    restart_step: bool = False  # start a new step even if the state does not change (none so far)
    notices: list = field(default_factory=list)  # (kind, text, user_ids, phones)

    @property
    def loud(self) -> bool:
        """False while replaying history: then the recipients are not even looked up."""
        return not is_silenced()

    def tell(self, kind: str, text: str, user_ids=(), phones=()):
        self.notices.append((kind, text, list(user_ids), list(phones)))


def illegal(action: str, state: str) -> Conflict:
    label = workflow.STATE_LABELS.get(state, state)
    return Conflict(
        _("“%(action)s” is not possible while the case is %(label)s (%(state)s).")
        % {"action": workflow.ACTION_LABELS.get(action, action), "label": label, "state": state},
        field="action",
        code="illegal_transition",
    )


def lock_case(case: Case) -> Case:
    # Only the community is joined (every permission check needs its path); the rest loads when used.
    return Case.objects.select_for_update(of=("self",)).select_related("community").get(pk=case.pk)


def start_step(case: Case, at: datetime, *, escalate: bool = True) -> None:
    """Start the step of the case's (new) state: its time limit, deadline and escalation point (`escalate=False`
    leaves that None: a replay that computes it for the last step only)."""
    step = workflow.STATE_STEP.get(case.state, "") if case.is_open else ""
    case.step = step
    case.overdue_notified = False
    case.escalated = False
    if not step:
        case.step_started_at = case.deadline = case.escalate_at = None
        case.limit_amount, case.limit_unit = None, ""
        return
    amount, unit = time_limit(step, case)
    case.step_started_at = at
    case.limit_amount, case.limit_unit = amount, unit
    case.deadline = add_working_time(at, amount, unit)
    case.escalate_at = escalation_point(at, case.deadline, unit) if escalate else None


def escalation_point(start: datetime, deadline: datetime, unit: str) -> datetime:
    """`CASES_ESCALATE_FACTOR` × the step's allowance after its start (measured like the limit)."""
    extra = conf.escalate_factor() - 1
    if extra <= 0:
        return deadline
    if unit in NATURAL_UNITS:
        return deadline + timedelta(seconds=(deadline - start).total_seconds() * extra)
    return add_working_time(deadline, working_time_between(start, deadline) * extra, "minutes")


def record_dispatch(case: Case, department, at: datetime) -> None:
    CaseDepartment.objects.get_or_create(
        case=case, department=department, defaults={"first_dispatched_at": at}
    )


def write_event(
    case: Case, *, action, actor, role, at, from_state, ended, reason="", payload=None, department=None,
    actor_name=None, pk=None,
):
    ended_step, ended_started, ended_deadline = ended
    on_time = None
    if ended_step and ended_deadline is not None:
        on_time = at <= ended_deadline
    event = CaseEvent(
        pk=pk,
        case=case,
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_role=role,
        actor_name=actor_name if actor_name is not None else str(actor) if actor is not None else "",
        at=at,
        from_state=from_state,
        to_state=case.state,
        step=case.step,
        step_started_at=case.step_started_at,
        deadline=case.deadline,
        limit_amount=case.limit_amount,
        limit_unit=case.limit_unit,
        department=department if department is not None else case.current_department,
        assignee=case.assignee,
        ended_step=ended_step,
        ended_step_started_at=ended_started,
        ended_step_deadline=ended_deadline,
        on_time=on_time,
        reason=reason,
        payload=payload or {},
    )
    rowinsert.insert(event)
    return event


def _resolve_role(actor, case, transition, action, system_role):
    if system_role:  # trusted callers (the sweeper, the importer) record the role they were given
        return system_role
    if actor is None:
        raise PermissionDenied(_("Sign in to act on a case."), field="action", code="unauthenticated")
    role = acting_role(actor, case, transition.roles, action)
    if role is None:
        raise PermissionDenied(
            _("You may not do “%(action)s” on this case (role needed: %(roles)s).")
            % {
                "action": workflow.ACTION_LABELS.get(action, action),
                "roles": ", ".join(sorted(transition.roles)),
            },
            field="action",
        )
    return role


def perform(
    *,
    actor,
    case: Case,
    action: str,
    at: datetime | None = None,
    variant: str = "",
    reason: str = "",
    apply=None,
    photos=(),
    photo_kind: str | None = None,
    system_role: str | None = None,
) -> Case:
    """Run one action. `system_role` (the sweeper, the importer) replaces the role check for trusted callers."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = lock_case(case)
        transition = workflow.find(action, locked.state, variant)
        if transition is None:
            raise illegal(action, locked.state)
        role = _resolve_role(actor, locked, transition, action, system_role)
        attachments = claim_attachments(actor=actor, ids=photos, kind=photo_kind)
        ctx = Ctx(actor=actor, role=role, at=at, from_state=locked.state, transition=transition)
        ended = (locked.step, locked.step_started_at, locked.deadline)
        department_before = locked.current_department
        if apply is not None:
            apply(locked, ctx)
        locked.state = transition.leads_to(ctx.from_state)
        locked.is_open = locked.state not in workflow.FINAL_STATES
        changed = locked.state != ctx.from_state or ctx.restart_step
        if changed:
            start_step(locked, at)
        else:
            ended = ("", None, None)
        if not locked.is_open:
            locked.assignee = None
        if system_role is None:  # what the act's printed form (案卷单, 派遣单, 审批表) shows is there
            sheets.check(action, locked)
        locked.save()
        if attachments:
            ctx.payload["photos"] = [a.pk for a in attachments]
        event = write_event(
            locked,
            action=action,
            actor=actor,
            role=role,
            at=at,
            from_state=ctx.from_state,
            ended=ended,
            reason=reason,
            payload=ctx.payload,
            department=locked.current_department or department_before,
        )
        for a in attachments:
            a.case, a.event = locked, event
            a.save(update_fields=["case", "event", "kind"])
        for kind, text, user_ids, phones in ctx.notices:
            notify(case=locked, kind=kind, text=text, user_ids=user_ids, phones=phones, at=at)
        if not is_silenced():
            case_events_written.send(sender=CaseEvent, events=[event])
            transaction.on_commit(lambda: case_event_recorded.send(sender=CaseEvent, event=event))
    if case is not locked:
        case.__dict__.update(locked.__dict__)  # the caller's object is never left stale
    return case
