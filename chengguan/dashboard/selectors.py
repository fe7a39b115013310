"""Live reads for the command-centre screen, within the viewer's region scope.

The screen shows the city *now*: open cases from the case table (their traffic light from the stored step
deadline), today's events, and where the supervisors are — from the patrol app's GPS tracks when they exist,
otherwise from each supervisor's latest report.
"""

from datetime import datetime, time, timedelta

from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncDate
from django.utils import timezone

from chengguan.cases.models import Case, CaseEvent, Source
from chengguan.core.workcalendar import traffic_light
from chengguan.evaluation.models import CaseFact
from chengguan.grids.models import UnitGrid
from chengguan.org.models import Region, Role, RoleAssignment, User

MAP_CASE_LIMIT = 3000
OVERDUE_LIMIT = 10
POSITION_MAX_AGE = timedelta(hours=24)


def today_start(now: datetime) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localtime(now).date(), time.min))


def open_cases(viewer):
    return Case.objects.filter(viewer.region_q(), is_open=True)


def kpis(viewer, now: datetime) -> dict:
    start = today_start(now)
    events = dict(
        CaseEvent.objects.filter(viewer.region_q("case__"), at__gte=start, at__lte=now)
        .values_list("action")
        .annotate(n=Count("pk"))
        .order_by()
    )
    live = open_cases(viewer).aggregate(
        open=Count("pk"),
        red=Count("pk", filter=Q(deadline__lt=now)),
        hung=Count("pk", filter=Q(state="hung_up")),
        red_working=Count("pk", filter=Q(deadline__lt=now) & ~Q(state="hung_up")),
        supervised=Count("pk", filter=Q(supervised=True)),
    )
    month_start = start.replace(day=1)
    month = CaseFact.objects.filter(
        viewer.region_q(), reported_on__gte=month_start.date(), reported_on__lte=timezone.localdate(now)
    )
    closing = month.aggregate(c=Count("pk", filter=Q(closed=1)), n=Count("pk", filter=Q(need_close=1)))
    closed_today = CaseFact.objects.filter(
        viewer.region_q(), closed_at__gte=start, closed_at__lte=now
    ).aggregate(n=Count("pk"), on_time=Count("pk", filter=Q(closed_on_time=1)))
    return {
        "reported": events.get("report", 0),
        "filed": events.get("file", 0),
        "dispatched": events.get("dispatch", 0),
        "closed": events.get("close", 0),
        "open": live["open"],
        "red": live["red"],
        "hung": live["hung"],
        "red_working": live["red_working"],
        "supervised": live["supervised"],
        "closed_on_time_today": _pct(closed_today["on_time"], closed_today["n"]),
        "month_close_rate": _pct(closing["c"], closing["n"]),
    }


def _pct(num, den):
    return round(100.0 * num / den, 1) if den else None


def top_matters(viewer, now: datetime, *, days: int = 7, limit: int = 8) -> list[tuple[str, int]]:
    since = today_start(now) - timedelta(days=days - 1)
    rows = (
        Case.objects.filter(viewer.region_q(), reported_at__gte=since, reported_at__lte=now)
        .values("matter__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "matter__name")[:limit]
    )
    return [(r["matter__name"], r["n"]) for r in rows]


def sources(viewer, now: datetime, *, days: int = 7) -> list[tuple[str, int]]:
    """Reports of the last `days` days by source, in words."""
    since = today_start(now) - timedelta(days=days - 1)
    labels = dict(Source.choices)
    rows = (
        Case.objects.filter(viewer.region_q(), reported_at__gte=since, reported_at__lte=now)
        .values("source")
        .annotate(n=Count("pk"))
        .order_by("-n", "source")
    )
    return [(str(labels.get(r["source"], r["source"])), r["n"]) for r in rows]


def daily_trend(viewer, now: datetime, *, days: int = 14) -> dict:
    """Reports and closures per day over the last `days` days (one query over the case events)."""
    start = today_start(now) - timedelta(days=days - 1)
    rows = (
        CaseEvent.objects.filter(
            viewer.region_q("case__"), at__gte=start, at__lte=now, action__in=("report", "close")
        )
        .annotate(day=TruncDate("at", tzinfo=timezone.get_current_timezone()))
        .values_list("day", "action")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(day, action): n for day, action, n in rows}
    dates = [(start + timedelta(days=i)).date() for i in range(days)]
    return {
        "days": [d.strftime("%m-%d") for d in dates],
        "reported": [counts.get((d, "report"), 0) for d in dates],
        "closed": [counts.get((d, "close"), 0) for d in dates],
    }


def overdue(viewer, now: datetime, *, limit: int = OVERDUE_LIMIT) -> list[dict]:
    rows = (
        open_cases(viewer)
        .filter(deadline__lt=now)
        .select_related("matter", "current_department", "street")
        .order_by("deadline")[:limit]
    )
    return [
        {
            "case": c,
            "hours": int((now - c.deadline).total_seconds() // 3600),
            "days": int((now - c.deadline).total_seconds() // 86400),
            "who": c.current_department.name if c.current_department else c.get_state_display(),
        }
        for c in rows
    ]


def case_features(viewer, now: datetime) -> dict:
    rows = (
        open_cases(viewer)
        .exclude(state="hung_up")
        .select_related("matter")
        .only(
            "pk", "number", "lng", "lat", "deadline", "step_started_at", "limit_unit", "state", "matter__name"
        )
        .order_by("deadline")[:MAP_CASE_LIMIT]
    )
    features = []
    for c in rows:
        light = (
            traffic_light(c.step_started_at, c.deadline, now, c.limit_unit or "minutes")
            if c.deadline and c.step_started_at
            else "green"
        )
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [c.lng, c.lat]},
                "properties": {"id": c.pk, "number": c.number, "matter": c.matter.name, "light": light},
            }
        )
    return {"type": "FeatureCollection", "features": features}


def grid_features(viewer) -> dict:
    counts = dict(open_cases(viewer).values_list("unit_grid").annotate(n=Count("pk")).order_by())
    grids = UnitGrid.objects.filter(pk__in=list(counts)).only("pk", "code", "geometry")
    top = max(counts.values(), default=0)
    return {
        "type": "FeatureCollection",
        "max": top,
        "features": [
            {
                "type": "Feature",
                "geometry": g.geometry,
                "properties": {"code": g.code, "open": counts[g.pk], "heat": round(counts[g.pk] / top, 3)},
            }
            for g in grids
        ],
    }


def region_features(viewer) -> dict:
    """District outlines in scope (or the viewer's own regions below district level): the map's backdrop."""
    own = Region.objects.none() if viewer.everything else Region.objects.filter(path__in=viewer.regions)
    regions = own
    if viewer.everything or own.filter(level=Region.Level.CITY).exists():
        regions = Region.objects.filter(level=Region.Level.DISTRICT)
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "geometry": r.boundary, "properties": {"name": r.name}}
            for r in regions.only("pk", "name", "boundary")
            if r.boundary
        ],
    }


def supervisors_in_scope(viewer):
    assignments = RoleAssignment.objects.filter(role=Role.SUPERVISOR)
    if not viewer.everything:
        q = Q(pk__in=[])
        for p in viewer.regions:
            q |= Q(region__path__startswith=p)
        assignments = assignments.filter(q)
    return User.objects.filter(pk__in=assignments.values("user_id"), is_active=True)


def supervisor_features(viewer, now: datetime) -> dict:
    """Latest position per supervisor in the last 24 h: GPS track if any, else the latest own report."""
    since = now - POSITION_MAX_AGE
    reports = Case.objects.filter(
        reporter=OuterRef("pk"), reported_at__gte=since, reported_at__lte=now
    ).order_by("-reported_at")
    users = supervisors_in_scope(viewer).annotate(
        r_at=Subquery(reports.values("reported_at")[:1]),
        r_lng=Subquery(reports.values("lng")[:1]),
        r_lat=Subquery(reports.values("lat")[:1]),
    )
    track = _track_model()
    if track is not None:
        points = track.objects.filter(
            user=OuterRef("pk"), recorded_at__gte=since, recorded_at__lte=now
        ).order_by("-recorded_at")
        users = users.annotate(
            t_at=Subquery(points.values("recorded_at")[:1]),
            t_lng=Subquery(points.values("lng")[:1]),
            t_lat=Subquery(points.values("lat")[:1]),
        )
    features = []
    for u in users:
        t_at = getattr(u, "t_at", None)
        if t_at is not None and (u.r_at is None or t_at >= u.r_at):
            at, lng, lat, source = t_at, u.t_lng, u.t_lat, "track"
        elif u.r_at is not None:
            at, lng, lat, source = u.r_at, u.r_lng, u.r_lat, "report"
        else:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lng, lat]},
                "properties": {
                    "name": str(u),
                    "at": timezone.localtime(at).strftime("%H:%M"),
                    "source": source,
                    "minutes": int((now - at).total_seconds() // 60),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _track_model():
    from django.apps import apps

    try:
        return apps.get_model("patrol", "TrackPoint")
    except LookupError:
        return None
