"""The disposal department: return, requests for more time or a hang-up, the reply."""

from datetime import datetime

from django.utils.translation import gettext as _

from chengguan.core.errors import Conflict

from ...models import Case, CaseRequest
from ..engine import perform
from .common import (
    check_amount,
    dispatchers,
    grid_supervisor_id,
    need_reason,
    pending,
    withdraw_pending,
)


def case_return(
    *, actor, case: Case, reason: str, at: datetime | None = None, system_role: str | None = None
) -> Case:
    reason = need_reason(reason)

    def apply(c, ctx):
        ctx.payload["department"] = c.current_department.code if c.current_department else ""
        c.current_department = None
        c.return_count += 1
        withdraw_pending(c, ctx)
        if ctx.loud:
            ctx.tell("returned", f"{c.number} 被退回：{reason}，请重新派遣", dispatchers(c))

    return perform(
        actor=actor, case=case, action="return", at=at, reason=reason, apply=apply, system_role=system_role
    )


def case_request_extension(
    *,
    actor,
    case: Case,
    amount: float,
    unit: str = "working_hours",
    reason: str,
    at: datetime | None = None,
    system_role: str | None = None,
) -> Case:
    reason = need_reason(reason)
    check_amount(amount, unit)

    def apply(c, ctx):
        if pending(c, CaseRequest.Kind.EXTENSION):
            raise Conflict(
                _("An extension request is already pending."), field="action", code="request_pending"
            )
        req = CaseRequest.objects.create(
            case=c,
            kind=CaseRequest.Kind.EXTENSION,
            department=c.current_department,
            requested_by=ctx.actor,
            requested_at=ctx.at,
            amount=amount,
            unit=unit,
            reason=reason,
        )
        ctx.payload.update({"request_id": req.pk, "amount": amount, "unit": unit})
        if ctx.loud:
            ctx.tell(
                "extension_requested", f"{c.number} 申请延期 {amount:g} {unit}：{reason}", dispatchers(c)
            )

    return perform(
        actor=actor,
        case=case,
        action="request_extension",
        at=at,
        reason=reason,
        apply=apply,
        system_role=system_role,
    )


def case_request_hang_up(
    *, actor, case: Case, reason: str, at: datetime | None = None, system_role: str | None = None
) -> Case:
    reason = need_reason(reason)

    def apply(c, ctx):
        if pending(c, CaseRequest.Kind.HANG_UP):
            raise Conflict(_("A hang-up request is already pending."), field="action", code="request_pending")
        req = CaseRequest.objects.create(
            case=c,
            kind=CaseRequest.Kind.HANG_UP,
            department=c.current_department,
            requested_by=ctx.actor,
            requested_at=ctx.at,
            reason=reason,
        )
        ctx.payload["request_id"] = req.pk
        if ctx.loud:
            ctx.tell("hang_up_requested", f"{c.number} 申请挂账：{reason}", dispatchers(c))

    return perform(
        actor=actor,
        case=case,
        action="request_hang_up",
        at=at,
        reason=reason,
        apply=apply,
        system_role=system_role,
    )


def case_reply(
    *, actor, case: Case, reason: str, photos=(), at: datetime | None = None, system_role: str | None = None
) -> Case:
    reason = need_reason(reason)

    def apply(c, ctx):
        withdraw_pending(c, ctx)
        c.assignee_id = grid_supervisor_id(c)
        if c.assignee_id and ctx.loud:
            ctx.tell("check_task", f"请核查 {c.number}：{c.matter.name}，{c.address}", [c.assignee_id])

    return perform(
        actor=actor,
        case=case,
        action="reply",
        at=at,
        reason=reason,
        apply=apply,
        photos=photos,
        photo_kind="after",
        system_role=system_role,
    )
