"""The command-centre screen (大屏) at /dashboard/: a shell page, panels refreshed by htmx polling, and GeoJSON
layers the map reloads by itself. Nothing is fetched from outside the site; there are no map tiles."""

import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from chengguan.core.errors import PermissionDenied
from chengguan.evaluation.access import Viewer
from chengguan.evaluation.charts import bar_chart

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
    return {
        "now": now,
        "kpi": selectors.kpis(viewer, now),
        "top_chart": bar_chart(selectors.top_matters(viewer, now), dark=True, color="#38bdf8"),
        "overdue": overdue,
        "refresh": REFRESH_SECONDS,
    }


@screen
def index(request, viewer):
    now = timezone.now()
    return render(
        request, "dashboard/index.html", {**_panels_context(viewer, now), "scope": _scope_name(viewer)}
    )


PARTS = {"kpis": "dashboard/_kpis.html", "side": "dashboard/_side.html"}


@screen
def panels(request, viewer):
    template = PARTS.get(request.GET.get("part", ""), PARTS["kpis"])
    return render(request, template, _panels_context(viewer, timezone.now()))


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
