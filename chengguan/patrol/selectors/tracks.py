"""Reads about patrols: daily coverage of responsibility grids and patrol hours against the schedule.

A person counts as patrolling between two consecutive GPS points that are at most `Norm.track_gap_minutes`
apart; a longer gap (phone off, lunch, no signal) counts as not patrolling.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from chengguan.grids.models import ResponsibilityGrid
from chengguan.org.scope import in_scope

from ..access import EVERYONE_IN_PATROL, roles_set
from ..models import CoverageDay, DutyAssignment, Norm, TrackPoint
from .norms import norm_for


def day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    return start, start + timedelta(days=1)


def _union(intervals):
    merged = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    return merged


def _total(intervals) -> timedelta:
    return sum((end - start for start, end in _union(intervals)), timedelta())


def _intersect(a, b):
    out = []
    for s1, e1 in _union(a):
        for s2, e2 in _union(b):
            s, e = max(s1, s2), min(e1, e2)
            if e > s:
                out.append((s, e))
    return out


def _segments(points, gap: timedelta):
    """(start, end, unit_grid_id) for consecutive points of one person no more than `gap` apart."""
    out = []
    for p, q in zip(points, points[1:], strict=False):
        if timedelta(0) < q[0] - p[0] <= gap:
            out.append((p[0], q[0], p[1]))
    return out


@dataclass
class GridCoverage:
    grid: ResponsibilityGrid
    total: int
    visited: set = field(default_factory=set)
    window_covered: timedelta = timedelta()
    window: timedelta = timedelta()

    @property
    def share(self) -> float:
        return len(self.visited) / self.total if self.total else 0.0

    @property
    def window_share(self) -> float:
        return self.window_covered / self.window if self.window else 0.0


def grids_in_scope(actor):
    return in_scope(
        ResponsibilityGrid.objects.select_related("region"),
        actor,
        region_field="region",
        roles=roles_set(EVERYONE_IN_PATROL),
    )


def _window(day: date, norm) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(day, norm.patrol_day_start), tz),
        timezone.make_aware(datetime.combine(day, norm.patrol_day_end), tz),
    )


def coverage(day: date, grids) -> list[GridCoverage]:
    """For each responsibility grid: the unit grids visited on `day` by anyone patrolling, and the share of the
    patrol window (e.g. 07:00–23:00) during which somebody was patrolling inside it.

    Cached per (grid, day) in `CoverageDay`: a track point arriving for that day in one of the grid's unit grids
    deletes the row (`services.tracks.forget_coverage`), and a row computed with another patrol day or gap than
    the norm's current one is recomputed. A grid that received points during the computation is returned but
    not cached."""
    grids = list(grids)
    norms = _norm_cache()
    cached = {c.grid_id: c for c in CoverageDay.objects.filter(day=day, grid_id__in=[g.pk for g in grids])}
    found, missing = {}, []
    for grid in grids:
        norm = norms(grid.region)
        window = _window(day, norm)
        row = cached.get(grid.pk)
        if row is not None and (row.window_start, row.window_end, row.gap_minutes) == (
            window[0], window[1], norm.track_gap_minutes,
        ):  # fmt: skip
            found[grid.pk] = GridCoverage(
                grid=grid,
                total=row.total,
                visited=set(row.visited),
                window_covered=timedelta(seconds=row.window_covered_s),
                window=window[1] - window[0],
            )
        else:
            missing.append(grid)
    if missing:
        last_point = TrackPoint.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        fresh = coverage_compute(day, missing)
        found.update((r.grid.pk, r) for r in fresh)
        _store(day, fresh, last_point, norms)
    return [found[g.pk] for g in grids]


def _store(day, rows, last_point: int, norms) -> None:
    start, end = day_bounds(day)
    ids = [r.grid.pk for r in rows]
    links = ResponsibilityGrid.unit_grids.through.objects.filter(responsibilitygrid_id__in=ids)
    members = defaultdict(set)
    touched_units = set(
        TrackPoint.objects.filter(
            recorded_at__gte=start,
            recorded_at__lt=end,
            pk__gt=last_point,
            unit_grid_id__in=links.values("unitgrid_id"),
        ).values_list("unit_grid_id", flat=True)
    )
    if touched_units:
        for grid_id, unit_id in links.filter(unitgrid_id__in=touched_units).values_list(
            "responsibilitygrid_id", "unitgrid_id"
        ):
            members[grid_id].add(unit_id)
    objs = []
    for r in rows:
        if members[r.grid.pk]:
            continue  # points arrived while computing: do not cache a value that may already be old
        norm = norms(r.grid.region)
        window = _window(day, norm)
        objs.append(
            CoverageDay(
                grid=r.grid,
                day=day,
                total=r.total,
                visited=sorted(r.visited),
                window_covered_s=r.window_covered.total_seconds(),
                window_start=window[0],
                window_end=window[1],
                gap_minutes=norm.track_gap_minutes,
            )
        )
    CoverageDay.objects.filter(day=day, grid_id__in=[o.grid_id for o in objs]).delete()
    CoverageDay.objects.bulk_create(objs, ignore_conflicts=True)


def coverage_compute(day: date, grids) -> list[GridCoverage]:
    """`coverage` without the cache. Each patroller's whole track of the day counts (also the points outside
    these grids), so a grid's value does not depend on which other grids are asked for with it."""
    grids = list(grids)
    links = ResponsibilityGrid.unit_grids.through.objects.filter(
        responsibilitygrid_id__in=[g.pk for g in grids]
    )
    members = defaultdict(set)
    for grid_id, unit_id in links.values_list("responsibilitygrid_id", "unitgrid_id"):
        members[grid_id].add(unit_id)
    start, end = day_bounds(day)
    points = defaultdict(list)
    day_points = TrackPoint.objects.filter(recorded_at__gte=start, recorded_at__lt=end)
    patrollers = day_points.filter(unit_grid_id__in=links.values("unitgrid_id")).values("user_id")
    for user_id, t, unit_id in (
        day_points.filter(user_id__in=patrollers)
        .order_by("user_id", "recorded_at")
        .values_list("user_id", "recorded_at", "unit_grid_id")
    ):
        points[user_id].append((t, unit_id))
    visited_units = {unit for pts in points.values() for _t, unit in pts}
    norms = _norm_cache()
    by_unit_per_gap = {}  # gap → unit grid → patrolling intervals starting in it (segments computed once)

    def intervals_by_unit(gap):
        if gap not in by_unit_per_gap:
            by_unit = defaultdict(list)
            for pts in points.values():
                for s, e, unit in _segments(pts, gap):
                    by_unit[unit].append((s, e))
            by_unit_per_gap[gap] = by_unit
        return by_unit_per_gap[gap]

    result = []
    for grid in grids:
        norm = norms(grid.region)
        window = _window(day, norm)
        units = members[grid.pk]
        by_unit = intervals_by_unit(timedelta(minutes=norm.track_gap_minutes))
        intervals = [iv for unit in units for iv in by_unit.get(unit, ())]
        result.append(
            GridCoverage(
                grid=grid,
                total=len(units),
                visited=visited_units & units,
                window_covered=_total(_intersect(intervals, [window])),
                window=window[1] - window[0],
            )
        )
    return result


@dataclass
class PatrolHours:
    user: object
    scheduled: timedelta
    patrolled: timedelta
    in_schedule: timedelta
    from_roster: bool
    first_point: datetime | None = None
    last_point: datetime | None = None

    @property
    def share(self) -> float:
        return self.in_schedule / self.scheduled if self.scheduled else 0.0

    @property
    def outside_schedule(self) -> timedelta:
        return self.patrolled - self.in_schedule


def patrol_hours(user, day: date, *, region=None) -> PatrolHours:
    """Hours a person patrolled on `day` against their schedule: their rostered shifts that day, or without
    any, the region's patrol day (Kaifeng: supervisors patrol 07:00–23:00)."""
    return patrol_hours_many([(user, region)], day)[0]


def patrol_hours_many(people, day: date) -> list[PatrolHours]:
    """`patrol_hours` for many (user, region) pairs in three queries."""
    start, end = day_bounds(day)
    norms = _norm_cache()
    user_ids = {user.pk for user, _region in people}
    schedules = defaultdict(list)
    for user_id, s, e in DutyAssignment.objects.filter(
        user_id__in=user_ids, shift__day=day, status=DutyAssignment.Status.ON_DUTY
    ).values_list("user_id", "shift__starts_at", "shift__ends_at"):
        schedules[user_id].append((s, e))
    lo = min([start] + [s for rows in schedules.values() for s, _e in rows])
    hi = max([end + timedelta(hours=8)] + [e for rows in schedules.values() for _s, e in rows])
    points = defaultdict(list)
    for user_id, t, unit in (
        TrackPoint.objects.filter(user_id__in=user_ids, recorded_at__gte=lo, recorded_at__lt=hi)
        .order_by("user_id", "recorded_at")
        .values_list("user_id", "recorded_at", "unit_grid_id")
    ):
        points[user_id].append((t, unit))
    result = []
    for user, region in people:
        norm = norms(region)
        schedule = schedules.get(user.pk, [])
        from_roster = bool(schedule)
        if not schedule:
            schedule = [(_at(day, norm.patrol_day_start), _at(day, norm.patrol_day_end))]
        day_lo = min([start] + [s for s, _e in schedule])
        day_hi = max([end] + [e for _s, e in schedule])
        mine = [p for p in points.get(user.pk, []) if day_lo <= p[0] < day_hi]
        segments = [(s, e) for s, e, _u in _segments(mine, timedelta(minutes=norm.track_gap_minutes))]
        result.append(
            PatrolHours(
                user=user,
                scheduled=_total(schedule),
                patrolled=_total(segments),
                in_schedule=_total(_intersect(segments, schedule)),
                from_roster=from_roster,
                first_point=mine[0][0] if mine else None,
                last_point=mine[-1][0] if mine else None,
            )
        )
    return result


def _at(day: date, moment) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment), timezone.get_current_timezone())


def _norm_cache():
    """norm_for() for many regions with one query: the norms table is small (a city and its districts)."""
    rows = None
    cache = {}

    def get(region):
        nonlocal rows
        key = region.pk if region is not None else None
        if key not in cache:
            if rows is None:
                rows = {n.region_id: n for n in Norm.objects.all()}
            ids = [int(x) for x in region.path.strip("/").split("/") if x] if region is not None else []
            found = next((rows[pk] for pk in reversed(ids) if pk in rows), None)
            cache[key] = found or norm_for(None)
        return cache[key]

    return get


def supervisor_hours(grids, day: date) -> list[tuple[ResponsibilityGrid, PatrolHours]]:
    pairs = [(grid, supervisor) for grid in grids for supervisor in grid.supervisors.all()]
    hours = patrol_hours_many([(supervisor, grid.region) for grid, supervisor in pairs], day)
    return [(grid, h) for (grid, _s), h in zip(pairs, hours, strict=True)]


def track_of(user, day: date):
    start, end = day_bounds(day)
    return TrackPoint.objects.filter(user=user, recorded_at__gte=start, recorded_at__lt=end).order_by(
        "recorded_at"
    )
