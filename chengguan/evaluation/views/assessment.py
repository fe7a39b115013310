"""Assessment (考评) pages: totals of streets and departments, records with evidence, accountability, and the
red-light notices."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chengguan.cases.models import Case
from chengguan.cases.selectors import visible_cases
from chengguan.core.errors import DomainError
from chengguan.core.media import file_response

from ..access import can_assess, can_issue_notices
from ..export import xlsx_response
from ..forms import AccountabilityForm, CancelForm, RecordForm
from ..models import RedLightNotice
from ..selectors import actions_in_scope, assessment_table, notices_in_scope, records_in_scope
from ..services import (
    accountability_record,
    assessment_cancel,
    assessment_record,
    evidence_attach,
    red_light_issue,
)
from ..tables import Column, Table
from .common import page, period_context, period_from, viewer_for

LIST_LIMIT = 200


def _records_table(records) -> Table:
    columns = [
        Column("occurred_on", _("occurred on")),
        Column("target", _("street or department")),
        Column("item", _("item")),
        Column("found_by", _("found by")),
        Column("quantity", _("occurrences"), "int"),
        Column("points", _("points"), "score"),
        Column("status", _("status")),
        Column("description", _("description")),
    ]
    rows = [
        {
            "key": r.pk,
            "occurred_on": r.occurred_on.isoformat(),
            "target": str(r.target),
            "item": f"{r.item.code} {r.item.name}",
            "found_by": r.get_found_by_display(),
            "quantity": r.quantity,
            "points": float(r.points),
            "status": r.get_status_display(),
            "description": r.description,
            "_url": reverse("evaluation:record", args=[r.pk]),
        }
        for r in records
    ]
    return Table("records", _("Assessment records"), columns, rows)


@page
def assessment(request):
    viewer = viewer_for(request, "region")
    period = period_from(request)
    streets = assessment_table(period, viewer, "street")
    departments = assessment_table(period, viewer, "department")
    records = list(
        records_in_scope(viewer).filter(occurred_on__gte=period.start, occurred_on__lt=period.end)[
            :LIST_LIMIT
        ]
    )
    records_table = _records_table(records)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(f"assessment-{period.code}", streets, departments, records_table, user=request.user)
    actions = list(
        actions_in_scope(viewer).filter(decided_on__gte=period.start, decided_on__lt=period.end)[:50]
    )
    return render(
        request,
        "evaluation/assessment.html",
        {
            **period_context(request, period),
            "tables": [streets, departments, records_table],
            "actions": actions,
            "can_assess": can_assess(request.user),
            "form": RecordForm(viewer=viewer),
            "action_form": AccountabilityForm(viewer=viewer),
        },
    )


def _case_by_number(user, number):
    number = (number or "").strip()
    if not number:
        return None
    case = visible_cases(user).filter(number=number).first()
    if case is None:
        raise DomainError(_("Unknown case %(number)s.") % {"number": number}, field="case_number")
    return case


@page
@require_POST
def record_create(request):
    viewer = viewer_for(request, "region")
    if not can_assess(request.user):
        raise HttpForbidden
    form = RecordForm(request.POST, request.FILES, viewer=viewer)
    if form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                record = assessment_record(
                    actor=request.user,
                    item=d["item"],
                    street=d["street"],
                    department=d["department"],
                    occurred_on=d["occurred_on"],
                    found_by=d["found_by"],
                    quantity=d["quantity"],
                    description=d["description"],
                    case=_case_by_number(request.user, d["case_number"]),
                )
                if d["evidence"]:
                    evidence_attach(actor=request.user, record=record, file=d["evidence"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Recorded: %(points)s points.") % {"points": f"{record.points:g}"})
            return redirect("evaluation:record", record.pk)
    else:
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
    return redirect("evaluation:assessment")


def _record_for(request, pk):
    viewer = viewer_for(request, "region")
    record = records_in_scope(viewer).filter(pk=pk).first()
    if record is None:
        raise Http404
    return viewer, record


@page
def record(request, pk):
    _viewer, rec = _record_for(request, pk)
    return render(
        request,
        "evaluation/record.html",
        {
            "record": rec,
            "evidence": rec.evidence.all(),
            "can_assess": can_assess(request.user),
            "cancel_form": CancelForm(),
        },
    )


@page
@require_POST
def record_cancel(request, pk):
    _viewer, rec = _record_for(request, pk)
    form = CancelForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("Give a reason."), field="reason")
        assessment_cancel(actor=request.user, record=rec, reason=form.cleaned_data["reason"])
        messages.success(request, _("The record is cancelled."))
    except DomainError as exc:
        if exc.status == 403:
            raise HttpForbidden(exc.message) from exc
        messages.error(request, exc.message)
    return redirect("evaluation:record", rec.pk)


@page
def evidence_file(request, pk, evidence_id):
    """An evidence file of a record in the reader's scope (never a public /media/ URL)."""
    _viewer, rec = _record_for(request, pk)
    evidence = get_object_or_404(rec.evidence, pk=evidence_id)
    return file_response(evidence.file, content_type=evidence.content_type, filename=evidence.original_name)


@page
@require_POST
def evidence_upload(request, pk):
    _viewer, rec = _record_for(request, pk)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DomainError(_("Choose a file."), field="file")
        evidence_attach(actor=request.user, record=rec, file=upload)
        messages.success(request, _("Evidence attached."))
    except DomainError as exc:
        if exc.status == 403:
            raise HttpForbidden(exc.message) from exc
        messages.error(request, exc.message)
    return redirect("evaluation:record", rec.pk)


@page
@require_POST
def accountability_create(request):
    viewer = viewer_for(request, "region")
    if not can_assess(request.user):
        raise HttpForbidden
    form = AccountabilityForm(request.POST, viewer=viewer)
    if not form.is_valid():
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect("evaluation:assessment")
    d = form.cleaned_data
    try:
        accountability_record(actor=request.user, **d)
        messages.success(request, _("Accountability action recorded."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("evaluation:assessment")


# ---- red-light notices ------------------------------------------------------------------------------------


@page
def notices(request):
    viewer = viewer_for(request, "region")
    now = timezone.now()
    notices_qs = notices_in_scope(viewer)
    status = request.GET.get("status", "open")
    if status in RedLightNotice.Status.values:
        notices_qs = notices_qs.filter(status=status)
    listed = list(notices_qs[:LIST_LIMIT])
    open_ids = RedLightNotice.objects.filter(status="open").values("case_id")
    red = list(
        visible_cases(request.user)
        .filter(is_open=True, deadline__lt=now)
        .exclude(pk__in=open_ids)
        .select_related("matter", "current_department", "street")
        .order_by("deadline")[:LIST_LIMIT]
    )
    table = Table(
        "notices",
        _("Red-light notices"),
        [
            Column("number", _("notice number")),
            Column("level", _("level")),
            Column("case", _("case")),
            Column("department", _("addressed to")),
            Column("issued_at", _("issued at")),
            Column("deadline", _("comply by")),
            Column("status", _("status")),
        ],
        [
            {
                "number": n.number,
                "level": n.get_level_display(),
                "case": n.case.number,
                "department": n.department.name if n.department else None,
                "issued_at": timezone.localtime(n.issued_at).strftime("%Y-%m-%d %H:%M"),
                "deadline": timezone.localtime(n.deadline).strftime("%Y-%m-%d %H:%M"),
                "status": n.get_status_display(),
            }
            for n in listed
        ],
    )
    if request.GET.get("export") == "xlsx":
        return xlsx_response("red-light-notices", table, user=request.user)
    return render(
        request,
        "evaluation/notices.html",
        {
            "notices": listed,
            "table": table,
            "red": red,
            "now": now,
            "status": status,
            "statuses": RedLightNotice.Status.choices,
            "can_issue": can_issue_notices(request.user),
        },
    )


@page
@require_POST
def notice_issue(request, case_pk):
    case = get_object_or_404(Case, pk=case_pk)
    try:
        notice = red_light_issue(actor=request.user, case=case, reason=request.POST.get("reason", ""))
        messages.success(request, _("Issued %(number)s.") % {"number": notice.number})
    except DomainError as exc:
        if exc.status == 403:
            raise HttpForbidden(exc.message) from exc
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    return redirect("evaluation:notices")
