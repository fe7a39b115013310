"""The 监测 pages: the monitoring centre (device map, alarm stream, sensor charts, precision per algorithm), the
review queue (accept / reject with one click), an alarm's snapshot, and GeoJSON layers for the map and the
command-centre dashboard."""

import functools
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chengguan.core.errors import DomainError, PermissionDenied
from chengguan.core.media import file_response
from chengguan.core.middleware import build_policy
from chengguan.evaluation.charts import line_chart
from chengguan.org.models import Department, Role
from chengguan.org.scope import has_role

from . import selectors
from .access import require_view
from .models import Alarm, Rollup
from .services import alarm_accept, alarm_reject, alarm_to_clue

LIVE = (Alarm.Status.AUTO_FILED, Alarm.Status.PENDING, Alarm.Status.RAISED, Alarm.Status.ACCEPTED)


def monitoring(view):
    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            require_view(request.user)
        except PermissionDenied as exc:
            raise HttpForbidden(exc.message) from exc
        return view(request, *args, **kwargs)

    return wrapper


def _sensor_chart(sensor, period):
    rows = selectors.series(sensor, period, 48 if period == Rollup.Period.HOUR else 30)
    if not rows:
        return None
    fmt = "%H:%M" if period == Rollup.Period.HOUR else "%m-%d"
    labels = [timezone.localtime(r.start).strftime(fmt) for r in rows]
    top = max([r.maximum for r in rows] + [sensor.type.alarm_high or 0]) * 1.15 or 1
    series = [(_("maximum"), [r.maximum for r in rows]), (_("mean"), [r.mean for r in rows])]
    return line_chart(labels, series, y_max=top, unit=sensor.type.unit)


@require_GET
@monitoring
def index(request):
    user = request.user
    sensors = list(selectors.sensors(user))
    chosen = next((s for s in sensors if str(s.pk) == request.GET.get("sensor")), None) or next(
        (s for s in sensors if s.in_alarm), sensors[0] if sensors else None
    )
    period = Rollup.Period.DAY if request.GET.get("period") == "day" else Rollup.Period.HOUR
    stream = list(selectors.alarms(user)[:30])
    return render(request, "sensing/index.html", {
        "cameras": selectors.cameras(user).count(),
        "camera_list": list(selectors.cameras(user).order_by("is_online", "name")[:100]),
        "online_cameras": selectors.cameras(user).filter(is_online=True).count(),
        "sensors": sensors,
        "online_sensors": sum(1 for s in sensors if s.is_online),
        "in_alarm": sum(1 for s in sensors if s.in_alarm),
        "pending": selectors.review_queue(user).count(),
        "stream": stream,
        "chosen": chosen,
        "period": period,
        "chart": _sensor_chart(chosen, period) if chosen else None,
        "precision": selectors.precision(user),
        "by_camera": selectors.precision(user, by="camera"),
        "can_review": has_role(user, Role.OPERATOR, Role.SHIFT_LEADER, Role.DISPATCHER, Role.ADMIN),
    })


@require_GET
@monitoring
def review(request):
    queue = list(selectors.review_queue(request.user)[:100])
    officer = has_role(request.user, Role.OFFICER)
    return render(request, "sensing/review.html", {"queue": queue, "officer": officer})


@require_POST
@monitoring
def decide(request, pk: int, decision: str):
    alarm = get_object_or_404(selectors.alarms(request.user), pk=pk)
    try:
        if decision == "accept":
            alarm = alarm_accept(actor=request.user, alarm=alarm)
            messages.success(request, _("Accepted: case %(number)s filed.") % {"number": alarm.case.number})
        elif decision == "reject":
            alarm_reject(actor=request.user, alarm=alarm, reason=request.POST.get("reason", ""))
            messages.success(request, _("Rejected as a false positive."))
        else:
            brigade = Department.objects.filter(pk=request.POST.get("department") or 0).first()
            brigade = brigade or _my_brigade(request.user)
            clue = alarm_to_clue(actor=request.user, alarm=alarm, department=brigade)
            messages.success(request, _("Enforcement clue %(number)s registered.") % {"number": clue.clue_number})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(request.POST.get("next") or "sensing:review")


def _my_brigade(user):
    a = user.role_assignments.filter(role=Role.OFFICER, department__isnull=False).select_related("department")
    first = a.first()
    if first is None:
        raise PermissionDenied(_("Only enforcement officers turn alarms into clues."), field="actor")
    return first.department


@require_GET
@login_required
def snapshot(request, pk: int):
    """The monitoring centre sees its area's snapshots; anyone who may see the case sees the case's."""
    from chengguan.cases.selectors import visible_cases

    from .access import can_view

    mine = selectors.alarms(request.user) if can_view(request.user) else Alarm.objects.none()
    alarm = mine.filter(pk=pk).first() or get_object_or_404(
        Alarm.objects.filter(case__in=visible_cases(request.user)), pk=pk
    )
    return file_response(alarm.snapshot, content_type="image/jpeg" if alarm.snapshot.name.endswith("jpg") else "")


def _feature(lng, lat, props):
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lng, lat]}, "properties": props}


@require_GET
@monitoring
def devices_geojson(request):
    features = [
        _feature(c.lng, c.lat, {"kind": "camera", "name": c.name, "id": c.device_id,
                                "state": "online" if c.is_online else "offline",
                                "live": reverse("sensing:live", args=[c.pk]) if c.live_url else None})
        for c in selectors.cameras(request.user)
    ] + [
        _feature(s.lng, s.lat, {"kind": "sensor", "name": s.name, "id": s.device_id, "type": s.type.name,
                                "value": s.last_value, "unit": s.type.unit,
                                "state": "alarm" if s.in_alarm else ("online" if s.is_online else "offline")})
        for s in selectors.sensors(request.user)
    ]
    return JsonResponse({"type": "FeatureCollection", "features": features})


@require_GET
@monitoring
def alarms_geojson(request):
    since = timezone.now() - timezone.timedelta(hours=24)
    live = selectors.alarms(request.user).filter(event=Alarm.Event.ALARM, status__in=LIVE, occurred_at__gte=since)
    features = []
    for a in live[:500]:
        d = a.device
        features.append(_feature(d.lng, d.lat, {
            "kind": a.kind, "name": d.name, "matter": a.matter.name if a.matter_id else a.get_kind_display(),
            "status": a.get_status_display(), "at": timezone.localtime(a.occurred_at).strftime("%H:%M"),
        }))
    return JsonResponse({"type": "FeatureCollection", "features": features})


def _live_kind(url: str) -> str:
    path = urlsplit(url).path.lower()
    if path.endswith(".m3u8"):
        return "hls"
    if path.endswith(".flv"):
        return "flv"
    if urlsplit(url).scheme in ("webrtc", "rtc") or "webrtc" in path:
        return "webrtc"
    return "video"


@require_GET
@monitoring
def live(request, pk: int):
    """The camera's live view from the city's video gateway: only for a camera with a live-view URL. The page
    plays HLS natively or with the vendored hls.js (nothing fetched from the internet); FLV and WebRTC streams
    need the gateway's own player, linked. The page's CSP lets media and XHR reach the gateway's origin only."""
    camera = get_object_or_404(selectors.cameras(request.user).exclude(live_url=""), pk=pk)
    parts = urlsplit(camera.live_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    response = render(request, "sensing/live.html", {"camera": camera, "kind": _live_kind(camera.live_url)})
    policy = build_policy().replace("media-src 'self' blob:", f"media-src 'self' blob: {origin}")
    response["Content-Security-Policy"] = policy.replace("connect-src 'self'", f"connect-src 'self' {origin}")
    return response
