"""The patrol API: Duty shifts, swap and leave requests."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Schema, Status

from chengguan.org.models import User
from chengguan.org.scope import get_in_scope

from ..models import DutyAssignment, LeaveRequest, SwapRequest
from ..selectors import squads as squad_sel
from ..services import duty
from ._common import ROLES, _require_patrol_role, router


class PersonOut(Schema):
    assignment_id: int
    username: str
    name: str
    body: str
    status: str


class ShortfallOut(Schema):
    body: str
    required: int
    actual: int


class ShiftOut(Schema):
    id: int
    day: date
    starts_at: datetime
    ends_at: datetime
    grid: str | None
    squad: str | None
    people: list[PersonOut]
    meets_template: bool
    shortfalls: list[ShortfallOut]
    warnings: list[str]


def shift_out(shift) -> dict:
    check = squad_sel.composition_check(shift)
    return {
        "id": shift.pk,
        "day": shift.day,
        "starts_at": shift.starts_at,
        "ends_at": shift.ends_at,
        "grid": shift.grid.code if shift.grid_id else None,
        "squad": shift.squad.code if shift.squad_id else None,
        "people": [
            {
                "assignment_id": a.pk,
                "username": a.user.username,
                "name": str(a.user),
                "body": a.body,
                "status": a.status,
            }
            for a in shift.assignments.all()
        ],
        "meets_template": check.ok,
        "shortfalls": [{"body": b, "required": r, "actual": n} for b, r, n in check.shortfalls],
        "warnings": [code for code, _detail in check.warnings],
    }


@router.get("/roster", response=list[ShiftOut], summary="Duty shifts with people and template checks")
def roster(
    request, start: date | None = None, days: int = 7, grid_id: int | None = None, squad_id: int | None = None
):
    _require_patrol_role(request.auth)
    qs = squad_sel.roster(request.auth, start=start or timezone.localdate(), days=max(1, min(days, 31)))
    if grid_id:
        qs = qs.filter(grid_id=grid_id)
    if squad_id:
        qs = qs.filter(squad_id=squad_id)
    return [shift_out(s) for s in qs]


class SwapIn(Schema):
    assignment_id: int
    counterpart_username: str
    counterpart_assignment_id: int | None = None
    reason: str


class RequestOut(Schema):
    id: int
    status: str


class DecisionIn(Schema):
    approve: bool
    note: str = ""


def _own_assignment(user, pk):
    return get_object_or_404(DutyAssignment.objects.select_related("shift"), pk=pk, user=user)


@router.post("/swap-requests", response={201: RequestOut}, summary="Ask to hand over or exchange a shift")
def swap_create(request, payload: SwapIn):
    counterpart = get_object_or_404(User, username=payload.counterpart_username, is_active=True)
    other = None
    if payload.counterpart_assignment_id:
        other = get_object_or_404(
            DutyAssignment.objects.select_related("shift"),
            pk=payload.counterpart_assignment_id,
            user=counterpart,
        )
    req = duty.swap_request_create(
        actor=request.auth,
        assignment=_own_assignment(request.auth, payload.assignment_id),
        counterpart=counterpart,
        counterpart_assignment=other,
        reason=payload.reason,
    )
    return Status(201, {"id": req.pk, "status": req.status})


@router.post("/swap-requests/{request_id}/decision", response=RequestOut, summary="Approve or reject a swap")
def swap_decide(request, request_id: int, payload: DecisionIn):
    req = get_in_scope(
        SwapRequest.objects.all(),
        request.auth,
        region_field="assignment__shift__region",
        roles=ROLES,
        pk=request_id,
    )
    req, _checks = duty.swap_request_decide(
        actor=request.auth, request=req, approve=payload.approve, note=payload.note
    )
    return {"id": req.pk, "status": req.status}


class LeaveIn(Schema):
    kind: str
    starts_at: datetime
    ends_at: datetime
    reason: str = ""


@router.post("/leave-requests", response={201: RequestOut}, summary="Ask for leave")
def leave_create(request, payload: LeaveIn):
    req = duty.leave_request_create(actor=request.auth, **payload.model_dump())
    return Status(201, {"id": req.pk, "status": req.status})


@router.post("/leave-requests/{request_id}/decision", response=RequestOut, summary="Approve or reject leave")
def leave_decide(request, request_id: int, payload: DecisionIn):
    req = get_in_scope(
        LeaveRequest.objects.all(), request.auth, region_field="region", roles=ROLES, pk=request_id
    )
    req, _affected = duty.leave_request_decide(
        actor=request.auth, request=req, approve=payload.approve, note=payload.note
    )
    return {"id": req.pk, "status": req.status}
