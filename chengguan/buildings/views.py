"""Ledger pages: the list with filters and the same-day rate, the map, an item with its history and acts, the
register form, demolition projects with their progress and a campaign's tally from the ledger."""

import functools
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chengguan.core.errors import DomainError, PermissionDenied
from chengguan.enforcement.models import EnforcementCase
from chengguan.patrol.models import Campaign

from . import selectors, services
from .access import may, require_view
from .forms import BuildingForm
from .models import Category, IllegalBuilding, Source, Status, Use
from .workflow import LEADERS, OFFICERS, REGISTRARS, TRANSITIONS, VIEWERS


def viewers_only(view):
    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            require_view(request.user)
        except PermissionDenied as exc:
            raise HttpForbidden(exc.message) from exc
        return view(request, *args, **kwargs)

    return wrapper


def _day(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _filters(request) -> dict:
    g = request.GET
    year_start = date(timezone.localdate().year, 1, 1)
    return {"status": g.get("status", ""), "category": g.get("category", ""), "use": g.get("use", ""),
            "source": g.get("source", ""), "q": g.get("q", ""),
            "since": _day(g.get("since")) if "since" in g else year_start, "until": _day(g.get("until"))}


@require_GET
@viewers_only
def index(request):
    f = _filters(request)
    rows = selectors.buildings(request.user, **f)
    return render(request, "buildings/index.html", {
        "rows": rows.select_related("project")[:300], "f": f, "totals": selectors.totals(rows),
        "same_day": selectors.same_day_rate(rows), "statuses": Status.choices, "categories": Category.choices,
        "uses": Use.choices, "sources": Source.choices, "can_register": _can_register(request.user),
    })


def _can_register(user) -> bool:
    return any(may(user, REGISTRARS, a.region) for a in user.role_assignments.select_related("region") if a.region_id)


@require_GET
@viewers_only
def map_page(request):
    return render(request, "buildings/map.html", {"statuses": Status.choices})


@require_GET
@viewers_only
def geojson(request):
    rows = selectors.buildings(request.user, **{k: v for k, v in _filters(request).items() if k != "since"})
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [b.lng, b.lat]},
                 "properties": {"number": b.number, "address": b.address, "status": b.status,
                                "status_label": str(b.get_status_display()), "area": float(b.area_m2),
                                "category": str(b.get_category_display()), "url": reverse("buildings:detail", args=[b.pk])}}
                for b in rows[:2000]]
    return JsonResponse({"type": "FeatureCollection", "features": features}, json_dumps_params={"ensure_ascii": False})


@require_http_methods(["GET", "POST"])
@viewers_only
def new(request):
    form = BuildingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            b = services.building_register(actor=request.user, **data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("%(number)s entered in the ledger.") % {"number": b.number})
            return redirect("buildings:detail", pk=b.pk)
    return render(request, "buildings/new.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
@viewers_only
def detail(request, pk):
    b = selectors.building(request.user, pk)
    user = request.user
    acts = {act for act, (sources, _to, roles) in TRANSITIONS.items() if b.status in sources and may(user, roles,
                                                                                                       b.region)}
    return render(request, "buildings/detail.html", {
        "b": b, "acts": acts, "events": b.events.select_related("actor"),
        "cases": b.enforcement_cases.all(), "officer": may(user, OFFICERS, b.region),
        "links": may(user, OFFICERS | LEADERS, b.region), "today": timezone.localdate(),
    })


@require_POST
@viewers_only
def act(request, pk, name):
    b = selectors.building(request.user, pk)
    p, user = request.POST, request.user

    def link():
        number = p.get("case", "").strip()
        case = EnforcementCase.objects.filter(clue_number=number).first() or (
            EnforcementCase.objects.filter(number=number).first() if number else None)
        return services.building_link_case(actor=user, building=b, case=case)

    calls = {
        "stop": lambda: services.building_stop(actor=user, building=b, note=p.get("note", "")),
        "clue": lambda: services.building_open_clue(actor=user, building=b),
        "link": link,
        "retain": lambda: services.building_retain(actor=user, building=b, reason=p.get("reason", "")),
        "demolish": lambda: services.building_demolish(actor=user, building=b,
                                                       demolished_on=_day(p.get("demolished_on")),
                                                       area_m2=p.get("area_m2") or None, note=p.get("note", "")),
    }
    if name not in calls:
        raise Http404
    try:
        calls[name]()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done."))
    return redirect("buildings:detail", pk=b.pk)


@require_GET
@viewers_only
def projects(request):
    rows = list(selectors.projects(request.user))
    for p in rows:
        p.progress = selectors.project_progress(p)
    return render(request, "buildings/projects.html", {"rows": rows})


@require_GET
@viewers_only
def project(request, pk):
    p = selectors.project(request.user, pk)
    return render(request, "buildings/project.html", {
        "p": p, "progress": selectors.project_progress(p),
        "rows": p.buildings.select_related("region").order_by("status", "number"),
        "tally": selectors.campaign_tally(p.campaign) if p.campaign_id else None,
    })


@require_GET
@viewers_only
def campaign(request, pk):
    c = Campaign.objects.filter(pk=pk).select_related("region").first()
    if c is None or not may(request.user, VIEWERS, c.region):
        raise Http404
    rows = IllegalBuilding.objects.filter(campaign=c).select_related("region").order_by("status", "number")
    return render(request, "buildings/campaign.html", {"c": c, "tally": selectors.campaign_tally(c), "rows": rows})
