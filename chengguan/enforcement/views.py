"""Pages for officers, legal reviewers and leaders. Thin: check, fetch in scope, call one service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chengguan.core.errors import DomainError
from chengguan.core.media import file_response
from chengguan.org.models import Department, Region, User
from chengguan.org.scope import department_paths, region_paths, sees_everything

from .audit import records_for
from .discretion import suggest_for_case
from .forms import act_fields, form_data
from .linkage_views import linkage_context
from .models import Evidence, PowerItem, Source, State
from .permissions import get_case
from .selectors import (
    available_acts,
    case_deadlines,
    case_list,
    deadline_warnings,
    idle_report,
    leader_queue,
    legal_review_queue,
)
from .services import case_act, case_register_clue, evidence_add
from .services.base import SUBJECT
from .services.from_case import clue_from_case, linked_clue
from .services.powers import benchmarks_export, benchmarks_import, power_list_export, power_list_import
from .services.review import CRITERIA, GRADE_LABELS, case_file_review, review_hints
from .workflow import ACTS, ENFORCEMENT_ROLES

STAFF_ROLES = set(ENFORCEMENT_ROLES)


def _require_staff(request, roles=STAFF_ROLES) -> None:
    from chengguan.org.scope import user_roles

    if not (user_roles(request.user) & set(roles) or sees_everything(request.user)):
        raise PermissionDenied


@login_required
def case_list_page(request):
    _require_staff(request)
    state, q = request.GET.get("state", ""), request.GET.get("q", "").strip()
    cases = case_list(request.user, state=state if state in State.values else "", q=q)
    if request.GET.get("export") == "xlsx":
        from .exports import cases_xlsx_response

        return cases_xlsx_response(cases, user=request.user, state=state if state in State.values else "", q=q)
    return render(request, "enforcement/case_list.html", {
        "cases": cases[:200], "states": State.choices, "state": state, "q": q,
        "warnings": deadline_warnings(request.user)[:30], "now": timezone.now(),
    })


def _scope_choices(user):
    regions = Region.objects.exclude(level="city").order_by("code")
    departments = Department.objects.filter(kind__in=("brigade", "squad")).order_by("path")
    if not sees_everything(user):
        rpaths = region_paths(user, ["officer", "assistant"])
        dpaths = department_paths(user, ["officer", "assistant"])
        regions = [r for r in regions if any(r.path.startswith(p) for p in rpaths)]
        departments = [d for d in departments if any(d.path.startswith(p) for p in dpaths)]
    return regions, departments


@login_required
def clue_new_page(request):
    _require_staff(request, {"officer", "assistant"})
    regions, departments = _scope_choices(request.user)
    error = None
    if request.method == "POST":
        post = request.POST
        particulars = {k: post.get(k) for k in ("party_type", "party_name", "party_id_number", "party_phone",
                                                "party_address", "place", "violation_date", "facts", "power_item")
                       if post.get(k)}
        try:
            point = _clue_point(post)  # the map picker's point, GCJ-02 (storage); none when not picked
        except DomainError as exc:
            point, error = None, exc.message
        try:
            if error:
                raise ValueError
            region = Region.objects.get(pk=post.get("region"))
            department = Department.objects.get(pk=post.get("department"))
            case = case_register_clue(actor=request.user, region=region, department=department,
                                      source=post.get("source", ""), title=post.get("title", ""),
                                      source_reference=post.get("source_reference", ""), **point, **particulars)
        except (Region.DoesNotExist, Department.DoesNotExist, ValueError):
            error = error or _("Choose the area and the handling department.")
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Clue %(number)s registered.") % {"number": case.clue_number})
            return redirect("enforcement:detail", pk=case.pk)
    return render(request, "enforcement/clue_new.html", {
        "regions": regions, "departments": departments, "sources": Source.choices, "error": error,
        "items": PowerItem.objects.filter(power_type__in=("penalty", "coercion")).only("code", "name"),
        "post": request.POST if request.method == "POST" else {},
    }, status=400 if error else 200)


def _clue_point(post) -> dict:
    """lng/lat from the clue form's map picker (stored system): both or neither, numbers in range."""
    from chengguan.core.errors import ValidationError

    lng, lat = (post.get("lng") or "").strip(), (post.get("lat") or "").strip()
    if not lng and not lat:
        return {}
    try:
        x, y = float(lng), float(lat)
    except ValueError as exc:
        raise ValidationError(_("The place on the map is not a valid point; pick it again."), field="lng") from exc
    if not (-180 <= x <= 180 and -90 <= y <= 90):
        raise ValidationError(_("The place on the map is not a valid point; pick it again."), field="lng")
    return {"lng": x, "lat": y}


@login_required
@require_POST
def clue_from_case_page(request, case_id):
    """The button on a 数字城管 case page: open its enforcement clue, or say why not on the case page."""
    from chengguan.core.errors import Conflict, NotFound

    try:
        clue = clue_from_case(actor=request.user, case_id=case_id, power_item=request.POST.get("power_item", ""))
    except NotFound as exc:
        raise Http404 from exc
    except Conflict as exc:
        messages.info(request, exc.message)  # names the existing clue; its page is where the officer goes on
        return redirect("enforcement:detail", pk=linked_clue(_visible_case(request.user, case_id)).pk)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("cases:detail", pk=case_id)
    messages.success(request, _("Clue %(number)s registered.") % {"number": clue.clue_number})
    return redirect("enforcement:detail", pk=clue.pk)


def _visible_case(user, case_id):
    from chengguan.cases.selectors import case_for

    return case_for(user, case_id)


def _panels(request, case, open_act="", values=None, error=None):
    today = timezone.localdate()
    panels = []
    for act in available_acts(request.user, case, today):
        mine = act.code == open_act
        panels.append({"act": act, "fields": act_fields(act, case, request.user, values if mine else None),
                       "open": mine, "error": error if mine else None})
    return panels


@login_required
def case_detail_page(request, pk, *, open_act="", values=None, error=None, status=200):
    case = get_case(request.user, pk)
    context = {
        "case": case,
        "deadlines": case_deadlines(case),
        "events": case.events.select_related("actor", "co_officer"),
        "documents": case.documents.all(),
        "evidence": case.evidence.select_related("collected_by"),
        "measures": case.measures.all(),
        "referrals": case.referrals.prefetch_related("procuratorate_records"),
        "reviews": case.legal_reviews.select_related("reviewer"),
        "payments": case.payments.all(),
        "remedies": case.remedies.all(),
        "officers": case.officers.select_related("user"),
        "panels": _panels(request, case, open_act or request.GET.get("act", ""), values, error),
        "evidence_kinds": Evidence.Kind.choices,
        "audit": records_for(SUBJECT, case.pk),
        "file_reviews": case.file_reviews.select_related("reviewer"),
        "place_point": {"lng": case.lng, "lat": case.lat, "label": case.place or case.title},
        **linkage_context(case),
    }
    return render(request, "enforcement/case_detail.html", context, status=status)


@login_required
@require_POST
def case_act_page(request, pk, act):
    case = get_case(request.user, pk)
    spec = ACTS.get(act)
    if spec is None:
        raise Http404
    data = form_data(spec, request.POST)
    try:
        case_act(actor=request.user, case=case, act=act, data=data, strict=False)
    except DomainError as exc:
        error = {"message": exc.message, "field": exc.field}
        if request.htmx:
            panel = {"act": spec, "fields": act_fields(spec, case, request.user, data), "open": True, "error": error}
            return render(request, "enforcement/_act_panel.html", {"case": case, "p": panel}, status=exc.status)
        return case_detail_page(request, pk, open_act=act, values=data, error=error, status=exc.status)
    messages.success(request, _("%(act)s: done.") % {"act": spec.label})
    url = reverse("enforcement:detail", args=[pk])
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


@login_required
@require_POST
def evidence_upload_page(request, pk):
    case = get_case(request.user, pk)
    co = User.objects.filter(pk=request.POST.get("co_officer") or 0).first()
    try:
        evidence_add(actor=request.user, case=case, kind=request.POST.get("kind", ""),
                     description=request.POST.get("description", ""), file=request.FILES.get("file"), co_officer=co)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Evidence recorded with its SHA-256 in the full-process record."))
    return redirect("enforcement:detail", pk=pk)


@login_required
def document_download(request, pk, doc_id):
    case = get_case(request.user, pk)
    doc = get_object_or_404(case.documents, pk=doc_id)
    return file_response(doc.file, as_attachment=True,
                         filename=f"{doc.get_kind_display()}-{doc.number or case.reference}.docx")


@login_required
def approval_sheet_page(request, pk):
    """执法案件审批表 as a page for print and as a PDF; whoever may open the case may print it (else 404)."""
    from chengguan.core.office.sheets import respond

    from .approval import approval_sheet

    case = get_case(request.user, pk)
    if not case.filed_at:
        raise Http404
    fmt = "pdf" if request.GET.get("format") == "pdf" else "html"
    return respond(request, approval_sheet(case), fmt, back=reverse("enforcement:detail", args=[case.pk]))


@login_required
def evidence_download(request, pk, evidence_id):
    case = get_case(request.user, pk)
    evidence = get_object_or_404(case.evidence.exclude(file=""), pk=evidence_id)
    return file_response(evidence.file, as_attachment=True)


@login_required
def review_queue_page(request):
    _require_staff(request, {"legal_reviewer"})
    return render(request, "enforcement/review_queue.html", {"cases": legal_review_queue(request.user)})


@login_required
def approvals_page(request):
    _require_staff(request, {"leader"})
    return render(request, "enforcement/approvals.html", {"queue": leader_queue(request.user)})


@login_required
def idle_report_page(request):
    _require_staff(request, {"leader", "legal_reviewer"})
    try:
        idle_days = max(1, int(request.GET.get("idle_days", 30)))
        unclosed_days = max(1, int(request.GET.get("unclosed_days", 30)))
    except ValueError:
        idle_days, unclosed_days = 30, 30
    report = idle_report(request.user, idle_days=idle_days, unclosed_days=unclosed_days)
    return render(request, "enforcement/idle_report.html", {"report": report, "idle_days": idle_days,
                                                            "unclosed_days": unclosed_days, "now": timezone.now()})


@login_required
def file_review_page(request, pk):
    case = get_case(request.user, pk)
    error = None
    if request.method == "POST":
        scores = {code: request.POST.get(code, "") for code, _label, _max in CRITERIA}
        try:
            case_file_review(actor=request.user, case=case, scores=scores, comments=request.POST.get("comments", ""))
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Case file review recorded."))
            return redirect("enforcement:detail", pk=pk)
    return render(request, "enforcement/file_review.html", {
        "case": case, "criteria": CRITERIA, "hints": review_hints(case), "error": error,
        "reviews": case.file_reviews.select_related("reviewer"), "grades": GRADE_LABELS,
    }, status=400 if error else 200)


@login_required
def powers_admin_page(request):
    """Import and export of the power list and the benchmarks (leaders and administrators)."""
    _require_staff(request, {"leader", "admin"})
    if request.method == "POST":
        upload = request.FILES.get("file")
        kind = request.POST.get("kind")
        try:
            if upload is None:
                raise DomainError(_("Choose a CSV file."), field="file")
            importer = benchmarks_import if kind == "benchmarks" else power_list_import
            result = importer(actor=request.user, source=upload.read())
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Imported: %(result)s.") % {"result": result})
        return redirect("enforcement:powers_admin")
    return render(request, "enforcement/powers_admin.html", {"count": PowerItem.objects.count()})


@login_required
def powers_export(request, what):
    _require_staff(request)
    text = benchmarks_export() if what == "benchmarks" else power_list_export()
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{what}.csv"'
    return response


@login_required
def suggestion_fragment(request, pk):
    """Live discretion suggestion for the facts being entered in the conclusion form (htmx)."""
    case = get_case(request.user, pk)
    raw = {k: request.GET.get(k, "") for k in ("harm", "area_m2", "construction_cost", "value", "count")}
    raw.update(corrected=request.GET.get("corrected") == "on", first_violation=request.GET.get("first_violation") == "on",
               factors=request.GET.getlist("factors"))
    try:
        suggestion, error = suggest_for_case(case, raw), None
    except DomainError as exc:
        suggestion, error = None, exc.message
    return render(request, "enforcement/_suggestion.html", {"s": suggestion, "error": error})

