"""Staff pages: the application queue, the counter form, an application with its acts and history, the vending
zones, and the patrol check (register map → finding → enforcement clue)."""

import functools
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chengguan.core import workcalendar
from chengguan.core.errors import DomainError, PermissionDenied

from . import selectors, services
from .access import FINDERS, can_handle, may, require_handle
from .documents import permit_docx
from .forms import ApplicationForm, FindingForm, lines
from .models import Application, Kind
from .workflow import APPROVERS, DECIDERS, TRANSITIONS


def handlers_only(view):
    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            require_handle(request.user)
        except PermissionDenied as exc:
            raise HttpForbidden(exc.message) from exc
        return view(request, *args, **kwargs)

    return wrapper


def light(a: Application, now) -> str:
    due = a.due
    if due is None:
        return ""
    start = a.acceptance_started_at if a.status == "submitted" else a.accepted_at
    return workcalendar.traffic_light(start, due, now, "working_days")


@require_GET
@handlers_only
def index(request):
    now = timezone.now()
    status = request.GET.get("status", "open")
    kind = request.GET.get("kind", "")
    rows = selectors.applications(request.user, status=status, kind=kind, q=request.GET.get("q", ""))
    if request.GET.get("overdue"):
        rows = rows.filter(Q(status="submitted", acceptance_due__lt=now) | Q(status="accepted", decision_due__lt=now))
    rows = list(rows[:200])
    for a in rows:
        a.light = light(a, now)
    return render(request, "permits/index.html", {
        "rows": rows, "status": status, "kind": kind, "kinds": Kind.choices, "statuses": Application.Status.choices,
        "q": request.GET.get("q", ""),
    })


@require_http_methods(["GET", "POST"])
@handlers_only
def new(request):
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            a = services.application_submit(actor=request.user, channel="counter", **form.service_kwargs())
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Application %(number)s registered.") % {"number": a.number})
            return redirect("permits:detail", pk=a.pk)
    return render(request, "permits/new.html", {"form": form}, status=400 if form.errors else 200)


def _acts(user, a: Application) -> set[str]:
    out = set()
    for act, (sources, _to, roles) in TRANSITIONS.items():
        if a.status in sources and roles is not None and may(user, roles, a.region):
            out.add(act)
    if a.status == "notice" and can_handle(user):
        out.add("resubmit")
    if a.extended_at is not None:
        out.discard("extend")
    if a.status == "granted" and can_handle(user):
        out.add("renew")
    return out


@require_GET
@handlers_only
def detail(request, pk):
    a = selectors.application(request.user, pk)
    now = timezone.now()
    first_notice = a.events.filter(act="notice").order_by("at", "pk").first()
    return render(request, "permits/detail.html", {
        "a": a, "light": light(a, now), "acts": _acts(request.user, a),
        "events": a.events.select_related("actor"), "renewals": a.renewals.all(),
        "first_notice": first_notice.payload.get("missing_items", []) if first_notice else [],
        "decider": may(request.user, DECIDERS, a.region), "approver": may(request.user, APPROVERS, a.region),
    })


def _date(value, field):
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise DomainError(_("Give a date."), field=field) from exc


@require_POST
@handlers_only
def act(request, pk, name):
    a = selectors.application(request.user, pk)
    p, user = request.POST, request.user
    calls = {
        "accept": lambda: services.application_accept(actor=user, application=a),
        "notice": lambda: services.application_notice(actor=user, application=a, missing_items=lines(p.get("items"))),
        "resubmit": lambda: services.application_resubmit(actor=user, application=a,
                                                          materials=lines(p.get("materials"))),
        "extend": lambda: services.application_extend(actor=user, application=a, reason=p.get("reason", "")),
        "grant": lambda: services.application_grant(actor=user, application=a,
                                                    valid_from=_date(p.get("valid_from"), "valid_from"),
                                                    valid_to=_date(p.get("valid_to"), "valid_to")),
        "refuse": lambda: services.application_refuse(actor=user, application=a, reason=p.get("reason", "")),
        "not_accept": lambda: services.application_not_accept(actor=user, application=a, reason=p.get("reason", "")),
        "renew": lambda: services.permit_renew(actor=user, permit=a, channel="counter",
                                               requested_to=_date(p.get("requested_to"), "requested_to")),
    }
    if name not in calls:
        raise HttpForbidden(_("Unknown act."))
    try:
        out = calls[name]()
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("permits:detail", pk=a.pk)
    messages.success(request, _("Done."))
    return redirect("permits:detail", pk=out.pk)


@require_GET
@handlers_only
def document(request, pk):
    a = selectors.application(request.user, pk)
    if not a.permit_number:
        raise HttpForbidden(_("This application has no permit."))
    response = HttpResponse(permit_docx(a), content_type=(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))
    response["Content-Disposition"] = f'attachment; filename="permit-{a.number}.docx"'
    return response


@require_GET
@handlers_only
def zones(request):
    return render(request, "permits/zones.html", {"zones": selectors.zones()})


@login_required
@require_http_methods(["GET", "POST"])
def check(request):
    """巡查核验: the register's permits and the zones on a map; a sign or stall found without a permit is recorded
    and an officer opens the enforcement clue."""
    user = request.user
    if not (can_handle(user) or any(may(user, FINDERS, r) for r in _regions(user))):
        raise HttpForbidden(_("Your roles do not include permit checks."))
    form = FindingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            f = services.finding_record(actor=user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            if f.permit_id:
                messages.info(request, _("A valid permit covers this place: %(number)s.")
                              % {"number": f.permit.permit_number})
            else:
                messages.warning(request, _("No valid permit here: the finding is recorded."))
            return redirect("permits:check")
    findings = list(selectors.findings(user)[:50]) if can_handle(user) else []
    return render(request, "permits/check.html", {"form": form, "findings": findings},
                  status=400 if form.errors else 200)


def _regions(user):
    return [a.region for a in user.role_assignments.select_related("region") if a.region_id]


@require_POST
@handlers_only
def finding_clue(request, pk):
    f = selectors.findings(request.user).filter(pk=pk).first()
    if f is None:
        raise HttpForbidden(_("No such finding."))
    try:
        clue = services.finding_open_clue(actor=request.user, finding=f)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Enforcement clue %(number)s opened.") % {"number": clue.clue_number})
    return redirect("permits:check")


@require_GET
def register_geojson(request):
    """Valid permits and vending zones as GeoJSON for the maps (public: the register holds no personal data)."""
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [r["lng"], r["lat"]]},
                 "properties": {"kind": "permit", **r}}
                for r in map(selectors.register_row, selectors.register()) if r["lng"] is not None]
    for z in selectors.zones():
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [z.lng, z.lat]},
                         "properties": {"kind": "zone", "name": z.name, "capacity": z.capacity, "free": z.free,
                                        "hours": f"{z.opens_at:%H:%M}–{z.closes_at:%H:%M}"}})
    return JsonResponse({"type": "FeatureCollection", "features": features}, json_dumps_params={"ensure_ascii": False})
