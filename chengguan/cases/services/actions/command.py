"""The command centre: dispatching (two levels) and the decisions on department requests."""

from datetime import datetime

from django.utils.translation import gettext as _

from chengguan.catalog.services import suggest_department
from chengguan.core.errors import Conflict, ValidationError
from chengguan.core.workcalendar import add_working_time
from chengguan.org.models import Department, Region

from ...models import Case, CaseRequest
from ...notify import handlers_of, users_with_role_over_region
from ...workflow import State
from ..engine import escalation_point, perform, record_dispatch
from .common import (
    check_amount,
    decide,
    need_reason,
    pending,
    withdraw_pending,
)


def case_dispatch(
    *,
    actor,
    case: Case,
    department: Department | None = None,
    district: Region | None = None,
    reason: str = "",
    at: datetime | None = None,
    system_role: str | None = None,
) -> Case:
    """To a department (handling starts), or — city level — to a district for its second-level dispatch.
    Without either, the routing suggestion is used."""
    if department is not None and district is not None:
        raise ValidationError(_("Dispatch to a department or to a district, not both."), field="district_id")
    if district is not None and district.level != Region.Level.DISTRICT:
        raise ValidationError(_("Second-level dispatch goes to a district."), field="district_id")
    if department is not None and not department.is_active:
        raise ValidationError(
            _("%(department)s is not active.") % {"department": department}, field="department_id"
        )

    def apply(c, ctx):
        target = department
        if district is not None:
            if not c.community.path.startswith(district.path):
                raise ValidationError(_("The case is not in this district."), field="district_id")
            c.dispatch_region = district
            c.current_department = None
            ctx.payload.update({"level": "city", "district": district.code})
            if ctx.loud:
                ctx.tell(
                    "district_dispatch",
                    f"{c.number} 已派至{district.name}，请二级派遣",
                    users_with_role_over_region("dispatcher", c.community),
                )
            return
        if target is None:
            target = suggest_department(matter=c.matter, unit_grid=c.unit_grid, component=c.component)
            if target is None:
                raise ValidationError(
                    _("No routing rule applies: choose the department."), field="department_id"
                )
            ctx.payload["suggested"] = True
        c.current_department = target
        c.assignee = None
        record_dispatch(c, target, ctx.at)
        ctx.payload.update(
            {
                "level": "district" if ctx.from_state == State.DISTRICT_DISPATCHED else "city",
                "department": target.code,
            }
        )
        if ctx.loud:
            ctx.tell(
                "dispatched",
                f"新案卷 {c.number}：{'，'.join(p for p in (c.matter.name, c.address) if p)}，请按时处置",
                handlers_of(target),
            )

    return perform(
        actor=actor,
        case=case,
        action="dispatch",
        at=at,
        reason=reason,
        apply=apply,
        variant="district" if district is not None else "department",
        system_role=system_role,
    )


def case_approve_extension(
    *,
    actor,
    case: Case,
    amount: float | None = None,
    unit: str | None = None,
    reason: str = "",
    at: datetime | None = None,
    system_role: str | None = None,
) -> Case:
    def apply(c, ctx):
        req = pending(c, CaseRequest.Kind.EXTENSION)
        if req is None:
            raise Conflict(
                _("There is no pending extension request."), field="action", code="no_pending_request"
            )
        granted, granted_unit = amount or req.amount, unit or req.unit
        check_amount(granted, granted_unit)
        req.amount, req.unit = granted, granted_unit
        req.save(update_fields=["amount", "unit"])
        decide(req, CaseRequest.Status.APPROVED, ctx, reason)
        c.deadline = add_working_time(c.deadline or ctx.at, granted, granted_unit)
        c.escalate_at = escalation_point(c.step_started_at or ctx.at, c.deadline, c.limit_unit or "minutes")
        c.overdue_notified = c.escalated = False
        c.extension_count += 1
        ctx.payload.update({"amount": granted, "unit": granted_unit, "deadline": c.deadline.isoformat()})
        if ctx.loud:
            ctx.tell(
                "extension_approved",
                f"{c.number} 延期已批准，新时限 {c.deadline:%Y-%m-%d %H:%M}",
                handlers_of(c.current_department),
            )

    return perform(
        actor=actor,
        case=case,
        action="approve_extension",
        at=at,
        reason=reason,
        apply=apply,
        system_role=system_role,
    )


def _deny_pending(
    *, actor, case: Case, reason, at, system_role, kind, action: str, notice: str, missing: str, what: str
) -> Case:
    """Deny the department's pending request of `kind` (`missing` if there is none) and tell its handlers."""

    def apply(c, ctx):
        req = pending(c, kind)
        if req is None:
            raise Conflict(missing, field="action", code="no_pending_request")
        decide(req, CaseRequest.Status.DENIED, ctx, reason)
        if ctx.loud:
            ctx.tell(notice, f"{c.number} {what}未批准：{reason}", handlers_of(c.current_department))

    return perform(
        actor=actor, case=case, action=action, at=at, reason=reason, apply=apply, system_role=system_role
    )


def case_deny_extension(
    *, actor, case: Case, reason: str = "", at: datetime | None = None, system_role: str | None = None
) -> Case:
    return _deny_pending(
        actor=actor, case=case, reason=reason, at=at, system_role=system_role, kind=CaseRequest.Kind.EXTENSION,
        action="deny_extension", notice="extension_denied", what="延期申请",
        missing=_("There is no pending extension request."),
    )


def case_hang_up(
    *, actor, case: Case, reason: str = "", at: datetime | None = None, system_role: str | None = None
) -> Case:
    """Approves the department's pending hang-up request, or hangs the case up on the dispatcher's own call."""

    def apply(c, ctx):
        req = pending(c, CaseRequest.Kind.HANG_UP)
        if req is None:
            need_reason(reason)
        else:
            decide(req, CaseRequest.Status.APPROVED, ctx, reason)
        withdraw_pending(c, ctx)
        c.hang_up_count += 1
        if ctx.loud:
            ctx.tell("hung_up", f"{c.number} 已挂账", handlers_of(c.current_department))

    return perform(
        actor=actor, case=case, action="hang_up", at=at, reason=reason, apply=apply, system_role=system_role
    )


def case_deny_hang_up(
    *, actor, case: Case, reason: str = "", at: datetime | None = None, system_role: str | None = None
) -> Case:
    return _deny_pending(
        actor=actor, case=case, reason=reason, at=at, system_role=system_role, kind=CaseRequest.Kind.HANG_UP,
        action="deny_hang_up", notice="hang_up_denied", what="挂账申请",
        missing=_("There is no pending hang-up request."),
    )


def case_resume(
    *, actor, case: Case, reason: str = "", at: datetime | None = None, system_role: str | None = None
) -> Case:
    def apply(c, ctx):
        ctx.payload["department"] = c.current_department.code if c.current_department else ""
        if ctx.loud:
            ctx.tell("resumed", f"{c.number} 恢复处置，请按时处置", handlers_of(c.current_department))

    return perform(
        actor=actor, case=case, action="resume", at=at, reason=reason, apply=apply, system_role=system_role
    )
