"""Duty rosters: shifts around the clock per responsibility grid, assignments, swap and leave requests."""

from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.grids.models import ResponsibilityGrid
from chengguan.org.models import Region, User

from .. import workflow
from ..access import ROSTER_MANAGERS, may, require
from ..models import (
    Body,
    DutyAssignment,
    DutyShift,
    JointSquad,
    LeaveRequest,
    RequestStatus,
    ShiftPattern,
    SquadMember,
    StaffProfile,
    SwapRequest,
)
from ..selectors.squads import CompositionCheck, composition_check
from ..selectors.staff import active_q, assistant_ready
from . import roster_notices
from ._base import log, require_choice, require_text


def shift_times(day: date, pattern: ShiftPattern) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    starts = timezone.make_aware(datetime.combine(day, pattern.start), tz)
    end_day = day if pattern.end > pattern.start else day + timedelta(days=1)
    return starts, timezone.make_aware(datetime.combine(end_day, pattern.end), tz)


def _overlapping(user: User, starts_at: datetime, ends_at: datetime, *, exclude=()):
    return DutyAssignment.objects.filter(
        user=user, shift__starts_at__lt=ends_at, shift__ends_at__gt=starts_at
    ).exclude(pk__in=[a.pk for a in exclude if a is not None])


def _check_can_serve(user: User, body: str, shift: DutyShift, *, field: str = "user", exclude=()) -> None:
    if not StaffProfile.objects.filter(active_q(shift.day), user=user).exists():
        raise ValidationError(_("%(user)s has no active staff file.") % {"user": user}, field=field)
    if body == Body.ASSISTANT and not assistant_ready(user):
        raise ValidationError(
            _("%(user)s has not passed pre-service training and cannot be put on duty.") % {"user": user},
            field=field,
        )
    if _overlapping(user, shift.starts_at, shift.ends_at, exclude=exclude).exists():
        raise Conflict(_("%(user)s is already on duty at that time.") % {"user": user}, field=field)
    if LeaveRequest.objects.filter(
        user=user, status=RequestStatus.APPROVED, starts_at__lt=shift.ends_at, ends_at__gt=shift.starts_at
    ).exists():
        raise Conflict(_("%(user)s is on approved leave at that time.") % {"user": user}, field=field)


@transaction.atomic
def shift_create(
    *,
    actor: User,
    day: date,
    pattern: ShiftPattern,
    region: Region | None = None,
    grid: ResponsibilityGrid | None = None,
    squad: JointSquad | None = None,
    leader: User | None = None,
    people: list[User] | None = None,
    note: str = "",
) -> tuple[DutyShift, CompositionCheck]:
    """Put a shift on the roster of a grid (and/or squad) and assign people (default: the squad's members).
    Returns the shift and its composition check, whose warnings the caller shows."""
    if grid is None and squad is None:
        raise ValidationError(_("A shift covers a responsibility grid or a squad."), field="grid")
    region = region or (grid.region if grid else squad.region)
    if grid is not None and not grid.region.path.startswith(region.path):
        raise ValidationError(_("The grid lies outside the region."), field="grid")
    require(actor, ROSTER_MANAGERS, region)
    starts_at, ends_at = shift_times(day, pattern)
    if grid is not None and DutyShift.objects.filter(grid=grid, squad=squad, starts_at=starts_at).exists():
        raise Conflict(_("This shift is already on the roster."), field="pattern")
    shift = DutyShift.objects.create(
        day=day,
        pattern=pattern,
        starts_at=starts_at,
        ends_at=ends_at,
        region=region,
        grid=grid,
        squad=squad,
        leader=leader,
        note=note.strip(),
        created_by=actor,
    )
    if people is None:
        members = (
            SquadMember.objects.filter(squad=squad, left_on__isnull=True).select_related("user")
            if squad
            else []
        )
        people_bodies = [(m.user, m.body) for m in members]
    else:
        people_bodies = [(u, None) for u in people]
    for user, body in people_bodies:
        _assign(actor=actor, shift=shift, user=user, body=body)
    if leader is not None:
        if not shift.assignments.filter(user=leader).exists():
            raise ValidationError(_("The shift leader must be on the shift."), field="leader")
        if shift.assignments.get(user=leader).body == Body.ASSISTANT:
            raise ValidationError(_("An assistant cannot lead a shift."), field="leader")
    log(actor, "shift.create", shift, region=region, summary=str(shift), people=len(people_bodies))
    for user, _body in people_bodies:
        roster_notices.added(shift, user)
    return shift, composition_check(shift)


def _assign(*, actor: User, shift: DutyShift, user: User, body: str | None) -> DutyAssignment:
    if body is None:
        profile = StaffProfile.objects.filter(user=user).first()
        if profile is None:
            raise ValidationError(_("%(user)s has no staff file.") % {"user": user}, field="people")
        body = profile.body
    _check_can_serve(user, body, shift, field="people")
    return DutyAssignment.objects.create(shift=shift, user=user, body=body)


@transaction.atomic
def assignment_add(
    *, actor: User, shift: DutyShift, user: User, body: str | None = None
) -> tuple[DutyAssignment, CompositionCheck]:
    require(actor, ROSTER_MANAGERS, shift.region)
    if body:
        require_choice(body, Body, "body")
    shift = DutyShift.objects.select_for_update().get(pk=shift.pk)
    if shift.assignments.filter(user=user).exists():
        raise Conflict(_("This person is already on the shift."), field="user")
    assignment = _assign(actor=actor, shift=shift, user=user, body=body)
    log(actor, "shift.assign", shift, region=shift.region, summary=str(user), user=user.pk)
    roster_notices.added(shift, user)
    return assignment, composition_check(shift)


@transaction.atomic
def assignment_remove(*, actor: User, assignment: DutyAssignment) -> CompositionCheck:
    shift = DutyShift.objects.select_for_update().get(pk=assignment.shift_id)
    require(actor, ROSTER_MANAGERS, shift.region)
    if shift.leader_id == assignment.user_id:
        raise ValidationError(_("Choose another shift leader first."), field="assignment")
    user = assignment.user
    assignment.delete()
    log(actor, "shift.unassign", shift, region=shift.region, summary=str(user), user=user.pk)
    roster_notices.removed(shift, user)
    return composition_check(shift)


@transaction.atomic
def roster_copy_week(*, actor: User, region: Region, from_day: date, to_day: date) -> list[DutyShift]:
    """Copy the seven days of shifts starting `from_day` (in `region`) to the week starting `to_day`.
    People who cannot serve in the new week (left, on leave, double-booked) are skipped, not copied."""
    require(actor, ROSTER_MANAGERS, region)
    if to_day < from_day + timedelta(days=7) and to_day > from_day - timedelta(days=7):
        raise ValidationError(_("The target week overlaps the source week."), field="to_day")
    offset = to_day - from_day
    source = (
        DutyShift.objects.filter(
            region__path__startswith=region.path, day__gte=from_day, day__lt=from_day + timedelta(days=7)
        )
        .select_related("region")
        .prefetch_related("assignments__user")
        .order_by("starts_at", "pk")
    )
    created = []
    for old in source:
        starts_at, ends_at = old.starts_at + offset, old.ends_at + offset
        if DutyShift.objects.filter(grid=old.grid, squad=old.squad, starts_at=starts_at).exists():
            continue
        new = DutyShift.objects.create(
            day=old.day + offset,
            pattern=old.pattern,
            starts_at=starts_at,
            ends_at=ends_at,
            region=old.region,
            grid=old.grid,
            squad=old.squad,
            note=old.note,
            created_by=actor,
        )
        for a in old.assignments.all():
            try:
                with transaction.atomic():
                    _check_can_serve(a.user, a.body, new)
                    DutyAssignment.objects.create(shift=new, user=a.user, body=a.body)
            except (ValidationError, Conflict):
                continue
        if old.leader_id and new.assignments.filter(user_id=old.leader_id).exists():
            new.leader_id = old.leader_id
            new.save(update_fields=["leader"])
        created.append(new)
    log(
        actor,
        "roster.copy_week",
        region,
        region=region,
        summary=f"{from_day} → {to_day}",
        shifts=len(created),
    )
    return created


# --- swap requests -------------------------------------------------------------------------------------------


def may_decide(actor: User, shift: DutyShift) -> bool:
    if may(actor, ROSTER_MANAGERS, shift.region):
        return True
    return bool(
        shift.squad_id
        and SquadMember.objects.filter(
            squad_id=shift.squad_id, user=actor, is_leader=True, left_on__isnull=True
        ).exists()
    )


@transaction.atomic
def swap_request_create(
    *,
    actor: User,
    assignment: DutyAssignment,
    counterpart: User,
    reason: str,
    counterpart_assignment: DutyAssignment | None = None,
) -> SwapRequest:
    """The person on a shift asks to hand it to a colleague, or to exchange it for one of the colleague's."""
    if assignment.user_id != actor.pk:
        raise PermissionDenied(_("Only the person on the shift can ask to swap it."), field="assignment")
    reason = require_text(reason, "reason", max_length=200)
    if counterpart.pk == actor.pk:
        raise ValidationError(_("Choose a colleague."), field="counterpart")
    now = timezone.now()
    if assignment.shift.starts_at <= now:
        raise ValidationError(_("The shift has already started."), field="assignment")
    if counterpart_assignment is not None:
        if counterpart_assignment.user_id != counterpart.pk:
            raise ValidationError(_("That shift is not the colleague's."), field="counterpart_assignment")
        if counterpart_assignment.shift.starts_at <= now:
            raise ValidationError(
                _("The colleague's shift has already started."), field="counterpart_assignment"
            )
    if SwapRequest.objects.filter(assignment=assignment, status=RequestStatus.PENDING).exists():
        raise Conflict(_("A swap for this shift is already pending."), field="assignment")
    request = SwapRequest.objects.create(
        assignment=assignment,
        requester=actor,
        counterpart=counterpart,
        counterpart_assignment=counterpart_assignment,
        reason=reason,
    )
    log(actor, "swap.request", request, region=assignment.shift.region, summary=reason)
    return request


@transaction.atomic
def swap_request_decide(
    *, actor: User, request: SwapRequest, approve: bool, note: str = ""
) -> tuple[SwapRequest, list[CompositionCheck]]:
    """Approve (the shifts change hands) or reject a swap. The requester cannot approve their own request."""
    request = (
        SwapRequest.objects.select_for_update(of=("self",))
        .select_related("assignment__shift", "counterpart_assignment__shift")
        .get(pk=request.pk)
    )
    shift = request.assignment.shift
    shifts = [shift] + ([request.counterpart_assignment.shift] if request.counterpart_assignment_id else [])
    if actor.pk == request.requester_id or not all(may_decide(actor, s) for s in shifts):
        raise PermissionDenied(_("You cannot decide this request."), field="request")
    target = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    workflow.check("request", request.status, target)
    checks = []
    if approve:
        checks = _apply_swap(request)
    request.status, request.decided_by, request.decided_at = target, actor, timezone.now()
    request.decision_note = note.strip()[:200]
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    log(actor, f"swap.{target}", request, region=shift.region, summary=request.decision_note)
    roster_notices.swap_decided(request, approve)
    return request, checks


def _apply_swap(request: SwapRequest) -> list[CompositionCheck]:
    ids = [request.assignment_id, request.counterpart_assignment_id]
    locked = {
        a.pk: a for a in DutyAssignment.objects.select_for_update().filter(pk__in=[i for i in ids if i])
    }
    given = locked[request.assignment_id]
    taken = locked.get(request.counterpart_assignment_id)
    if given.user_id != request.requester_id or (
        taken is not None and taken.user_id != request.counterpart_id
    ):
        raise Conflict(_("The roster changed since the request; ask again."), field="request")
    counterpart, requester = request.counterpart, request.requester
    counterpart_body = StaffProfile.objects.filter(user=counterpart).values_list("body", flat=True).first()
    if counterpart_body is None:
        raise ValidationError(_("The colleague has no staff file."), field="counterpart")
    if given.shift.assignments.filter(user=counterpart).exists():
        raise Conflict(_("The colleague is already on that shift."), field="counterpart")
    _check_can_serve(counterpart, counterpart_body, given.shift, field="counterpart", exclude=[taken])
    if taken is not None:
        _check_can_serve(requester, given.body, taken.shift, field="counterpart_assignment", exclude=[given])
    requester_body = given.body
    given.user, given.body = counterpart, counterpart_body
    given.save(update_fields=["user", "body"])
    checks = [composition_check(given.shift)]
    if taken is not None:
        taken.user, taken.body = requester, requester_body
        taken.save(update_fields=["user", "body"])
        checks.append(composition_check(taken.shift))
    return checks


@transaction.atomic
def swap_request_cancel(*, actor: User, request: SwapRequest) -> SwapRequest:
    request = SwapRequest.objects.select_for_update().get(pk=request.pk)
    if request.requester_id != actor.pk:
        raise PermissionDenied(_("Only the requester can cancel."), field="request")
    workflow.check("request", request.status, RequestStatus.CANCELLED)
    request.status = RequestStatus.CANCELLED
    request.save(update_fields=["status"])
    log(actor, "swap.cancelled", request)
    return request


# --- leave requests ------------------------------------------------------------------------------------------


@transaction.atomic
def leave_request_create(
    *, actor: User, kind: str, starts_at: datetime, ends_at: datetime, reason: str = ""
) -> LeaveRequest:
    require_choice(kind, LeaveRequest.Kind, "kind")
    if ends_at <= starts_at:
        raise ValidationError(_("The end is before the start."), field="ends_at")
    if ends_at - starts_at > timedelta(days=366):
        raise ValidationError(_("Ask for at most a year at a time."), field="ends_at")
    profile = StaffProfile.objects.filter(user=actor).select_related("region").first()
    if profile is None:
        raise ValidationError(_("You have no staff file."), field="user")
    if LeaveRequest.objects.filter(
        user=actor,
        status__in=[RequestStatus.PENDING, RequestStatus.APPROVED],
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).exists():
        raise Conflict(_("You already asked for leave in this period."), field="starts_at")
    request = LeaveRequest.objects.create(
        user=actor,
        region=profile.region,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason.strip()[:200],
    )
    log(actor, "leave.request", request, region=profile.region, summary=request.get_kind_display())
    return request


@transaction.atomic
def leave_request_decide(
    *, actor: User, request: LeaveRequest, approve: bool, note: str = ""
) -> tuple[LeaveRequest, list[tuple[DutyShift, CompositionCheck]]]:
    """Approve or reject leave. Approved leave takes the person off their shifts in the period; the result lists
    the shifts affected and whether they still meet their template, so the roster manager can find cover."""
    request = LeaveRequest.objects.select_for_update(of=("self",)).select_related("region").get(pk=request.pk)
    require(actor, ROSTER_MANAGERS, request.region)
    if actor.pk == request.user_id:
        raise PermissionDenied(_("You cannot approve your own leave."), field="request")
    target = RequestStatus.APPROVED if approve else RequestStatus.REJECTED
    workflow.check("request", request.status, target)
    affected = []
    if approve:
        rows = DutyAssignment.objects.select_for_update().filter(
            user_id=request.user_id,
            status=DutyAssignment.Status.ON_DUTY,
            shift__starts_at__lt=request.ends_at,
            shift__ends_at__gt=request.starts_at,
        )
        for assignment in rows.select_related("shift"):
            assignment.status = DutyAssignment.Status.ON_LEAVE
            assignment.save(update_fields=["status"])
            affected.append((assignment.shift, composition_check(assignment.shift)))
    request.status, request.decided_by, request.decided_at = target, actor, timezone.now()
    request.decision_note = note.strip()[:200]
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    log(
        actor,
        f"leave.{target}",
        request,
        region=request.region,
        summary=request.decision_note,
        shifts=len(affected),
    )
    roster_notices.leave_decided(request, approve, len(affected))
    return request, affected


@transaction.atomic
def leave_request_cancel(*, actor: User, request: LeaveRequest) -> LeaveRequest:
    request = LeaveRequest.objects.select_for_update().get(pk=request.pk)
    if request.user_id != actor.pk:
        raise PermissionDenied(_("Only the requester can cancel."), field="request")
    workflow.check("request", request.status, RequestStatus.CANCELLED)
    request.status = RequestStatus.CANCELLED
    request.save(update_fields=["status"])
    log(actor, "leave.cancelled", request, region=request.region)
    return request
