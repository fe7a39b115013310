"""Pages: the squads' vehicles and equipment, a vehicle's track of a day on a map, the vehicles' coverage of
the responsibility grids, and the attach form for body-camera files (posted from the enforcement case page)."""

import functools
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chengguan.core.errors import DomainError, PermissionDenied
from chengguan.enforcement.permissions import get_case
from chengguan.patrol.views.common import parse_day

from . import selectors
from .access import require_view
from .models import Asset
from .services import bodycam_attach


def equipment_page(view):
    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            require_view(request.user)
        except PermissionDenied as exc:
            raise HttpForbidden(exc.message) from exc
        return view(request, *args, **kwargs)

    return wrapper


@require_GET
@equipment_page
def index(request):
    day = timezone.localdate()
    items = list(selectors.assets(request.user))
    return render(request, "assets/index.html", {
        "vehicles": selectors.vehicle_days(request.user, day),
        "cameras": [a for a in items if a.kind == Asset.Kind.BODY_CAMERA],
        "kits": [a for a in items if a.kind == Asset.Kind.EVIDENCE_KIT],
        "day": day,
    })


@require_GET
@equipment_page
def vehicle(request, pk: int):
    found = get_object_or_404(selectors.assets(request.user, Asset.Kind.VEHICLE), pk=pk)
    day = parse_day(request.GET.get("day"))
    points = list(selectors.track(found, day).values_list("lng", "lat", "recorded_at", "speed_kmh"))
    line = [[lat, lng] for lng, lat, _t, _s in points]
    return render(request, "assets/vehicle.html", {
        "vehicle": found, "day": day, "points": points, "line": line,
        "summary": next((r for r in selectors.vehicle_days(request.user, day) if r["vehicle"].pk == found.pk), None),
    })


@require_GET
@equipment_page
def coverage(request):
    day = parse_day(request.GET.get("day"))
    return render(request, "assets/coverage.html", {
        "day": day, "rows": selectors.coverage(request.user, day), "vehicles": selectors.vehicle_days(request.user, day),
    })


@login_required
@require_POST
def attach(request, case_pk: int):
    case = get_case(request.user, case_pk)
    camera = Asset.objects.filter(pk=request.POST.get("camera") or 0, kind=Asset.Kind.BODY_CAMERA).first()
    recorded_at = None
    if request.POST.get("recorded_at"):
        try:
            recorded_at = timezone.make_aware(datetime.fromisoformat(request.POST["recorded_at"]))
        except ValueError:
            messages.error(request, _("The recording time is not a date and time."))
            return redirect("enforcement:detail", case.pk)
    try:
        if camera is None:
            raise PermissionDenied(_("Choose a body camera in service."), field="camera")
        bodycam_attach(actor=request.user, case=case, camera=camera, file=request.FILES.get("file"),
                       recorded_at=recorded_at)
        messages.success(request, _("Body-camera file attached with its SHA-256."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("enforcement:detail", case.pk)
