"""`/api/v1/evaluation/`: rankings per party and period, the seeds' measures, and notices.

    GET /api/v1/evaluation/{party}?period=2026-11[&level=street&parent=<region id>]

A bad period is a 422 naming `period`; an unknown party a 404; a region outside the caller's scope a 404;
a caller without an evaluation role a 403. Rates are percentages; no value (zero denominator) is `null`.
"""

from django.http import Http404
from ninja import Router

from chengguan.org.models import Region

from .access import Viewer
from .measures import measures_tables
from .periods import parse_period
from .reports import party_report
from .tables import as_json

router = Router(tags=["evaluation"])


def _parent(parent: int | None, viewer):
    if parent is None:
        return None
    region = Region.objects.filter(pk=parent).first()
    if region is None or not viewer.covers_region(region):
        raise Http404
    return region


@router.get("/measures")
def measures(request, period: str = ""):
    """The seeds' measures: discovery, disposal, rectification and closure rates, sources, "721"."""
    viewer = Viewer(request.user)
    viewer.require("region")
    p = parse_period(period)
    return {"period": p.code, "tables": [as_json(t) for t in measures_tables(p, viewer)]}


@router.get("/{party}")
def ranking(request, party: str, period: str = "", level: str = "", parent: int | None = None):
    """The ranking of one party (supervisor, operator, shift_leader, dispatcher, department, region)."""
    viewer = Viewer(request.user)
    p = parse_period(period)
    report = party_report(party, p, viewer, level=level or None, parent=_parent(parent, viewer))
    return {
        "party": party,
        "period": {"code": p.code, "kind": p.kind, "start": p.start, "end": p.last},
        "level": report.level or None,
        "indicators": [
            {"key": i.key, "label": str(i.label), "rate": i.is_rate, "better": i.better or None}
            for i in report.spec.indicators
        ],
        "rows": [
            {
                "key": r.key,
                "name": r.name,
                "rank": r.rank,
                "score": r.score,
                "grade": r.grade,
                "values": {i.key: r.values.get(i.key) for i in report.spec.indicators},
            }
            for r in report.rows
        ],
        "totals": {i.key: report.totals.get(i.key) for i in report.spec.indicators},
    }
