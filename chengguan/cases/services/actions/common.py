"""Helpers shared by the action services."""

from django.utils.translation import gettext as _

from chengguan.catalog.models import Severity
from chengguan.core.errors import ValidationError
from chengguan.core.workcalendar import UNITS

from ...models import Case, CaseRequest
from ...notify import handlers_of, users_with_role_over_region
from ...workflow import State


def need_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give a reason."), field="reason")
    return reason


def check_severity(severity):
    if severity is not None and severity not in Severity.values:
        raise ValidationError(_("Unknown severity %(severity)r.") % {"severity": severity}, field="severity")


def grid_supervisor_id(case: Case) -> int | None:
    """Who gets a verify/check task: the reporting supervisor if the grid is theirs, else the grid's first."""
    if not case.responsibility_grid_id:
        return None
    ids = list(case.responsibility_grid.supervisors.order_by("pk").values_list("pk", flat=True))
    if case.reporter_id in ids:
        return case.reporter_id
    return ids[0] if ids else None


def pending(case: Case, kind: str) -> CaseRequest | None:
    return CaseRequest.objects.filter(case=case, kind=kind, status=CaseRequest.Status.PENDING).first()


def decide(request: CaseRequest, status: str, ctx, reason: str) -> None:
    request.status = status
    request.decided_by = ctx.actor if ctx.actor is not None else None
    request.decided_at = ctx.at
    request.decision_reason = reason
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    ctx.payload["request_id"] = request.pk


def withdraw_pending(case: Case, ctx) -> None:
    CaseRequest.objects.filter(case=case, status=CaseRequest.Status.PENDING).update(
        status=CaseRequest.Status.WITHDRAWN,
        decided_at=ctx.at,
        decision_reason="superseded by " + ctx.transition.action,
    )


def dispatchers(case):
    return users_with_role_over_region("dispatcher", case.community)


def tell_reporter(case: Case, ctx, kind: str, text: str) -> None:
    if ctx.loud:
        ctx.tell(kind, text, [case.reporter_id] if case.reporter_id else [], [case.reporter_phone])


def check_amount(amount, unit):
    if amount is None or amount <= 0:
        raise ValidationError(_("Give the extra time asked for (a positive amount)."), field="amount")
    if unit not in UNITS:
        raise ValidationError(
            _("Unknown unit %(unit)r; use one of %(value)s.") % {"unit": unit, "value": ", ".join(UNITS)},
            field="unit",
        )


def responsible(c) -> list[int]:
    if c.state in (State.DISPATCHED, State.HUNG_UP):
        return handlers_of(c.current_department)
    if c.assignee_id:
        return [c.assignee_id]
    role = {
        State.REPORTED: "operator",
        State.ACCEPTED: "shift_leader",
        State.CHECK_PASSED: "shift_leader",
        State.SELF_HANDLED: "shift_leader",
    }.get(c.state, "dispatcher")
    return users_with_role_over_region(role, c.community)
