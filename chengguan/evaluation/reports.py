"""Rankings: a party's indicator values per member, composite score, grade and rank for a period."""

from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db.models import Count, Q
from django.utils import timezone

from chengguan.core.errors import NotFound, ValidationError
from chengguan.grids.models import UnitGrid
from chengguan.org.models import Department, Region, User

from . import rollups
from .indicators import (
    LEVEL_FIELD,
    PARTIES,
    REGION_LEVELS,
    Measured,
    PartySpec,
    collect_series,
    finish,
)
from .periods import Period
from .scoring import ScoringConfig, load_config

# The level below each region level, for drill-down.
CHILD_LEVEL = {"city": "district", "district": "street", "street": "community", "community": "grid"}
GRID_COUNT_FIELD = {
    "district": "community__parent__parent",
    "street": "community__parent",
    "community": "community",
}


@dataclass
class Row:
    key: int
    name: str
    values: dict
    score: float | None = None
    grade: str | None = None
    rank: int | None = None
    unit_grids: int = 1
    shifts: int | None = None


@dataclass
class Report:
    spec: PartySpec
    period: Period
    rows: list
    totals: dict
    level: str = ""
    parent: Region | None = None
    config: ScoringConfig | None = None
    extra: dict = field(default_factory=dict)

    @property
    def party(self) -> str:
        return self.spec.key


def spec_or_404(party: str) -> PartySpec:
    spec = PARTIES.get(party)
    if spec is None:
        raise NotFound(f"Unknown party {party!r}; use one of {', '.join(PARTIES)}.", field="party")
    return spec


def check_level(level: str | None) -> str:
    level = level or "district"
    if level not in REGION_LEVELS:
        raise ValidationError(
            f"Unknown level {level!r}; use one of {', '.join(REGION_LEVELS)}.", field="level"
        )
    return level


def _names(party: str, level: str, keys) -> dict:
    keys = list(keys)
    if party == "department":
        return dict(Department.objects.filter(pk__in=keys).values_list("pk", "name"))
    if party == "region":
        if level == "grid":
            return dict(UnitGrid.objects.filter(pk__in=keys).values_list("pk", "code"))
        return dict(Region.objects.filter(pk__in=keys).values_list("pk", "name"))
    return {u.pk: str(u) for u in User.objects.filter(pk__in=keys).only("pk", "username", "full_name")}


def _region_members(level: str, viewer, parent: Region | None) -> dict:
    """Regions (or grids) of a level in scope, so that a region without cases is still ranked."""
    if level == "grid":
        if parent is None:
            return {}
        qs = UnitGrid.objects.filter(community__path__startswith=parent.path)
        qs = qs.filter(viewer.region_q()) if not viewer.everything else qs
        return dict(qs.values_list("pk", "code"))
    qs = Region.objects.filter(level=level)
    if parent is not None:
        qs = qs.filter(path__startswith=parent.path)
    if not viewer.everything:
        parts = [Q(path__startswith=p) for p in viewer.regions]
        qs = qs.filter(reduce(or_, parts)) if parts else qs.none()
    return dict(qs.values_list("pk", "name"))


def _unit_grid_counts(level: str, keys) -> dict:
    if level == "grid":
        return {}
    field_name = GRID_COUNT_FIELD[level]
    rows = (
        UnitGrid.objects.filter(**{f"{field_name}__in": list(keys)})
        .values(field_name)
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r[field_name]: r["n"] for r in rows}


def supervisor_area(keys) -> dict:
    """user id → unit grids of the responsibility grids the supervisor patrols (their grid area)."""
    rows = (
        UnitGrid.objects.filter(responsibility_grids__supervisors__in=list(keys))
        .values("responsibility_grids__supervisors")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    return {r["responsibility_grids__supervisors"]: r["n"] for r in rows}


def supervisor_shifts(keys, period) -> dict:
    """user id → duty shifts worked (on duty, not on leave) that started in the period, from the patrol roster."""
    from chengguan.patrol.models import DutyAssignment

    rows = (
        DutyAssignment.objects.filter(
            user_id__in=list(keys),
            status=DutyAssignment.Status.ON_DUTY,
            shift__day__gte=period.start,
            shift__day__lt=period.end,
        )
        .values("user_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {r["user_id"]: r["n"] for r in rows}


def party_report(
    party: str,
    period: Period,
    viewer,
    *,
    level: str | None = None,
    parent: Region | None = None,
    now=None,
    config: ScoringConfig | None = None,
) -> Report:
    spec = spec_or_404(party)
    viewer.require(party)
    level = check_level(level) if party == "region" else ""
    if parent is not None and not viewer.covers_region(parent):
        raise NotFound("No such region.", field="parent")
    now = now or timezone.now()
    measured = rollups.collect(spec, period, viewer, level=level, parent=parent, now=now)
    if party == "region":
        members = _region_members(level, viewer, parent)
        for key in members:
            measured.setdefault(key, Measured())
        names = {**_names(party, level, [k for k in measured if k not in members]), **members}
    else:
        names = _names(party, level, measured.keys())
    config = config or load_config()
    grids = _unit_grid_counts(level, measured.keys()) if party == "region" else {}
    shifts = {}
    if party == "supervisor":  # the divisors only where a ladder of the scheme asks for them
        ladders = [t.ladder for t in config.schemes.get(party, ()) if t.ladder is not None]
        if any(lad.per_unit_grid for lad in ladders):
            grids = supervisor_area(measured.keys())
        if any(lad.per_shift for lad in ladders):
            shifts = supervisor_shifts(measured.keys(), period)
    rows = []
    total = Measured()
    for key, m in measured.items():
        total.add(m.measures)
        values = finish(spec, m.measures)
        if party == "supervisor":
            unit_grids = grids.get(key, 1)
        else:
            unit_grids = grids.get(key, 0) if party == "region" and level != "grid" else 1
        row = Row(key=key, name=names.get(key, str(key)), values=values, unit_grids=unit_grids,
                  shifts=shifts.get(key))  # fmt: skip
        if spec.is_active(values):
            row.score = config.score(party, values, period=period, unit_grids=unit_grids, shifts=row.shifts)
        row.grade = config.grade(row.score)
        rows.append(row)
    rank_rows(rows)
    return Report(spec, period, rows, finish(spec, total.measures), level=level, parent=parent, config=config)


def rank_rows(rows: list[Row]) -> None:
    """Best score first; equal scores share a rank (1, 2, 2, 4); members without a score come last, unranked."""
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.name))
    previous, rank = None, 0
    for i, row in enumerate(rows, 1):
        if row.score is None:
            row.rank = None
            continue
        if row.score != previous:
            rank, previous = i, row.score
        row.rank = rank


def party_trend(
    party: str, period: Period, viewer, *, n: int = 12, level=None, parent=None, now=None
) -> dict:
    """The party's trend indicators over the `n` periods ending with `period`, for all members in scope."""
    spec = spec_or_404(party)
    viewer.require(party)
    periods = period.series(n)
    series = collect_series(
        spec, periods, viewer, level=check_level(level), parent=parent, now=now or timezone.now()
    )
    return {
        "periods": [p.code for p in periods],
        "series": [
            (next(i.label for i in spec.indicators if i.key == key), [values.get(key) for values in series])
            for key in spec.trend
        ],
    }


def region_level(region: Region) -> str:
    return region.level


def child_level(region: Region | None) -> str:
    return CHILD_LEVEL.get(region.level if region else "city", "district")


def level_field(level: str) -> str:
    return LEVEL_FIELD[level]
