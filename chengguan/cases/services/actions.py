"""One service per case action. Each says only what is special about it; `engine.perform` does the rest."""

from datetime import datetime

from chengguan.catalog.models import FilingCondition, MatterType, Severity
from chengguan.catalog.services import suggest_department
from chengguan.core.errors import Conflict, ValidationError
from chengguan.core.workcalendar import UNITS, add_working_time
from chengguan.org.models import Department, Region

from ..models import Case, CaseRequest
from ..notify import handlers_of, users_with_role_over_region
from ..workflow import State
from .engine import escalation_point, perform, record_dispatch


def _need_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give a reason.", field="reason")
    return reason


def _check_severity(severity):
    if severity is not None and severity not in Severity.values:
        raise ValidationError(f"Unknown severity {severity!r}.", field="severity")


def grid_supervisor_id(case: Case) -> int | None:
    """Who gets a verify/check task: the reporting supervisor if the grid is theirs, else the grid's first."""
    if not case.responsibility_grid_id:
        return None
    ids = list(case.responsibility_grid.supervisors.order_by("pk").values_list("pk", flat=True))
    if case.reporter_id in ids:
        return case.reporter_id
    return ids[0] if ids else None


def _pending(case: Case, kind: str) -> CaseRequest | None:
    return CaseRequest.objects.filter(case=case, kind=kind, status=CaseRequest.Status.PENDING).first()


def _decide(request: CaseRequest, status: str, ctx, reason: str) -> None:
    request.status = status
    request.decided_by = ctx.actor if ctx.actor is not None else None
    request.decided_at = ctx.at
    request.decision_reason = reason
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    ctx.payload["request_id"] = request.pk


def _withdraw_pending(case: Case, ctx) -> None:
    CaseRequest.objects.filter(case=case, status=CaseRequest.Status.PENDING).update(
        status=CaseRequest.Status.WITHDRAWN,
        decided_at=ctx.at,
        decision_reason="superseded by " + ctx.transition.action,
    )


def _dispatchers(case):
    return users_with_role_over_region("dispatcher", case.community)


def _tell_reporter(case: Case, ctx, kind: str, text: str) -> None:
    if ctx.loud:
        ctx.tell(kind, text, [case.reporter_id] if case.reporter_id else [], [case.reporter_phone])


# ---- acceptance desk -------------------------------------------------------------------------------------


def case_accept(
    *,
    actor,
    case: Case,
    matter: MatterType | None = None,
    severity: str | None = None,
    reason: str = "",
    at: datetime | None = None,
    system_role: str | None = None,
) -> Case:
    _check_severity(severity)

    def apply(c, ctx):
        if matter is not None and matter.pk != c.matter_id:
            ctx.payload["matter_code"] = {"from": c.matter.code, "to": matter.code}
            c.matter = matter
        if severity:
            c.severity = severity
            ctx.payload["severity"] = severity

    return perform(
        actor=actor, case=case, action="accept", at=at, reason=reason, apply=apply, system_role=system_role
    )


def case_reject(
    *, actor, case: Case, reason: str, at: datetime | None = None, system_role: str | None = None
) -> Case:
    reason = _need_reason(reason)

    def apply(c, ctx):
        if ctx.loud:
            _tell_reporter(c, ctx, "rejected", f"您反映的问题 {c.number} 未予受理：{reason}")

    return perform(
        actor=actor, case=case, action="reject", at=at, reason=reason, apply=apply, system_role=system_role
    )


def case_request_verification(
    *, actor, case: Case, reason: str = "", at: datetime | None = None, system_role: str | None = None
) -> Case:
    def apply(c, ctx):
        c.assignee_id = grid_supervisor_id(c)
        if c.assignee_id and ctx.loud:
            ctx.tell("verify_task", f"请核实 {c.number}：{c.matter.name}，{c.address}", [c.assignee_id])

    return perform(
        actor=actor,
        case=case,
        action="request_verification",
        at=at,
        reason=reason,
        apply=apply,
        system_role=system_role,
    )


def case_verify(
    *,
    actor,
    case: Case,
    confirmed: bool | None,
    reason: str = "",
    photos=(),
    at: datetime | None = None,
    system_role: str | None = None,
) -> Case:
    if confirmed is None:
        raise ValidationError("Say whether the problem exists (confirmed true/false).", field="confirmed")

    def apply(c, ctx):
        c.verified = bool(confirmed)
        c.assignee = None
        ctx.payload["confirmed"] = bool(confirmed)

    return perform(
        actor=actor,
        case=case,
        action="verify",
        at=at,
        reason=reason,
        apply=apply,
        photos=photos,
        photo_kind="before",
        system_role=system_role,
    )


def case_merge(
    *,
    actor,
    case: Case,
    target: Case,
    reason: str = "",
    at: datetime | None = None,
    system_role: str | None = None,
) -> Case:
    if target is None:
        raise ValidationError("Choose the open case to merge into.", field="target_id")

    def apply(c, ctx):
        t = Case.objects.select_for_update(of=("self",)).get(pk=target.pk)
        if t.pk == c.pk:
            raise ValidationError("A case cannot be merged into itself.", field="target_id")
        if not t.is_open:
            raise ValidationError(f"{t.number} is no longer open.", field="target_id")
        c.merged_into = t
        c.assignee = None
        ctx.payload["target"] = t.number
        if ctx.loud:
            _tell_reporter(
                c, ctx, "merged", f"您反映的问题 {c.number} 已并入案卷 {t.number} 一并处理，结案时将通知您"
            )

    return perform(
        actor=actor, case=case, action="merge", at=at, reason=reason, apply=apply, system_role=system_role
    )


def case_self_handle(
    *, actor, case: Case, reason: str, photos=(), at: datetime | None = None, system_role: str | None = None
) -> Case:
    reason = _need_reason(reason)
    if not photos and system_role is None:
        raise ValidationError("Add a photo of the fixed problem.", field="photos")
    return perform(
        actor=actor,
        case=case,
        action="self_handle",
        at=at,
        reason=reason,
        photos=photos,
        photo_kind="after",
        system_role=system_role,
    )


# ---- supervision centre: filing, voiding, closing --------------------------------------------------------


def case_file(
    *,
    actor,
    case: Case,
    filing_condition: FilingCondition | None = None,
    severity: str | None = None,
    matter: MatterType | None = None,
    reason: str = "",
    at: datetime | None = None,
    system_role: str | None = None,
) -> Case:
    _check_severity(severity)

    def apply(c, ctx):
        if matter is not None and matter.pk != c.matter_id:
            ctx.payload["matter_code"] = {"from": c.matter.code, "to": matter.code}
            c.matter = matter
        condition = filing_condition
        if condition is None:
            options = list(FilingCondition.objects.filter(matter_id=c.matter_id, is_active=True)[:2])
            if len(options) > 1 and system_role is None:
                raise ValidationError(
                    "Choose the filing condition this case meets.", field="filing_condition_id"
                )
            # A replayed history that never recorded one keeps none (limits fall back to severity/area).
            condition = options[0] if len(options) == 1 else None
        if condition is not None and condition.matter_id != c.matter_id:
            raise ValidationError(
                "The filing condition belongs to another matter.", field="filing_condition_id"
            )
        c.filing_condition = condition
        if severity:
            c.severity = severity
        elif condition is not None and c.severity == Severity.NORMAL:
            c.severity = condition.default_severity
        c.filed_at = ctx.at
        ctx.payload.update(
            {
                "filing_condition": condition.code if condition else "",
                "severity": c.severity,
                "area_class": c.area_class,
            }
        )

    return perform(
        actor=actor, case=case, action="file", at=at, reason=reason, apply=apply, system_role=system_role
    )


def case_void(
    *, actor, case: Case, reason: str, at: datetime | None = None, system_role: str | None = None
) -> Case:
    return perform(
        actor=actor, case=case, action="void", at=at, reason=_need_reason(reason), system_role=system_role
    )


def case_close(
    *, actor, case: Case, reason: str = "", at: datetime | None = None, system_role: str | None = None
) -> Case:
    def apply(c, ctx):
        c.closed_at = ctx.at
        if not ctx.loud:
            return
        _tell_reporter(c, ctx, "closed", f"您反映的问题 {c.number} 已处理完毕并结案，感谢您的监督")
        for merged in c.merged_cases.all():
            _tell_reporter(
                merged, ctx, "closed", f"您反映的问题 {merged.number}（并入 {c.number}）已处理完毕并结案"
            )

    return perform(
        actor=actor, case=case, action="close", at=at, reason=reason, apply=apply, system_role=system_role
    )


# ---- command centre: dispatching and approvals -----------------------------------------------------------


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
        raise ValidationError("Dispatch to a department or to a district, not both.", field="district_id")
    if district is not None and district.level != Region.Level.DISTRICT:
        raise ValidationError("Second-level dispatch goes to a district.", field="district_id")
    if department is not None and not department.is_active:
        raise ValidationError(f"{department} is not active.", field="department_id")

    def apply(c, ctx):
        target = department
        if district is not None:
            if not c.community.path.startswith(district.path):
                raise ValidationError("The case is not in this district.", field="district_id")
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
                    "No routing rule applies: choose the department.", field="department_id"
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
                f"新案卷 {c.number}：{c.matter.name}，{c.address}，请按时处置",
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


def case_return(
    *, actor, case: Case, reason: str, at: datetime | None = None, system_role: str | None = None
) -> Case:
    reason = _need_reason(reason)

    def apply(c, ctx):
        ctx.payload["department"] = c.current_department.code if c.current_department else ""
        c.current_department = None
        c.return_count += 1
        _withdraw_pending(c, ctx)
        if ctx.loud:
            ctx.tell("returned", f"{c.number} 被退回：{reason}，请重新派遣", _dispatchers(c))

    return perform(
        actor=actor, case=case, action="return", at=at, reason=reason, apply=apply, system_role=system_role
    )


def _check_amount(amount, unit):
    if amount is None or amount <= 0:
        raise ValidationError("Give the extra time asked for (a positive amount).", field="amount")
    if unit not in UNITS:
        raise ValidationError(f"Unknown unit {unit!r}; use one of {', '.join(UNITS)}.", field="unit")


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
    reason = _need_reason(reason)
    _check_amount(amount, unit)

    def apply(c, ctx):
        if _pending(c, CaseRequest.Kind.EXTENSION):
            raise Conflict("An extension request is already pending.", field="action", code="request_pending")
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
                "extension_requested", f"{c.number} 申请延期 {amount:g} {unit}：{reason}", _dispatchers(c)
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
        req = _pending(c, CaseRequest.Kind.EXTENSION)
        if req is None:
            raise Conflict(
                "There is no pending extension request.", field="action", code="no_pending_request"
            )
        granted, granted_unit = amount or req.amount, unit or req.unit
        _check_amount(granted, granted_unit)
        req.amount, req.unit = granted, granted_unit
        req.save(update_fields=["amount", "unit"])
        _decide(req, CaseRequest.Status.APPROVED, ctx, reason)
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


def case_deny_extension(
    *, actor, case: Case, reason: str = "", at: datetime | None = None, system_role: str | None = None
) -> Case:
    def apply(c, ctx):
        req = _pending(c, CaseRequest.Kind.EXTENSION)
        if req is None:
            raise Conflict(
                "There is no pending extension request.", field="action", code="no_pending_request"
            )
        _decide(req, CaseRequest.Status.DENIED, ctx, reason)
        if ctx.loud:
            ctx.tell(
                "extension_denied", f"{c.number} 延期申请未批准：{reason}", handlers_of(c.current_department)
            )

    return perform(
        actor=actor,
        case=case,
        action="deny_extension",
        at=at,
        reason=reason,
        apply=apply,
        system_role=system_role,
    )


def case_request_hang_up(
    *, actor, case: Case, reason: str, at: datetime | None = None, system_role: str | None = None
) -> Case:
    reason = _need_reason(reason)

    def apply(c, ctx):
        if _pending(c, CaseRequest.Kind.HANG_UP):
            raise Conflict("A hang-up request is already pending.", field="action", code="request_pending")
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
            ctx.tell("hang_up_requested", f"{c.number} 申请挂账：{reason}", _dispatchers(c))

    return perform(
        actor=actor,
        case=case,
        action="request_hang_up",
        at=at,
        reason=reason,
        apply=apply,
        system_role=system_role,
    )


def case_hang_up(
    *, actor, case: Case, reason: str = "", at: datetime | None = None, system_role: str | None = None
) -> Case:
    """Approves the department's pending hang-up request, or hangs the case up on the dispatcher's own call."""

    def apply(c, ctx):
        req = _pending(c, CaseRequest.Kind.HANG_UP)
        if req is None:
            _need_reason(reason)
        else:
            _decide(req, CaseRequest.Status.APPROVED, ctx, reason)
        _withdraw_pending(c, ctx)
        c.hang_up_count += 1
        if ctx.loud:
            ctx.tell("hung_up", f"{c.number} 已挂账", handlers_of(c.current_department))

    return perform(
        actor=actor, case=case, action="hang_up", at=at, reason=reason, apply=apply, system_role=system_role
    )


def case_deny_hang_up(
    *, actor, case: Case, reason: str = "", at: datetime | None = None, system_role: str | None = None
) -> Case:
    def apply(c, ctx):
        req = _pending(c, CaseRequest.Kind.HANG_UP)
        if req is None:
            raise Conflict("There is no pending hang-up request.", field="action", code="no_pending_request")
        _decide(req, CaseRequest.Status.DENIED, ctx, reason)
        if ctx.loud:
            ctx.tell(
                "hang_up_denied", f"{c.number} 挂账申请未批准：{reason}", handlers_of(c.current_department)
            )

    return perform(
        actor=actor,
        case=case,
        action="deny_hang_up",
        at=at,
        reason=reason,
        apply=apply,
        system_role=system_role,
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


def _responsible(c) -> list[int]:
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


def case_urge(
    *, actor, case: Case, reason: str = "", at: datetime | None = None, system_role: str | None = None
) -> Case:
    def apply(c, ctx):
        c.urge_count += 1
        if ctx.loud:
            ctx.tell("urge", f"催办：{c.number} {reason}".strip(), _responsible(c))

    return perform(
        actor=actor, case=case, action="urge", at=at, reason=reason, apply=apply, system_role=system_role
    )


def case_supervise(
    *, actor, case: Case, reason: str = "", at: datetime | None = None, system_role: str | None = None
) -> Case:
    def apply(c, ctx):
        c.supervised = True
        c.escalated = True
        recipients = _responsible(c) + users_with_role_over_region("leader", c.community)
        if ctx.loud:
            ctx.tell("supervise", f"督办：{c.number} {reason}".strip(), recipients)

    return perform(
        actor=actor, case=case, action="supervise", at=at, reason=reason, apply=apply, system_role=system_role
    )


# ---- department: handling ---------------------------------------------------------------------------------


def case_reply(
    *, actor, case: Case, reason: str, photos=(), at: datetime | None = None, system_role: str | None = None
) -> Case:
    reason = _need_reason(reason)

    def apply(c, ctx):
        _withdraw_pending(c, ctx)
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


# ---- supervisor: checking ---------------------------------------------------------------------------------


def case_check_pass(
    *,
    actor,
    case: Case,
    reason: str = "",
    photos=(),
    at: datetime | None = None,
    system_role: str | None = None,
) -> Case:
    def apply(c, ctx):
        c.assignee = None

    return perform(
        actor=actor,
        case=case,
        action="check_pass",
        at=at,
        reason=reason,
        apply=apply,
        photos=photos,
        photo_kind="after",
        system_role=system_role,
    )


def case_check_fail(
    *, actor, case: Case, reason: str, photos=(), at: datetime | None = None, system_role: str | None = None
) -> Case:
    reason = _need_reason(reason)

    def apply(c, ctx):
        c.assignee = None
        c.rework_count += 1
        ctx.payload["rework"] = c.rework_count
        if ctx.loud:
            ctx.tell("rework", f"{c.number} 核查未通过，请返工：{reason}", handlers_of(c.current_department))

    return perform(
        actor=actor,
        case=case,
        action="check_fail",
        at=at,
        reason=reason,
        apply=apply,
        photos=photos,
        photo_kind="after",
        system_role=system_role,
    )
