"""Pages of the judicial linkage: the police liaison's referrals and briefings (nothing else of the enforcement
app is visible to the `police` role), the referral package download, briefings and procuratorate records sent
from the case page."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chengguan.core.errors import DomainError
from chengguan.org.models import Department
from chengguan.org.scope import has_role, sees_everything

from .models import CaseBriefing, CriminalReferral, ProcuratorateRecord
from .permissions import get_case
from .referral_package import build_package
from .services.linkage import (
    POLICE,
    briefing_acknowledge,
    case_brief,
    may_download_package,
    police_briefings,
    police_referral,
    police_referrals,
    procuratorate_record_add,
    referral_acknowledge,
    referral_police_reply,
)


def _police(request):
    if not (has_role(request.user, POLICE) or sees_everything(request.user)):
        raise PermissionDenied


@login_required
def police_page(request):
    _police(request)
    return render(request, "enforcement/police.html", {
        "referrals": police_referrals(request.user),
        "briefings": police_briefings(request.user),
        "is_police": has_role(request.user, POLICE),
    })


@login_required
def police_referral_page(request, pk):
    _police(request)
    referral = police_referral(request.user, pk)
    if request.method == "POST":
        try:
            if request.POST.get("do") == "acknowledge":
                referral_acknowledge(actor=request.user, referral=referral)
                messages.success(request, _("Receipt confirmed."))
            else:
                referral_police_reply(actor=request.user, referral=referral,
                                      accepted=request.POST.get("accepted") == "1", text=request.POST.get("text", ""))
                messages.success(request, _("The decision has been sent to the enforcement body."))
            return redirect("enforcement:police_referral", pk=referral.pk)
        except DomainError as exc:
            messages.error(request, exc.message)
    case = referral.case
    return render(request, "enforcement/police_referral.html", {
        "referral": referral, "case": case, "evidence": case.evidence.all(),
        "is_police": has_role(request.user, POLICE),
    })


@login_required
@require_POST
def police_briefing_ack(request, pk):
    _police(request)
    briefing_acknowledge(actor=request.user, briefing=get_object_or_404(CaseBriefing, pk=pk))
    messages.success(request, _("Receipt confirmed."))
    return redirect("enforcement:police")


@login_required
def referral_package(request, pk):
    referral = CriminalReferral.objects.select_related("case", "case__region", "case__department").filter(
        pk=pk, handed_over_at__isnull=False).first()
    if referral is None or not may_download_package(request.user, referral):
        raise Http404
    data = build_package(referral)
    response = HttpResponse(data, content_type="application/zip")
    name = f"referral-{referral.case.number or referral.case.clue_number}.zip"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


@login_required
@require_POST
def case_brief_page(request, pk):
    case = get_case(request.user, pk)
    police = Department.objects.filter(pk=request.POST.get("police_department") or 0, kind="police").first()
    try:
        briefing = case_brief(actor=request.user, case=case, police_department=police,
                              court=request.POST.get("court", ""), subject=request.POST.get("subject", ""),
                              text=request.POST.get("text", ""))
        messages.success(request, _("Briefing %(number)s sent.") % {"number": briefing.number})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("enforcement:detail", pk=case.pk)


@login_required
@require_POST
def procuratorate_record_page(request, pk, referral_id):
    case = get_case(request.user, pk)
    referral = get_object_or_404(case.referrals, pk=referral_id)
    try:
        dated = datetime.strptime(request.POST.get("dated", ""), "%Y-%m-%d").date()
    except ValueError:
        dated = None
    try:
        procuratorate_record_add(actor=request.user, referral=referral, kind=request.POST.get("kind", ""),
                                 procuratorate=request.POST.get("procuratorate", ""), dated=dated,
                                 document_number=request.POST.get("document_number", ""),
                                 note=request.POST.get("note", ""))
        messages.success(request, _("Procuratorate record saved."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("enforcement:detail", pk=case.pk)


def linkage_context(case) -> dict:
    """What the case page shows of the linkage: referrals with procuratorate records, briefings, police units."""
    return {
        "briefings": case.briefings.select_related("police_department"),
        "police_units": Department.objects.filter(kind="police", is_active=True),
        "procuratorate_kinds": ProcuratorateRecord.Kind.choices,
    }
