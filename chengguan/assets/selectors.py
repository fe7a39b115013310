"""Reads in the viewer's scope: assets, a vehicle's track of a day, vehicle coverage of the responsibility
grids (the unit grids the squads' vehicles passed through, beside the patrol coverage of people on foot)."""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from math import asin, cos, radians, sin, sqrt

from django.utils import timezone

from chengguan.grids.models import ResponsibilityGrid

from .access import scope
from .models import Asset, VehiclePoint


def assets(user, kind: str | None = None):
    qs = Asset.objects.filter(scope(user)).select_related("squad", "keeper")
    return qs.filter(kind=kind) if kind else qs


def day_bounds(day: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, start + timedelta(days=1)


def track(vehicle: Asset, day: date):
    start, end = day_bounds(day)
    return VehiclePoint.objects.filter(vehicle=vehicle, recorded_at__gte=start, recorded_at__lt=end).order_by(
        "recorded_at"
    )


def _km(a, b) -> float:
    (lng1, lat1), (lng2, lat2) = a, b
    p1, p2 = radians(lat1), radians(lat2)
    h = sin((p2 - p1) / 2) ** 2 + cos(p1) * cos(p2) * sin(radians(lng2 - lng1) / 2) ** 2
    return 2 * 6371.0 * asin(sqrt(h))


def vehicle_days(user, day: date) -> list[dict]:
    """Per vehicle in scope: points, first/last time and kilometres driven on `day`."""
    start, end = day_bounds(day)
    vehicles = {v.pk: v for v in assets(user, Asset.Kind.VEHICLE)}
    rows = defaultdict(list)
    for vid, t, lng, lat in (
        VehiclePoint.objects.filter(vehicle_id__in=list(vehicles), recorded_at__gte=start, recorded_at__lt=end)
        .order_by("vehicle_id", "recorded_at").values_list("vehicle_id", "recorded_at", "lng", "lat")
    ):
        rows[vid].append((t, (lng, lat)))
    out = []
    for vid, v in vehicles.items():
        pts = rows.get(vid, [])
        km = sum(_km(a[1], b[1]) for a, b in zip(pts, pts[1:], strict=False))
        out.append({"vehicle": v, "points": len(pts), "first": pts[0][0] if pts else None,
                    "last": pts[-1][0] if pts else None, "km": km})
    return sorted(out, key=lambda r: (-r["points"], r["vehicle"].code))


def coverage(user, day: date, grids=None) -> list[dict]:
    """For each responsibility grid (the viewer's, as on the patrol coverage page): how many of its unit grids
    the vehicles in the viewer's scope passed through on `day`."""
    from chengguan.patrol.selectors.tracks import grids_in_scope

    grids = list(grids if grids is not None else grids_in_scope(user))
    links = ResponsibilityGrid.unit_grids.through.objects.filter(responsibilitygrid_id__in=[g.pk for g in grids])
    members = defaultdict(set)
    for grid_id, unit_id in links.values_list("responsibilitygrid_id", "unitgrid_id"):
        members[grid_id].add(unit_id)
    start, end = day_bounds(day)
    visited = set(
        VehiclePoint.objects.filter(
            vehicle__in=assets(user, Asset.Kind.VEHICLE), recorded_at__gte=start, recorded_at__lt=end,
            unit_grid__isnull=False,
        ).values_list("unit_grid_id", flat=True).distinct()
    )
    out = []
    for g in grids:
        units = members.get(g.pk, set())
        seen = units & visited
        out.append({"grid": g, "total": len(units), "visited": len(seen),
                    "share": len(seen) / len(units) if units else 0.0})
    return out
