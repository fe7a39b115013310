"""Ranking pages per party and period, trend charts, the drill-down district → street → community → grid →
cases, the seeds' measures; every table exports to Excel with `?export=xlsx`."""

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chengguan.core import charts
from chengguan.core.errors import NotFound
from chengguan.grids.models import UnitGrid
from chengguan.org.models import Region

from ..export import xlsx_response
from ..indicators import LEVEL_LABELS, PARTIES, REGION_LEVELS
from ..measures import measures_tables
from ..models import CaseFact
from ..reports import child_level, party_report, party_trend
from ..tables import Column, Table, report_table
from .common import NO_VALUE_NOTE, page, period_context, period_from, viewer_for

PARTY_ORDER = ("region", "department", "supervisor", "operator", "shift_leader", "dispatcher")
CASE_PAGE = 100
EXPORT_LIMIT = 50_000


def _party_tabs(viewer):
    return [
        (key, PARTIES[key].label)
        for key in PARTY_ORDER
        if viewer.regions or viewer.everything or key == "department"
    ]


def _region(pk, viewer) -> Region:
    region = Region.objects.filter(pk=pk).first()
    if region is None or not viewer.covers_region(region):
        raise NotFound("No such region.")
    return region


def _breadcrumb(region: Region | None, viewer) -> list:
    if region is None:
        return []
    return [r for r in region.ancestors() if viewer.covers_region(r)]


def _region_link(level, period):
    def link(row):
        if level == "grid":
            return reverse("evaluation:grid", args=[row.key]) + f"?period={period.code}"
        return reverse("evaluation:region", args=[row.key]) + f"?period={period.code}"

    return link


@page
def index(request):
    viewer = viewer_for(request)
    return redirect(
        reverse("evaluation:rank", args=["region" if viewer.regions or viewer.everything else "department"])
    )


@page
def rank(request, party):
    viewer = viewer_for(request, party)
    period = period_from(request)
    level = request.GET.get("level") or "district"
    if level not in REGION_LEVELS:
        level = "district"
    parent = _region(request.GET["parent"], viewer) if request.GET.get("parent", "").isdigit() else None
    report = party_report(party, period, viewer, level=level, parent=parent)
    links = _region_link(level, period) if party == "region" else None
    table = report_table(report, links=links)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(f"{party}-{period.code}", table, user=request.user)
    trend = party_trend(party, period, viewer, level=level, parent=parent)
    return render(
        request,
        "evaluation/rank.html",
        {
            **period_context(request, period),
            "party": party,
            "spec": report.spec,
            "report": report,
            "table": table,
            "tabs": _party_tabs(viewer),
            "levels": [(k, LEVEL_LABELS[k]) for k in REGION_LEVELS],
            "level": level,
            "parent": parent,
            "chart": charts.line(_("Trend"), trend["periods"], trend["series"], y_max=100),
            "score_chart": _score_chart(report),
            "note": NO_VALUE_NOTE,
        },
    )


def _score_chart(report, limit: int = 15):
    """The best `limit` composite scores as bars; members without a score ("—") are not drawn."""
    scored = [(r.name, r.score) for r in report.rows if r.score is not None][:limit]
    if not scored:
        return ""
    return charts.bar(_("Composite score"), scored, height=f"{60 + 28 * len(scored)}px", x_max=100)


def _measure_charts(tables) -> list:
    by_id = {t.id: t for t in tables}
    out = []
    sources = by_id.get("sources")
    if sources and sources.rows:
        totals: dict = {}
        for row in sources.rows:
            totals[row["source"]] = totals.get(row["source"], 0) + row["reported"]
        out.append(charts.donut(_("Problems by source"), sorted(totals.items(), key=lambda kv: -kv[1])))
    matters = by_id.get("matters")
    if matters and matters.rows:
        items = [(row["name"], row["reported"]) for row in matters.rows]
        out.append(charts.bar(_("Top problem types"), items, height=f"{60 + 28 * len(items)}px"))
    return out


@page
def region(request, pk):
    viewer = viewer_for(request, "region")
    period = period_from(request)
    node = _region(pk, viewer)
    level = child_level(node)
    report = party_report("region", period, viewer, level=level, parent=node)
    table = report_table(report, links=_region_link(level, period))
    if request.GET.get("export") == "xlsx":
        return xlsx_response(f"region-{node.code}-{period.code}", table, user=request.user)
    own = party_report("region", period, viewer, level=_own_level(node), parent=node)
    mine = next((r for r in own.rows if r.key == node.pk), None)
    return render(
        request,
        "evaluation/region.html",
        {
            **period_context(request, period),
            "node": node,
            "breadcrumb": _breadcrumb(node, viewer),
            "row": mine,
            "spec": report.spec,
            "table": table,
            "child_label": LEVEL_LABELS[level],
            "note": NO_VALUE_NOTE,
        },
    )


def _own_level(region: Region) -> str:
    return {"district": "district", "street": "street", "community": "community"}.get(
        region.level, "district"
    )


@page
def grid(request, pk):
    viewer = viewer_for(request, "region")
    period = period_from(request)
    unit = UnitGrid.objects.select_related("community").filter(pk=pk).first()
    if unit is None or not viewer.covers_region(unit.community):
        raise NotFound("No such unit grid.")
    return _case_page(request, viewer, period, title=unit.code, grid=unit, region=unit.community)


@page
def cases(request):
    viewer = viewer_for(request, "region")
    period = period_from(request)
    node = _region(request.GET["region"], viewer) if request.GET.get("region", "").isdigit() else None
    return _case_page(request, viewer, period, title=node.name if node else _("all cases"), region=node)


FLAG_FILTERS = {
    "valid": {"valid": 1},
    "closed": {"closed": 1},
    "open": {"closed": 0, "valid": 1},
    "overdue": {"handled_overdue": 1},
    "reworked": {"reworked": 1},
    "hung_up": {"hung_up_now": 1},
    "public": {"is_public": 1},
}


def _case_page(request, viewer, period, *, title, region=None, grid=None):
    qs = CaseFact.objects.filter(viewer.region_q(), reported_on__gte=period.start, reported_on__lt=period.end)
    if grid is not None:
        qs = qs.filter(unit_grid=grid)
    elif region is not None:
        qs = qs.filter(community__path__startswith=region.path)
    flag = request.GET.get("flag", "")
    if flag in FLAG_FILTERS:
        qs = qs.filter(**FLAG_FILTERS[flag])
    qs = qs.select_related("case", "matter", "street", "community", "department").order_by(
        "-reported_at", "-case_id"
    )
    columns = [
        Column("number", _("case number")),
        Column("reported_at", _("reported at")),
        Column("matter", _("matter")),
        Column("source", _("source")),
        Column("street", _("street")),
        Column("community", _("community")),
        Column("department", _("department")),
        Column("state", _("state")),
        Column("closed_on_time", _("closed on time")),
        Column("reworked", _("reworked"), "int"),
        Column("extended", _("extended"), "int"),
        Column("hung_up", _("hung up"), "int"),
    ]
    export = request.GET.get("export") == "xlsx"
    if export:
        objects = qs[:EXPORT_LIMIT]
        page_obj = None
    else:
        page_obj = Paginator(qs, CASE_PAGE).get_page(request.GET.get("page"))
        objects = page_obj.object_list
    rows = [_case_row(f) for f in objects]
    table = Table("cases", f"{title} · {period.code}", columns, rows)
    if export:
        return xlsx_response(f"cases-{period.code}", table, user=request.user)
    return render(
        request,
        "evaluation/cases.html",
        {
            **period_context(request, period),
            "title": title,
            "region_node": region,
            "breadcrumb": _breadcrumb(region, viewer) if region else [],
            "grid": grid,
            "table": table,
            "page_obj": page_obj,
            "flags": list(FLAG_FILTERS),
            "flag": flag,
        },
    )


def _case_row(f) -> dict:
    from chengguan.cases.workflow import STATE_LABELS

    yes_no = {1: _("yes"), 0: _("no")}
    return {
        "number": f.case.number,
        "reported_at": f.reported_at.strftime("%Y-%m-%d %H:%M"),
        "matter": f.matter.name,
        "source": f.case.get_source_display(),
        "street": f.street.name,
        "community": f.community.name,
        "department": f.department.name if f.department else None,
        "state": str(STATE_LABELS.get(f.state, f.state)),
        "closed_on_time": yes_no[f.closed_on_time] if f.closed else None,
        "reworked": f.rework_count,
        "extended": f.extension_count,
        "hung_up": f.hang_up_count,
    }


@page
def measures(request):
    viewer = viewer_for(request, "region")
    period = period_from(request)
    tables = measures_tables(period, viewer)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(f"measures-{period.code}", *tables, user=request.user)
    return render(
        request,
        "evaluation/measures.html",
        {
            **period_context(request, period),
            "tables": tables,
            "charts": _measure_charts(tables),
            "tabs": _party_tabs(viewer),
            "note": NO_VALUE_NOTE,
        },
    )
