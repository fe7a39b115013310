"""Reporting from a page: the supervisor's phone (`/m/`) and the operator's desk (hotline calls)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.catalog.models import FilingCondition, MatterType, Severity
from chengguan.catalog.services import matter_for_code
from chengguan.core.errors import DomainError, ValidationError

from ..duplicates import duplicate_candidates
from ..evidence import attachments_create
from ..models import Source
from ..selectors import reused_photos, supervisor_tasks, visible_cases
from ..services import case_report
from ..uploads import files_removed_on_error
from .desk import action_panels, require_role


def _float(value, field):
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(_("Locate the problem first (no position)."), field=field) from exc


def report_from_form(request, *, source: str):
    post = request.POST
    with files_removed_on_error(), transaction.atomic():
        photos = [
            a.pk for a in attachments_create(actor=request.user, files=request.FILES.getlist("photos"), kind="before")
        ]
        return case_report(
            actor=request.user,
            source=source,
            matter=matter_for_code((post.get("matter_code") or "").strip()),
            lng=_float(post.get("lng"), "lng"),
            lat=_float(post.get("lat"), "lat"),
            crs=post.get("crs") or "wgs84",
            description=post.get("description") or "",
            address=post.get("address") or "",
            severity=post.get("severity") or None,
            reporter_name=post.get("reporter_name") or "",
            reporter_phone=post.get("reporter_phone") or "",
            photos=photos,
            channel_ref=post.get("channel") or ("app" if source == Source.SUPERVISOR else "web"),
        )


@login_required
def matter_search(request):
    """`/m/matters?q=`: matter types by code or name, as <option>s for the search box (htmx)."""
    q = (request.GET.get("q") or request.GET.get("matter_code") or "").strip()
    qs = MatterType.objects.filter(is_active=True)
    if q:
        qs = qs.filter(Q(code__startswith=q) | Q(name__icontains=q) | Q(major_name__icontains=q))
    matters = list(qs.order_by("code")[:30])
    needs_photo = set(
        FilingCondition.objects.filter(matter__in=matters, is_active=True, photo_required=True).values_list(
            "matter_id", flat=True
        )
    )
    for m in matters:
        m.photo_required = m.pk in needs_photo
    return render(request, "cases/_matter_options.html", {"matters": matters})


@login_required
def mobile_home(request):
    require_role(request.user, "supervisor")
    now = timezone.now()
    mine = visible_cases(request.user).filter(reporter=request.user).select_related("matter")[:20]
    context = {"tasks": supervisor_tasks(request.user), "mine": mine, "now": now}
    return render(request, "cases/mobile/home.html", context)


@login_required
def mobile_report(request):
    require_role(request.user, "supervisor")
    if request.method == "POST":
        try:
            case = report_from_form(request, source=Source.SUPERVISOR)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Reported as %(number)s.") % {"number": case.number})
            duplicates = duplicate_candidates(case, user=request.user)
            if duplicates:
                messages.warning(
                    request,
                    _("Possible duplicate of %(numbers)s nearby.")
                    % {"numbers": ", ".join(c.number for c, _d in duplicates)},
                )
            return redirect("cases:mobile_case", pk=case.pk)
    return render(request, "cases/mobile/report.html", {"severities": Severity.choices, "f": request.POST})


@login_required
def mobile_case(request, pk):
    from ..selectors import case_for

    case = case_for(request.user, pk)
    photos = list(case.attachments.all())
    context = {
        "case": case,
        "now": timezone.now(),
        "panels": action_panels(request.user, case),
        "photos": photos,
        "reused": reused_photos(photos, request.user),
        "next": reverse("cases:mobile_case", args=[case.pk]),
    }
    return render(request, "cases/mobile/case.html", context)


@login_required
def desk_report(request):
    """An operator registers a hotline call or a walk-in citizen."""
    require_role(request.user, "operator", "shift_leader", "dispatcher", "leader")
    if request.method == "POST":
        try:
            case = report_from_form(request, source=request.POST.get("source") or Source.HOTLINE)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Reported as %(number)s.") % {"number": case.number})
            return redirect("cases:detail", pk=case.pk)
    sources = [
        (k, v)
        for k, v in Source.choices
        if k in (Source.HOTLINE, Source.CITIZEN, Source.CAMERA, Source.LEADER)
    ]
    context = {
        "severities": Severity.choices,
        "sources": sources,
        "source": request.POST.get("source") or Source.HOTLINE,  # the desk registers calls first of all
        "f": request.POST,
    }
    return render(request, "cases/new.html", context)
