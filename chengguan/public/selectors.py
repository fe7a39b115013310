"""Reads for the public pages: nearby open reports, the public map, the monthly disclosure statistics."""

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from chengguan.cases.models import Attachment, Case
from chengguan.cases.workflow import State
from chengguan.core.coords import to_storage
from chengguan.org.models import Region

from . import conf
from .models import Satisfaction

HIDDEN_STATES = (State.REJECTED, State.VOIDED, State.MERGED)
EARTH_M_PER_DEG = 111_320.0


def _distance_m(lng1, lat1, lng2, lat2) -> float:
    dx = (lng2 - lng1) * EARTH_M_PER_DEG * math.cos(math.radians((lat1 + lat2) / 2))
    dy = (lat2 - lat1) * EARTH_M_PER_DEG
    return math.hypot(dx, dy)


def nearby_open(
    *, matter, lng: float, lat: float, crs: str, now: datetime, meters: float | None = None, limit=5
):
    """Open cases of the same matter near a point (the duplicate suggestion shown before submitting):
    [(case, metres)], nearest first. Uses the case loop's duplicate distance and window."""
    from chengguan.cases import conf as cases_conf

    lng, lat = to_storage(lng, lat, crs)
    meters = meters or cases_conf.duplicate_meters()
    window = timedelta(hours=cases_conf.duplicate_hours())
    dlat = meters / EARTH_M_PER_DEG
    dlng = meters / (EARTH_M_PER_DEG * max(math.cos(math.radians(lat)), 0.01))
    rows = Case.objects.filter(
        matter=matter,
        is_open=True,
        lng__range=(lng - dlng, lng + dlng),
        lat__range=(lat - dlat, lat + dlat),
        reported_at__gte=now - window,
    ).select_related("matter")
    found = [(c, _distance_m(lng, lat, c.lng, c.lat)) for c in rows]
    found = sorted(((c, d) for c, d in found if d <= meters), key=lambda x: x[1])
    return found[:limit]


def map_cases(*, now: datetime, status: str = "", limit: int = 2000):
    """Reported and fixed problems of the last PUBLIC_MAP_DAYS days, newest first, without reporter details."""
    qs = (
        Case.objects.filter(reported_at__gte=now - timedelta(days=conf.map_days()))
        .exclude(state__in=HIDDEN_STATES)
        .select_related("matter")
        .only(
            "number", "state", "is_open", "lng", "lat", "address", "reported_at", "closed_at", "matter__name"
        )
        .order_by("-reported_at", "-pk")
    )
    if status in ("open", "closed"):
        qs = qs.filter(is_open=status == "open")
    cases = list(qs[:limit])
    photos = {}
    closed_ids = [c.pk for c in cases if not c.is_open]
    for case_id, pk in (
        Attachment.objects.filter(case_id__in=closed_ids, kind="after")
        .order_by("pk")
        .values_list("case_id", "pk")
    ):
        photos[case_id] = pk  # the latest after-photo wins
    return cases, photos


# ---- monthly statistics ------------------------------------------------------------------------------------


@dataclass
class Row:
    key: str
    label: str
    reported: int = 0
    filed: int = 0
    closed: int = 0
    filed_closed: int = 0

    @property
    def closure_rate(self) -> float | None:
        return round(100.0 * self.filed_closed / self.filed, 1) if self.filed else None


def month_bounds(month: date) -> tuple[datetime, datetime]:
    start = timezone.make_aware(datetime(month.year, month.month, 1))
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return start, timezone.make_aware(datetime(following.year, following.month, 1))


def _tally(rows: dict, key_field: str, label_field: str, qs, counter: str):
    for key, label, count in qs.values_list(key_field, label_field).annotate(n=Count("pk")).order_by():
        row = rows.setdefault(str(key), Row(str(key), label or "—"))
        setattr(row, counter, getattr(row, counter) + count)


def monthly_statistics(month: date, *, now: datetime) -> dict:
    """Cases reported, filed and closed in `month`, by district and by major class (大类), with the closure
    rate: of the cases filed in the month, the share closed by the month's end (or by now, for this month)."""
    start, end = month_bounds(month)
    cutoff = min(end, now)
    reported = Case.objects.filter(reported_at__gte=start, reported_at__lt=end)
    filed = Case.objects.filter(filed_at__gte=start, filed_at__lt=end)
    closed = Case.objects.filter(state=State.CLOSED, closed_at__gte=start, closed_at__lt=end)
    filed_closed = filed.filter(state=State.CLOSED, closed_at__lte=cutoff)
    result = {}
    for name, key, label in (
        ("by_district", "district__code", "district__name"),
        ("by_class", "matter__major_code", "matter__major_name"),
    ):
        rows: dict[str, Row] = {}
        for qs, counter in (
            (reported, "reported"),
            (filed, "filed"),
            (closed, "closed"),
            (filed_closed, "filed_closed"),
        ):
            _tally(rows, key, label, qs, counter)
        result[name] = sorted(rows.values(), key=lambda r: r.key)
    total = Row("total", "")
    for row in result["by_district"]:
        for field in ("reported", "filed", "closed", "filed_closed"):
            setattr(total, field, getattr(total, field) + getattr(row, field))
    result["total"] = total
    ratings = Satisfaction.objects.filter(rated_at__gte=start, rated_at__lt=end).aggregate(
        n=Count("pk"), good=Count("pk", filter=Q(score__in=["satisfied", "basic"]))
    )
    result["ratings"] = ratings["n"]
    result["satisfaction_rate"] = round(100.0 * ratings["good"] / ratings["n"], 1) if ratings["n"] else None
    result["start"], result["end"] = start, end
    return result


def district_names() -> dict[str, str]:
    return dict(Region.objects.filter(level=Region.Level.DISTRICT).values_list("code", "name"))
