"""Each action's `apply` for the in-memory replay (`simulate`), as in `services/actions`: the same checks, the
same changes to the case, the same payload. Each returns the reason the history row records."""

from django.utils.translation import gettext as _

from chengguan.catalog.models import Severity
from chengguan.core.errors import Conflict, ValidationError
from chengguan.core.workcalendar import add_working_time

from .. import workflow
from ..exchange_marks import auto_payload
from ..models import CaseRequest
from ..services.actions.common import check_amount, check_severity, need_reason
from ..services.engine import escalation_point

PENDING, APPROVED, DENIED, WITHDRAWN = (CaseRequest.Status.PENDING, CaseRequest.Status.APPROVED,
                                        CaseRequest.Status.DENIED, CaseRequest.Status.WITHDRAWN)  # fmt: skip


# ---- each action's `apply`, as in services/actions; each returns the reason the event records ---------------


def _pending(out, kind):
    return next((r for r in out.requests if r.kind == kind and r.status == PENDING), None)


def _decide(req, status, ctx, reason):
    req.status, req.decided_by, req.decided_at, req.decision_reason = status, ctx.actor, ctx.at, reason
    ctx.payload["request_id"] = req  # the row's id once inserted (writer)


def _withdraw(out, ctx):
    for r in out.requests:
        if r.status == PENDING:
            r.status, r.decided_at, r.decision_reason = WITHDRAWN, ctx.at, "superseded by " + ctx.action


def _matter_change(c, ctx, ev, world):
    if ev.get("matter_code"):
        matter = world.matter(ev["matter_code"])
        if matter.pk != c.matter_id:
            ctx.payload["matter_code"] = {"from": world.matters_by_pk[c.matter_id].code, "to": matter.code}
            c.matter_id = matter.pk


def _accept(out, ctx, ev, reason, world, *rest):
    c, severity = out.case, ev.get("severity") or None
    check_severity(severity)
    _matter_change(c, ctx, ev, world)
    if severity:
        c.severity = severity
        ctx.payload["severity"] = severity
    return reason


def _file(out, ctx, ev, reason, world, *rest):
    c, severity = out.case, ev.get("severity") or None
    check_severity(severity)
    condition = world.condition(ev["filing_condition"]) if ev.get("filing_condition") else None
    _matter_change(c, ctx, ev, world)
    if condition is None:
        options = world.conditions_by_matter.get(c.matter_id, [])[:2]
        condition = options[0] if len(options) == 1 else None
    if condition is not None and condition.matter_id != c.matter_id:
        raise ValidationError(_("The filing condition belongs to another matter."), field="filing_condition_id")
    c.filing_condition = condition
    if severity:
        c.severity = severity
    elif condition is not None and c.severity == Severity.NORMAL:
        c.severity = condition.default_severity
    c.filed_at = ctx.at
    ctx.payload.update(
        {"filing_condition": condition.code if condition else "", "severity": c.severity, "area_class": c.area_class}
    )
    return reason


def _needs_reason(out, ctx, ev, reason, *rest):
    return need_reason(reason)


def _request_verification(out, ctx, ev, reason, world, *rest):
    out.case.assignee_id = world.grid_supervisor_id(out.case)
    return reason


def _verify(out, ctx, ev, reason, *rest):
    confirmed = bool(ev.get("confirmed", True))
    out.case.verified, out.case.assignee_id = confirmed, None
    ctx.payload["confirmed"] = confirmed
    return reason


def _merge(out, ctx, ev, reason, world, merge_check, targets, index):
    c, number = out.case, ev.get("target")
    if not number:
        raise ValidationError(_("Choose the open case to merge into."), field="target_id")
    merge_check(number, out.line, index, ctx.at)
    c.assignee_id = None
    out.merge_target = number
    ctx.payload["target"] = number
    return reason


def _close(out, ctx, ev, reason, *rest):
    out.case.closed_at = ctx.at
    return reason


def _urge(out, ctx, ev, reason, *rest):
    out.case.urge_count += 1
    if ev.get("auto"):  # the sweeper's: it also sets its flag (exchange_marks)
        out.case.overdue_notified = True
        ctx.payload.update(auto_payload(ev, out.case.deadline))
    return reason


def _supervise(out, ctx, ev, reason, *rest):
    out.case.supervised = out.case.escalated = True
    if ev.get("auto"):
        ctx.payload.update(auto_payload(ev, out.case.deadline))
    return reason


def _dispatch(out, ctx, ev, reason, world, merge_check, targets, index):
    c, (department, district) = out.case, targets
    if district is not None:
        if not world.regions[c.community_id].path.startswith(district.path):
            raise ValidationError(_("The case is not in this district."), field="district_id")
        c.dispatch_region_id, c.current_department_id = district.pk, None
        ctx.payload.update({"level": "city", "district": district.code})
        return reason
    if department is None:
        component = world.components_by_pk[c.component_id] if c.component_id else None
        department = world.routing.suggest(matter_id=c.matter_id, unit_grid=world.unit_grid(c.unit_grid_id),
                                           component=component)  # fmt: skip
        if department is None:
            raise ValidationError(_("No routing rule applies: choose the department."), field="department_id")
        department = world.departments_by_pk.get(department.pk, department)
        ctx.payload["suggested"] = True
    elif ev.get("suggested"):  # the record says the dispatcher took the suggestion; its department is carried
        ctx.payload["suggested"] = True
    c.current_department_id, c.assignee_id = department.pk, None
    out.dispatched.setdefault(department.pk, ctx.at)
    level = "district" if ctx.from_state == workflow.State.DISTRICT_DISPATCHED else "city"
    ctx.payload.update({"level": level, "department": department.code})
    return reason


def _department_code(c, world):
    return world.departments_by_pk[c.current_department_id].code if c.current_department_id else ""


def _return(out, ctx, ev, reason, world, *rest):
    reason, c = need_reason(reason), out.case
    ctx.payload["department"] = _department_code(c, world)
    c.current_department_id = None
    c.return_count += 1
    _withdraw(out, ctx)
    return reason


def _new_request(out, ctx, kind, reason, **extra):
    req = CaseRequest(kind=kind, department_id=out.case.current_department_id, requested_by=ctx.actor,
                      requested_at=ctx.at, reason=reason, status=PENDING, **extra)  # fmt: skip
    out.requests.append(req)
    ctx.payload["request_id"] = req


def _request_extension(out, ctx, ev, reason, *rest):
    amount, unit = ev.get("amount"), ev.get("unit") or "working_hours"
    if amount is None:
        raise ValidationError(
            _("The action %(action)r needs %(wire)r.") % {"action": ctx.action, "wire": "amount"}, field="amount"
        )
    reason = need_reason(reason)
    check_amount(amount, unit)
    if _pending(out, CaseRequest.Kind.EXTENSION):
        raise Conflict(_("An extension request is already pending."), field="action", code="request_pending")
    _new_request(out, ctx, CaseRequest.Kind.EXTENSION, reason, amount=amount, unit=unit)
    ctx.payload.update({"amount": amount, "unit": unit})
    return reason


def _request_hang_up(out, ctx, ev, reason, *rest):
    reason = need_reason(reason)
    if _pending(out, CaseRequest.Kind.HANG_UP):
        raise Conflict(_("A hang-up request is already pending."), field="action", code="request_pending")
    _new_request(out, ctx, CaseRequest.Kind.HANG_UP, reason)
    return reason


def _reply(out, ctx, ev, reason, world, *rest):
    reason = need_reason(reason)
    _withdraw(out, ctx)
    out.case.assignee_id = world.grid_supervisor_id(out.case)
    return reason


def _check_pass(out, ctx, ev, reason, *rest):
    out.case.assignee_id = None
    return reason


def _check_fail(out, ctx, ev, reason, *rest):
    reason, c = need_reason(reason), out.case
    c.assignee_id = None
    c.rework_count += 1
    ctx.payload["rework"] = c.rework_count
    return reason


def _approve_extension(out, ctx, ev, reason, world, *rest):
    c = out.case
    req = _pending(out, CaseRequest.Kind.EXTENSION)
    if req is None:
        raise Conflict(_("There is no pending extension request."), field="action", code="no_pending_request")
    granted, granted_unit = ev.get("amount") or req.amount, ev.get("unit") or req.unit
    check_amount(granted, granted_unit)
    req.amount, req.unit = granted, granted_unit
    _decide(req, APPROVED, ctx, reason)
    if world.validate_only:
        c.extension_count += 1
        return reason
    c.deadline = add_working_time(c.deadline or ctx.at, granted, granted_unit)
    c.escalate_at = escalation_point(c.step_started_at or ctx.at, c.deadline, c.limit_unit or "minutes")
    c.overdue_notified = c.escalated = False
    c.extension_count += 1
    ctx.payload.update({"amount": granted, "unit": granted_unit, "deadline": c.deadline.isoformat()})
    return reason


def _deny(kind, missing):
    def apply(out, ctx, ev, reason, *rest):
        req = _pending(out, kind)
        if req is None:
            raise Conflict(missing(), field="action", code="no_pending_request")
        _decide(req, DENIED, ctx, reason)
        return reason

    return apply


def _hang_up(out, ctx, ev, reason, *rest):
    req = _pending(out, CaseRequest.Kind.HANG_UP)
    if req is None:
        need_reason(reason)
    else:
        _decide(req, APPROVED, ctx, reason)
    _withdraw(out, ctx)
    out.case.hang_up_count += 1
    return reason


def _resume(out, ctx, ev, reason, world, *rest):
    ctx.payload["department"] = _department_code(out.case, world)
    return reason


APPLY = {
    "accept": _accept,
    "reject": _needs_reason,
    "request_verification": _request_verification,
    "verify": _verify,
    "merge": _merge,
    "self_handle": _needs_reason,
    "file": _file,
    "void": _needs_reason,
    "close": _close,
    "urge": _urge,
    "supervise": _supervise,
    "dispatch": _dispatch,
    "return": _return,
    "request_extension": _request_extension,
    "request_hang_up": _request_hang_up,
    "reply": _reply,
    "check_pass": _check_pass,
    "check_fail": _check_fail,
    "approve_extension": _approve_extension,
    "deny_extension": _deny(CaseRequest.Kind.EXTENSION, lambda: _("There is no pending extension request.")),
    "hang_up": _hang_up,
    "deny_hang_up": _deny(CaseRequest.Kind.HANG_UP, lambda: _("There is no pending hang-up request.")),
    "resume": _resume,
}
