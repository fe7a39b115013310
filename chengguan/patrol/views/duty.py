"""Roster pages: the week roster per grid with template checks; shifts, swap and leave requests."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chengguan.core.errors import DomainError
from chengguan.org.models import User
from chengguan.org.scope import get_in_scope, in_scope

from ..access import EVERYONE_IN_PATROL, ROSTER_MANAGERS, may, roles_set
from ..forms import LeaveForm, SwapForm
from ..models import DutyAssignment, LeaveRequest, RequestStatus, SwapRequest
from ..selectors import squads as squad_sel
from ..selectors import tracks as track_sel
from ..services import duty
from .common import attempt, form_errors, monday, parse_day, require_page

ROLES = roles_set(EVERYONE_IN_PATROL)


@login_required
def roster(request):
    """A week of shifts: one row per responsibility grid (or squad), one column per day."""
    require_page(request.user, EVERYONE_IN_PATROL)
    start = monday(parse_day(request.GET.get("start")))
    days = [start + timedelta(days=i) for i in range(7)]
    grids = track_sel.grids_in_scope(request.user)
    grid_id = request.GET.get("grid")
    shifts = squad_sel.roster(request.user, start=start)
    if grid_id and grid_id.isdigit():
        shifts = shifts.filter(grid_id=int(grid_id))
    rows: dict = {}
    for shift in shifts:
        key = shift.grid or shift.squad
        row = rows.setdefault(key, {d: [] for d in days})
        row.setdefault(shift.day, []).append((shift, squad_sel.composition_check(shift)))
    context = {
        "start": start,
        "days": days,
        "rows": [(key, [cells.get(d, []) for d in days]) for key, cells in rows.items()],
        "prev": start - timedelta(days=7),
        "next": start + timedelta(days=7),
        "grids": grids,
        "grid_id": grid_id,
        "can_manage": may(request.user, ROSTER_MANAGERS),
    }
    template = "patrol/_roster_table.html" if request.htmx else "patrol/roster.html"
    return render(request, template, context)


@login_required
@require_POST
def roster_copy(request):
    start = monday(parse_day(request.POST.get("start")))
    regions = [a.region for a in request.user.role_assignments.select_related("region") if a.region_id]
    region = next((r for r in regions if may(request.user, ROSTER_MANAGERS, r)), None)
    if region is None:
        raise DjangoPermissionDenied
    attempt(
        request,
        lambda: duty.roster_copy_week(
            actor=request.user, region=region, from_day=start, to_day=start + timedelta(7)
        ),
        _("The week was copied to the next week."),
    )
    return redirect(f"{request.path.rsplit('/copy', 1)[0]}/?start={start + timedelta(days=7):%Y-%m-%d}")


def _pending_for(user):
    swaps = [
        s
        for s in in_scope(
            SwapRequest.objects.filter(status=RequestStatus.PENDING).select_related(
                "assignment__shift__grid", "requester", "counterpart", "counterpart_assignment__shift"
            ),
            user,
            region_field="assignment__shift__region",
            roles=ROLES,
        )
        if s.requester_id != user.pk and duty.may_decide(user, s.assignment.shift)
    ]
    leaves = []
    if may(user, ROSTER_MANAGERS):
        leaves = [
            leave
            for leave in in_scope(
                LeaveRequest.objects.filter(status=RequestStatus.PENDING).select_related("user", "region"),
                user,
                region_field="region",
                roles=roles_set(ROSTER_MANAGERS),
            )
            if leave.user_id != user.pk
        ]
    return swaps, leaves


@login_required
def requests_page(request):
    """My shifts with swap requests, my leave, and for deciders the requests waiting for them."""
    user = request.user
    if request.method == "POST":
        kind = request.POST.get("form")
        if kind == "swap":
            form = SwapForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                assignment = get_object_or_404(
                    DutyAssignment.objects.select_related("shift"), pk=data["assignment"], user=user
                )
                counterpart = User.objects.filter(
                    username=data["counterpart"].strip(), is_active=True
                ).first()
                if counterpart is None:
                    messages.error(request, _("No such colleague."))
                else:
                    attempt(
                        request,
                        lambda: duty.swap_request_create(
                            actor=user, assignment=assignment, counterpart=counterpart, reason=data["reason"]
                        ),
                        _("Swap requested."),
                    )
            else:
                form_errors(request, form)
        elif kind == "leave":
            form = LeaveForm(request.POST)
            if form.is_valid():
                attempt(
                    request,
                    lambda: duty.leave_request_create(actor=user, **form.cleaned_data),
                    _("Leave requested."),
                )
            else:
                form_errors(request, form)
        return redirect(request.path)
    swaps, leaves = _pending_for(user)
    context = {
        "my_shifts": squad_sel.my_shifts(user, start=timezone.localdate(), days=14),
        "my_swaps": SwapRequest.objects.filter(requester=user).select_related(
            "counterpart", "assignment__shift"
        )[:20],
        "my_leave": LeaveRequest.objects.filter(user=user)[:20],
        "pending_swaps": swaps,
        "pending_leave": leaves,
        "leave_form": LeaveForm(),
    }
    return render(request, "patrol/requests.html", context)


@login_required
@require_POST
def decide(request, kind: str, pk: int):
    """Approve or reject a swap or leave request (htmx: answers the updated row)."""
    approve = request.POST.get("approve") == "1"
    note = request.POST.get("note", "")
    if kind == "swap":
        obj = get_in_scope(
            SwapRequest.objects.all(),
            request.user,
            region_field="assignment__shift__region",
            roles=ROLES,
            pk=pk,
        )
        service = duty.swap_request_decide
    else:
        obj = get_in_scope(
            LeaveRequest.objects.all(), request.user, region_field="region", roles=ROLES, pk=pk
        )
        service = duty.leave_request_decide
    error, warnings = None, []
    try:
        obj, checks = service(actor=request.user, request=obj, approve=approve, note=note)
        checks = [c for _s, c in checks] if kind == "leave" else checks
        warnings = [c for c in checks if not c.ok]
    except DomainError as exc:
        error = exc.message
    obj.refresh_from_db()
    if request.htmx:
        return render(
            request,
            "patrol/_decided_row.html",
            {"obj": obj, "kind": kind, "error": error, "warnings": warnings},
        )
    if error:
        messages.error(request, error)
    return redirect("patrol:requests")
