"""Running a party's sources over the fact tables: per member for a period, or in total per period."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F
from django.db.models.functions import TruncMonth, TruncQuarter, TruncWeek, TruncYear

from ..models import StepFact
from ..periods import Period
from .base import PartySpec, Source


@dataclass
class Measured:
    """Measures (raw sums) and indicator values per party member."""

    measures: dict = field(default_factory=lambda: defaultdict(int))

    def add(self, values: dict) -> None:
        for k, v in values.items():
            self.measures[k.removeprefix(PREFIX)] += v or 0


# Annotation names must not clash with fact columns of the same name (closed, handled, ...).
PREFIX = "m__"


def _annotations(source: Source, opts: dict) -> dict:
    return {PREFIX + k: v for k, v in source.measures(opts).items()}


def _scoped(source: Source, viewer, period: Period, opts: dict):
    qs = source.model.objects.filter(source.filter)
    qs = qs.filter(viewer.step_q() if source.model is StepFact else viewer.region_q())
    parent = opts.get("parent")
    if parent is not None:
        qs = qs.filter(community__path__startswith=parent.path)
    department = opts.get("department")
    if department is not None and source.model is StepFact:
        qs = qs.filter(department__path__startswith=department.path)
    return qs.filter(**{f"{source.date_field}__gte": period.start, f"{source.date_field}__lt": period.end})


def per_member(qs, group: str, annotations: dict):
    """(member key, {annotation: value}) of `qs` grouped by `group`, rows without a member left out."""
    for row in qs.values(group).annotate(**annotations).order_by():
        key = row.pop(group)
        if key is not None:
            yield key, row


def collect(spec: PartySpec, period: Period, viewer, **opts) -> dict:
    """{member key: Measured} for the period, within the viewer's scope."""
    out: dict = defaultdict(Measured)
    for source in spec.sources(opts):
        qs = _scoped(source, viewer, period, opts)
        for key, row in per_member(qs, source.group, _annotations(source, opts)):
            out[key].add(row)
    return out


TRUNC = {"week": TruncWeek, "month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


def collect_series(spec: PartySpec, periods: list[Period], viewer, **opts) -> list[dict]:
    """Total measures of each period (all members together), one query per source when the kind allows."""
    kind = periods[0].kind
    whole = Period(kind, periods[0].start, periods[-1].end)
    totals = {p.start: Measured() for p in periods}
    for source in spec.sources(opts):
        qs = _scoped(source, viewer, whole, opts)
        if kind in TRUNC or kind == "day":
            bucket = F(source.date_field) if kind == "day" else TRUNC[kind](source.date_field)
            rows = (
                qs.annotate(bucket=bucket).values("bucket").annotate(**_annotations(source, opts)).order_by()
            )
            for row in rows:
                start = row.pop("bucket")
                if hasattr(start, "date"):
                    start = start.date()
                if start in totals:
                    totals[start].add(row)
        else:
            for p in periods:
                row = _scoped(source, viewer, p, opts).aggregate(**_annotations(source, opts))
                totals[p.start].add(row)
    return [finish(spec, totals[p.start].measures) for p in periods]


def finish(spec: PartySpec, measures: dict) -> dict:
    """Measures plus derived counts plus every indicator's value (rates in %, None on a zero denominator)."""
    values = defaultdict(int, measures)
    values.update(spec.derived(values))
    out = dict(values)
    for ind in spec.indicators:
        if ind.is_rate:
            den = values[ind.den]
            out[ind.key] = round(100.0 * values[ind.num] / den, 2) if den else None
        else:
            out[ind.key] = values[ind.key]
    return out
