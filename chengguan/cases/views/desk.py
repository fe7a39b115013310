"""Desk pages: lists with filters and Excel export, the queues per role, case detail and actions."""

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from chengguan.catalog.models import FilingCondition, Severity
from chengguan.catalog.routing import RoutingTable
from chengguan.catalog.services import suggest_department
from chengguan.core.errors import DomainError
from chengguan.org.models import Region

from .. import workflow
from ..actionforms import DANGER, FIELDS, PRIMARY, REASON_REQUIRED, UNIT_LABELS, params_from_form
from ..duplicates import duplicate_candidates
from ..models import CaseRequest, Source, StockPhrase
from ..notify import notification_mark_read
from ..presenters import masked_reporter, may_reveal_reporter
from ..selectors import (
    case_for,
    case_list,
    department_workload,
    dispatcher_queue,
    inbox,
    reused_photos,
)
from ..services import case_act
from ..uploads import files_removed_on_error
from .queues import dispatch_departments, next_case_url, queue_of, queue_query, require_role

PAGE_SIZE = 50


def _date(value, end=False):
    try:
        day = datetime.strptime(value, "%Y-%m-%d").date()
    except (TypeError, ValueError):
        return None
    moment = datetime.combine(day, time.max if end else time.min)
    return timezone.make_aware(moment)


def filters_from(request) -> dict:
    g = request.GET
    return {
        "state": g.get("state") or None,
        "source": g.get("source") or None,
        "matter_code": (g.get("matter_code") or "").strip() or None,
        "district_id": g.get("district_id") if (g.get("district_id") or "").isdigit() else None,
        "number": (g.get("number") or "").strip() or None,
        "since": _date(g.get("since")),
        "until": _date(g.get("until"), end=True),
        "overdue": g.get("overdue") == "1",
        "q": (g.get("q") or "").strip() or None,
    }


def filter_context(request):
    return {
        "states": workflow.STATE_LABELS.items(),
        "sources": Source.choices,
        "districts": Region.objects.filter(level=Region.Level.DISTRICT).order_by("code"),
        "f": request.GET,
    }


@login_required
def case_list_page(request):
    now = timezone.now()
    qs = case_list(request.user, now=now, **filters_from(request)).order_by("-reported_at", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "now": now, "query": request.GET.urlencode(), **filter_context(request)}
    template = "cases/_list_rows.html" if request.htmx else "cases/list.html"
    return render(request, template, context)


@login_required
def case_export(request):
    from ..exports import cases_xlsx_response

    filters = filters_from(request)
    qs = case_list(request.user, now=timezone.now(), **filters).order_by("-reported_at", "-pk")
    return cases_xlsx_response(qs, user=request.user, filters=described_filters(filters))


def described_filters(filters: dict) -> list:
    """The list's filters as (label, value) for the export's title block."""
    district = filters["district_id"] and Region.objects.filter(pk=filters["district_id"]).first()
    return [
        (_("state"), workflow.STATE_LABELS.get(filters["state"], "") if filters["state"] else ""),
        (_("source"), dict(Source.choices).get(filters["source"], "") if filters["source"] else ""),
        (_("matter"), filters["matter_code"]),
        (_("district"), district.name if district else ""),
        (_("case number"), filters["number"]),
        (_("reported from"), f"{filters['since']:%Y-%m-%d}" if filters["since"] else ""),
        (_("reported until"), f"{filters['until']:%Y-%m-%d}" if filters["until"] else ""),
        (_("overdue"), _("yes") if filters["overdue"] else ""),
        (_("search"), filters["q"]),
    ]


def _panel_order(action):
    """The action the role is there for first (立案, 处置反馈, 核查 ...), then the others, destructive ones last."""
    if action in PRIMARY:
        return (0, PRIMARY.index(action))
    return (2 if action in DANGER else 1, 0)


def action_panels(user, case):
    """The forms for every action the user may take on the case now, the primary one first. A decision on a
    request (approve/deny an extension, deny a hang-up) is offered only while such a request is pending."""
    pending = set(case.requests.filter(status=CaseRequest.Status.PENDING).values_list("kind", flat=True))
    panels = []
    actions = [a for a in workflow.allowed_actions(user, case)
               if a not in workflow.REQUEST_DECISIONS or workflow.REQUEST_DECISIONS[a] in pending]  # fmt: skip
    phrases = {}
    for phrase in StockPhrase.objects.filter(is_active=True, action__in=actions):
        phrases.setdefault(phrase.action, []).append(phrase.text)
    for action in sorted(actions, key=_panel_order):
        fields = FIELDS.get(action, [])
        panel = {
            "action": action,
            "label": workflow.ACTION_LABELS[action],
            "fields": fields,
            "reason_required": action in REASON_REQUIRED,
            "danger": action in DANGER,
            "phrases": phrases.get(action, []),
        }
        if "department_id" in fields:
            panel["department_groups"] = dispatch_departments()
            suggestion = suggest_department(
                matter=case.matter, unit_grid=case.unit_grid, component=case.component
            )
            panel["suggested"] = suggestion
            if case.state != workflow.State.DISTRICT_DISPATCHED:
                panel["districts"] = [case.district]
        if "filing_condition_id" in fields:
            panel["conditions"] = FilingCondition.objects.filter(matter=case.matter, is_active=True)
        if "severity" in fields:
            panel["severities"] = Severity.choices
        if "unit" in fields:
            panel["units"] = UNIT_LABELS.items()
        if "target_id" in fields:
            panel["candidates"] = duplicate_candidates(case, user=user)
        panels.append(panel)
    return panels


@login_required
def case_detail_page(request, pk):
    case = case_for(request.user, pk)
    events = list(case.events.select_related("department", "assignee").prefetch_related("attachments"))
    photos = list(case.attachments.all())
    queue_url = request.GET.get("queue") or ""
    queue_url = queue_url if queue_of(queue_url, request.get_host()) else ""
    next_url = next_case_url(request.user, queue_url, request.get_host(), case.pk) if queue_url else None
    context = {
        "queue_url": queue_url,
        "next_url": next_url,
        "next": next_url or queue_url,
        "case": case,
        "now": timezone.now(),
        "events": events,
        "photos": photos,
        "reused": reused_photos(photos, request.user),
        "panels": action_panels(request.user, case),
        "pending": case.requests.filter(status=CaseRequest.Status.PENDING),
        "duplicates": duplicate_candidates(case, user=request.user) if case.is_open else [],
        "merged": case.merged_cases.all(),
        "reporter": masked_reporter(case),
        "may_reveal": may_reveal_reporter(request.user) and bool(case.reporter_name or case.reporter_phone),
        "map_data": {"lng": case.lng, "lat": case.lat, "number": case.number},
        "printable": printable_sheets(case, events),
    }
    return render(request, "cases/detail.html", context)


def printable_sheets(case, events) -> list[tuple[str, str]]:
    """The forms the case has to print (the viewer may open the case, so may print them)."""
    from django.urls import reverse

    done = {e.action for e in events}
    kinds = [("case", _("Case sheet"))]
    if "dispatch" in done:
        kinds.append(("dispatch", _("Dispatch sheet")))
    if done & {"request_extension", "request_hang_up"}:
        kinds.append(("request", _("Extension / hang-up approval form")))
    return [(label, reverse("cases:sheet", args=[case.pk, kind])) for kind, label in kinds]


def _safe_next(request, fallback):
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
def case_act_page(request, pk, action):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    case = case_for(request.user, pk)
    try:
        with files_removed_on_error(), transaction.atomic():  # a refused action keeps none of its photos
            params = params_from_form(action, request.POST, request.FILES, request.user)
            case = case_act(actor=request.user, case=case, action=action, **params)
    except DomainError as exc:
        messages.error(request, f"{workflow.ACTION_LABELS.get(action, action)}: {exc.message}")
        return redirect(case_detail_url(case, request.POST.get("queue")))
    messages.success(
        request,
        _("%(number)s: %(action)s done — now %(state)s")
        % {"number": case.number, "action": workflow.ACTION_LABELS[action], "state": case.state_label},
    )
    return redirect(_safe_next(request, case_detail_url(case)))


def case_detail_url(case, queue=None):
    """The case page; a refused action returns there and keeps the queue the user came from."""
    from urllib.parse import urlencode

    from django.urls import reverse

    url = reverse("cases:detail", args=[case.pk])
    return url + "?" + urlencode({"queue": queue}) if queue else url


@login_required
def dispatch_page(request):
    require_role(request.user, "dispatcher")
    now = timezone.now()
    queue = list(
        dispatcher_queue(request.user).select_related(
            "unit_grid__community", "component__unit_grid__community", "component__maintainer", "component__owner"
        )[:200]
    )
    routing = RoutingTable(c.matter_id for c in queue)  # one query for the whole queue
    rows, suggestions = [], {}
    for case in queue:
        key = (case.matter_id, case.unit_grid_id, case.component_id)  # many cases share a place and matter
        if key not in suggestions:
            suggestions[key] = routing.suggest(
                matter_id=case.matter_id, unit_grid=case.unit_grid, component=case.component
            )
        rows.append({"case": case, "suggestion": suggestions[key], "light": case.traffic_light(now)})
    pending = (
        CaseRequest.objects.filter(status=CaseRequest.Status.PENDING, case__in=case_list(request.user))
        .select_related("case", "department", "requested_by")
        .order_by("requested_at")
    )
    context = {
        "rows": rows,
        "now": now,
        "pending": pending,
        "workload": department_workload(request.user),
        "department_groups": dispatch_departments(),
        "query": queue_query(request.GET),
        "map_points": [
            {
                "id": r["case"].pk,
                "lng": r["case"].lng,
                "lat": r["case"].lat,
                "number": r["case"].number,
                "light": r["light"],
                "matter": r["case"].matter.name,
            }
            for r in rows
        ],  # fmt: skip
    }
    return render(request, "cases/dispatch.html", context)


@login_required
def notifications_page(request):
    if request.method == "POST":
        notification_mark_read(actor=request.user, at=timezone.now())
        return redirect("cases:notifications")
    page = Paginator(inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/notifications.html", {"page": page})
