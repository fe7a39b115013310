"""The command-centre screen (大屏) at /dashboard/: a shell page, panels refreshed by htmx polling, and GeoJSON
layers the map reloads by itself. Nothing is fetched from outside the site; there are no map tiles."""

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chengguan.core import charts
from chengguan.core.errors import PermissionDenied
from chengguan.evaluation.access import Viewer

from . import selectors

REFRESH_SECONDS = 30


def screen(view):
    @login_required
    @require_GET
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        viewer = Viewer(request.user)
        try:
            viewer.require("region")
        except PermissionDenied as exc:
            raise HttpForbidden(exc.message) from exc
        return view(request, viewer, *args, **kwargs)

    return wrapper


def _case_url(pk):
    try:
        return reverse("cases:detail", args=[pk])
    except NoReverseMatch:
        return None


def _panels_context(viewer, now):
    overdue = selectors.overdue(viewer, now)
    for row in overdue:
        row["url"] = _case_url(row["case"].pk)
    kpi = selectors.kpis(viewer, now)
    return {
        "now": now,
        "kpi": kpi,
        "overdue": overdue,
        "refresh": REFRESH_SECONDS,
    }


def _chart_context(viewer, now, part):
    """The charts of one column only: the htmx refresh of a column runs its own queries, not all."""
    if part == "left":
        sources = selectors.sources(viewer, now)
        trend = selectors.daily_trend(viewer, now)
        return {
            "sources_chart": charts.donut(_("Reports by source (7 days)"), sources, dark=True, height="100%")
            if sources
            else "",
            "trend_chart": charts.line(
                _("Reported and closed per day (14 days)"),
                trend["days"],
                [(_("reported"), trend["reported"]), (_("closed"), trend["closed"])],
                dark=True,
                unit="",
                height="100%",
            ),
        }
    top = selectors.top_matters(viewer, now)
    return {
        "top_chart": charts.bar(
            _("Top problem types (7 days)"), top, dark=True, color="#38bdf8", height="100%"
        )
        if top
        else "",
    }


def _timeliness_chart(kpi):
    working = kpi["open"] - kpi["hung"]
    items = [
        (_("within the time limit"), max(working - kpi["red_working"], 0)),
        (_("overdue"), kpi["red_working"]),
        (_("hung up"), kpi["hung"]),
    ]
    if not kpi["open"]:
        return ""
    return charts.donut(
        _("Open cases by timeliness"),
        items,
        dark=True,
        colors=["#22c55e", "#ef4444", "#94a3b8"],
        height="100%",
    )


@screen
def index(request, viewer):
    now = timezone.now()
    context = _panels_context(viewer, now)
    context.update(_chart_context(viewer, now, "left"))
    context.update(_chart_context(viewer, now, "side"))
    context["timeliness_chart"] = _timeliness_chart(context["kpi"])
    return render(request, "dashboard/index.html", {**context, "scope": _scope_name(viewer)})


PARTS = {"kpis": "dashboard/_kpis.html", "side": "dashboard/_side.html", "left": "dashboard/_left.html"}


@screen
def panels(request, viewer):
    part = request.GET.get("part", "")
    part = part if part in PARTS else "kpis"
    now = timezone.now()
    context = _panels_context(viewer, now)
    if part != "kpis":
        context.update(_chart_context(viewer, now, part))
        context["timeliness_chart"] = _timeliness_chart(context["kpi"])
    return render(request, PARTS[part], context)


@screen
def cases_geojson(request, viewer):
    return JsonResponse(selectors.case_features(viewer, timezone.now()))


@screen
def grids_geojson(request, viewer):
    return JsonResponse(selectors.grid_features(viewer))


@screen
def regions_geojson(request, viewer):
    return JsonResponse(selectors.region_features(viewer))


@screen
def supervisors_geojson(request, viewer):
    return JsonResponse(selectors.supervisor_features(viewer, timezone.now()))


def _scope_name(viewer) -> str:
    if viewer.everything:
        return ""
    from chengguan.org.models import Region

    return "、".join(Region.objects.filter(path__in=viewer.regions).values_list("name", flat=True))
