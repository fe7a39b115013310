"""Roster pages: the week roster per grid with template checks; shifts, swap and leave requests."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chengguan.core.errors import DomainError
from chengguan.org.models import User
from chengguan.org.scope import get_in_scope, in_scope

from ..access import EVERYONE_IN_PATROL, ROSTER_MANAGERS, may, roles_set
from ..forms import LeaveForm, ShiftForm, SwapForm
from ..models import DutyAssignment, LeaveRequest, RequestStatus, ShiftPattern, SwapRequest
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
        "shift_form": _shift_form(request.user, initial={"day": start})
        if may(request.user, ROSTER_MANAGERS)
        else None,
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


def _shift_form(user, data=None, initial=None):
    form = ShiftForm(data, initial=initial)
    form.fields["pattern"].choices = [(p.pk, str(p)) for p in ShiftPattern.objects.filter(is_active=True)]
    form.fields["grid"].choices = [("", "—")] + [(g.pk, str(g)) for g in track_sel.grids_in_scope(user)]
    form.fields["squad"].choices = [("", "—")] + [
        (s.pk, s.name) for s in squad_sel.squads_in_scope(user).filter(is_active=True)
    ]
    return form


@login_required
@require_POST
def shift_add(request):
    """Put a shift on the roster; the composition check's warnings are shown as messages."""
    form = _shift_form(request.user, request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("patrol:roster")
    data = form.cleaned_data
    grid = (
        get_object_or_404(track_sel.grids_in_scope(request.user), pk=data["grid"]) if data["grid"] else None
    )
    squad = (
        get_object_or_404(squad_sel.squads_in_scope(request.user), pk=data["squad"])
        if data["squad"]
        else None
    )
    names = [n.strip() for n in data["people"].replace("，", ",").split(",") if n.strip()]
    people = list(User.objects.filter(username__in=names, is_active=True))
    if len(people) != len(set(names)):
        missing = sorted(set(names) - {u.username for u in people})
        messages.error(request, _("Unknown usernames: %(names)s") % {"names": ", ".join(missing)})
        return redirect("patrol:roster")
    result = {}

    def create():
        result["shift"], result["check"] = duty.shift_create(
            actor=request.user,
            day=data["day"],
            pattern=get_object_or_404(ShiftPattern, pk=data["pattern"]),
            grid=grid,
            squad=squad,
            people=people if names else None,
        )

    if attempt(request, create, _("Shift added.")) and not result["check"].ok:
        messages.warning(request, _("The shift does not meet its squad's template; see the roster."))
    return redirect(f"{reverse('patrol:roster')}?start={monday(data['day']):%Y-%m-%d}")


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
    if kind not in ("swap", "leave"):
        raise Http404
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
