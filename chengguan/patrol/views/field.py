"""Field pages: the mobile patrol tracker, coverage and patrol hours, campaigns and joint operations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.catalog.models import MatterType
from chengguan.enforcement.models import EnforcementCase
from chengguan.org.models import Region

from ..access import EVERYONE_IN_PATROL, INSPECTORS, MANAGERS, OPERATION_STAFF, may
from ..forms import AdHocOperationForm, CompleteOperationForm, FollowUpForm
from ..models import Campaign, JointOperation
from ..selectors import campaigns as campaign_sel
from ..selectors import tracks as track_sel
from ..services import campaigns as campaign_services
from ..services import links
from ..services.links import campaign_link_matching_cases
from ..services.tracks import may_track
from .common import attempt, form_errors, parse_day, regions_for, require_page


@login_required
def mobile(request):
    """The phone page: start/stop patrolling; points are queued on the phone and sent in batches."""
    if not may_track(request.user):
        raise DjangoPermissionDenied
    today = timezone.localdate()
    points = track_sel.track_of(request.user, today).count()
    return render(request, "patrol/mobile.html", {"points_today": points, "today": today})


@login_required
def coverage_page(request):
    require_page(request.user, EVERYONE_IN_PATROL)
    day = parse_day(request.GET.get("day"))
    grids = track_sel.grids_in_scope(request.user).prefetch_related("supervisors")
    context = {
        "day": day,
        "coverage": track_sel.coverage(day, grids),
        "hours": track_sel.supervisor_hours(grids, day),
    }
    return render(request, "patrol/coverage.html", context)


@login_required
def campaign_list(request):
    require_page(request.user, EVERYONE_IN_PATROL)
    day = timezone.localdate()
    campaigns = campaign_sel.campaigns_in_scope(request.user).prefetch_related("targets__matter")
    rows = [campaign_sel.campaign_progress(c, day) for c in campaigns[:100]]
    return render(request, "patrol/campaigns.html", {"rows": rows})


@login_required
def campaign_detail(request, pk: int):
    campaign = get_object_or_404(campaign_sel.campaigns_in_scope(request.user), pk=pk)
    matters = [
        (t.matter.code, f"{t.matter.code} {t.matter.name}") for t in campaign.targets.select_related("matter")
    ]
    if request.method == "POST":
        action = request.POST.get("form")
        if action == "follow_up":
            form = FollowUpForm(request.POST)
            form.fields["matter"].choices = [("", "—"), *matters]
            if form.is_valid():
                data = form.cleaned_data
                matter = (
                    MatterType.objects.filter(code=data.pop("matter")).first() if data.get("matter") else None
                )
                data.pop("matter", None)
                attempt(
                    request,
                    lambda: campaign_services.follow_up_record(
                        actor=request.user, campaign=campaign, matter=matter, **data
                    ),
                    _("Follow-up check recorded."),
                )
            else:
                form_errors(request, form)
        elif action in ("start", "finish", "cancel"):
            service = {
                "start": campaign_services.campaign_start,
                "finish": campaign_services.campaign_finish,
                "cancel": campaign_services.campaign_cancel,
            }[action]
            attempt(request, lambda: service(actor=request.user, campaign=campaign), _("Saved."))
        elif action in ("point_add", "point_remove"):
            _campaign_point_form(request, campaign, action)
        elif action == "link_cases":
            attempt(
                request,
                lambda: campaign_link_matching_cases(actor=request.user, campaign=campaign),
                _("Matching cases linked."),
            )
        return redirect(request.path)
    follow_form = FollowUpForm(initial={"checked_on": timezone.localdate()})
    follow_form.fields["matter"].choices = [("", "—"), *matters]
    context = {
        "campaign": campaign,
        "progress": campaign_sel.campaign_progress(campaign, timezone.localdate()),
        "operations": campaign.operations.select_related("region").order_by("-created_at")[:50],
        "follow_ups": campaign.follow_ups.select_related("checker", "matter")[:50],
        "follow_form": follow_form,
        "can_check": may(request.user, INSPECTORS, campaign.region),
        "can_manage": may(request.user, MANAGERS, campaign.region),
        "points": list(campaign.points.select_related("unit_grid", "matter")),
        "matters": matters,
    }
    context["map_points"] = [{"lng": p.lng, "lat": p.lat, "label": p.name} for p in context["points"]]
    return render(request, "patrol/campaign_detail.html", context)


def _campaign_point_form(request, campaign, action):
    """Add a target place from the map picker (GCJ-02 lng/lat) or remove one; refusals show on the page."""
    from ..services import campaign_points

    post = request.POST
    if action == "point_remove":
        point = campaign.points.filter(pk=post.get("point")).first()
        if point is not None:
            attempt(request, lambda: campaign_points.campaign_point_remove(actor=request.user, point=point),
                    _("Place removed."))
        return
    code = post.get("matter") or ""
    matter = MatterType.objects.filter(code=code).first() if code else None
    attempt(request, lambda: campaign_points.campaign_point_add(
        actor=request.user, campaign=campaign, name=post.get("name", ""), lng=post.get("lng"), lat=post.get("lat"),
        address=post.get("address", ""), matter=matter, note=post.get("note", "")), _("Place added."))


def _operation_form(user, data=None):
    form = AdHocOperationForm(data)
    form.fields["region"].choices = [
        (r.pk, r.name)
        for r in regions_for(user, OPERATION_STAFF, levels=(Region.Level.DISTRICT, Region.Level.STREET))
    ]
    form.fields["campaign"].choices = [("", "—")] + [
        (c.pk, c.name) for c in campaign_sel.campaigns_in_scope(user).filter(status=Campaign.Status.RUNNING)
    ]
    return form


@login_required
def operation_list(request):
    require_page(request.user, EVERYONE_IN_PATROL)
    if request.method == "POST":
        form = _operation_form(request.user, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            region = get_object_or_404(Region, pk=data["region"])
            campaign = None
            if data["campaign"]:
                campaign = get_object_or_404(
                    campaign_sel.campaigns_in_scope(request.user), pk=data["campaign"]
                )
            holder = {}

            def start():
                holder["op"] = campaign_services.operation_start_ad_hoc(
                    actor=request.user,
                    title=data["title"],
                    region=region,
                    area=data["area"],
                    campaign=campaign,
                )

            if attempt(request, start, _("Operation started.")):
                return redirect("patrol:operation", pk=holder["op"].pk)
        else:
            form_errors(request, form)
        return redirect(request.path)
    operations = campaign_sel.operations_in_scope(request.user)
    status = request.GET.get("status")
    if status:
        operations = operations.filter(status=status)
    context = {
        "operations": operations[:200],
        "form": _operation_form(request.user) if may(request.user, OPERATION_STAFF) else None,
        "statuses": JointOperation.Status.choices,
        "status": status,
    }
    return render(request, "patrol/operations.html", context)


@login_required
def operation_detail(request, pk: int):
    operation = get_object_or_404(campaign_sel.operations_in_scope(request.user), pk=pk)
    target_matters = (
        list(operation.campaign.targets.select_related("matter")) if operation.campaign_id else []
    )
    if request.method == "POST":
        action = request.POST.get("form")
        if action == "complete":
            form = CompleteOperationForm(request.POST)
            if form.is_valid():
                results = {}
                for t in target_matters:
                    raw = request.POST.get(f"result_{t.matter.code}", "").strip()
                    if raw.isdigit() and int(raw):
                        results[t.matter] = int(raw)
                attempt(
                    request,
                    lambda: campaign_services.operation_complete(
                        actor=request.user, operation=operation, results=results, **form.cleaned_data
                    ),
                    _("Operation completed."),
                )
            else:
                form_errors(request, form)
        elif action == "start":
            attempt(
                request,
                lambda: campaign_services.operation_start(actor=request.user, operation=operation),
                _("Operation started."),
            )
        elif action == "cancel":
            attempt(
                request,
                lambda: campaign_services.operation_cancel(
                    actor=request.user, operation=operation, reason=request.POST.get("reason", "")
                ),
                _("Operation cancelled."),
            )
        elif action == "enforcement_link":
            number = (request.POST.get("number") or "").strip()
            found = (
                EnforcementCase.objects.filter(Q(clue_number=number) | Q(number=number)).first()
                if number
                else None
            )
            if found is None:
                messages.error(request, _("No enforcement case or clue numbered “%(n)s”.") % {"n": number})
            else:
                attempt(
                    request,
                    lambda: links.operation_enforcement_case_link(
                        actor=request.user, operation=operation, enforcement_case=found
                    ),
                    _("Enforcement case linked."),
                )
        return redirect(request.path)
    context = {
        "operation": operation,
        "results": operation.results.select_related("matter"),
        "complete_form": CompleteOperationForm(),
        "target_matters": target_matters,
        "can_act": may(request.user, OPERATION_STAFF, operation.region),
        "cases": operation.cases.select_related("matter")[:100],
        "enforcement_cases": operation.enforcement_cases.order_by("pk")[:100],
    }
    return render(request, "patrol/operation_detail.html", context)
