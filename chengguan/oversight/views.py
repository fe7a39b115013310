"""Pages of the oversight app: complaints (queue, intake, handling), officer files, the officer and squad
evaluation, 见警率/管事率, rotation due, work permits; and the citizen's complaint form on the portal."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chengguan.core.errors import DomainError
from chengguan.evaluation.periods import parse_period
from chengguan.org.models import Department, Region, Role, RoleAssignment, User
from chengguan.patrol.models import AccountabilityRecord
from chengguan.public.services.ratelimit import RateLimited, client_ip, hit
from chengguan.public.views import rate_limited

from .access import COMPLAINT_VIEWERS, INTAKE, INTAKE_ROLES, INVESTIGATORS, MANAGERS, READERS, may
from .forms import PortalComplaintForm
from .models import AssistantPermit, Channel, Conduct, State
from .permits import assistants_without_permit, permit_issue, permit_revoke
from .presence import squad_presence
from .ratings import officer_ratings, squad_ratings
from .rotation import rotation_due_for
from .selectors import complaints_in_scope, get_complaint, officer_file, officer_for_viewer
from .services import (
    complaint_assign,
    complaint_conclude,
    complaint_investigate,
    complaint_receive,
    complaint_reply,
)


def _need(request, roles):
    if not may(request.user, roles):
        raise DjangoPermissionDenied


def _day(value):
    try:
        return datetime.strptime(value or "", "%Y-%m-%d").date()
    except ValueError:
        return None


def _user(value):
    return User.objects.filter(pk=value).first() if str(value or "").isdigit() else None


def _period(request):
    try:
        return parse_period(request.GET.get("period", "") or str(timezone.localdate().year))
    except DomainError:
        messages.error(request, _("Enter a period such as 2026, 2026-Q4 or 2026-11."))
        return parse_period(str(timezone.localdate().year))


# ---- the citizen portal ---------------------------------------------------------------------------------------


def portal_complaint(request):
    form = PortalComplaintForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                hit("report_ip", client_ip(request), field="phone")
                hit("report_phone", d["phone"], field="phone")
                c = complaint_receive(channel=Channel.PORTAL, region=d["district"], conduct=d["conduct"],
                                      text=d["text"], phone=d["phone"], name=d["name"], place=d["place"],
                                      officer_hint=d["officer_hint"], occurred_on=d["occurred_on"])
            except RateLimited as exc:
                form.add_error(None, _("Too many complaints from here; please try again later."))
                return rate_limited(render(request, "oversight/portal_complaint.html", {"form": form}, status=429),
                                    exc)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                return render(request, "oversight/portal_complaint_done.html", {"complaint": c})
    return render(request, "oversight/portal_complaint.html", {"form": form}, status=status)


# ---- complaints -----------------------------------------------------------------------------------------------


@login_required
def complaints_page(request):
    _need(request, COMPLAINT_VIEWERS)
    qs = complaints_in_scope(request.user)
    state = request.GET.get("state", "")
    if state in State.values:
        qs = qs.filter(state=state)
    elif state == "open":
        qs = qs.exclude(state=State.REPLIED)
    return render(request, "oversight/complaints.html", {
        "complaints": qs[:300], "states": State.choices, "state": state, "now": timezone.now(),
        "may_intake": may(request.user, INTAKE_ROLES)})


def _regions_for(user, roles):
    return [r for r in Region.objects.filter(level__in=("city", "district", "street")).order_by("code")
            if may(user, roles, r)]


def _staff(roles, region=None):
    qs = RoleAssignment.objects.filter(role__in=roles).select_related("user", "region")
    if region is not None:
        qs = [a for a in qs if a.region_id and region.path.startswith(a.region.path)]
    seen, out = set(), []
    for a in qs:
        if a.user_id not in seen:
            seen.add(a.user_id)
            out.append(a.user)
    return sorted(out, key=lambda u: u.username)


@login_required
def complaint_new_page(request):
    _need(request, INTAKE_ROLES)
    channels = sorted({ch for role, ch in INTAKE.items() if may(request.user, {role})})
    regions = _regions_for(request.user, INTAKE_ROLES)
    if request.method == "POST":
        region = next((r for r in regions if str(r.pk) == request.POST.get("region")), None)
        try:
            if region is None:
                raise DomainError(_("choose the district"), field="region")
            c = complaint_receive(
                actor=request.user, channel=request.POST.get("channel", ""), region=region,
                conduct=request.POST.get("conduct", ""), text=request.POST.get("text", ""),
                phone=request.POST.get("phone", ""), name=request.POST.get("name", ""),
                officer=_user(request.POST.get("officer")), officer_hint=request.POST.get("officer_hint", ""),
                place=request.POST.get("place", ""), occurred_on=_day(request.POST.get("occurred_on")),
                hotline_reference=request.POST.get("hotline_reference", ""))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Complaint %(number)s received.") % {"number": c.number})
            return redirect("oversight:complaint", pk=c.pk)
    return render(request, "oversight/complaint_new.html", {
        "channels": [(c, Channel(c).label) for c in channels], "regions": regions, "conducts": Conduct.choices,
        "officers": _staff([Role.OFFICER, Role.ASSISTANT]), "values": request.POST})


@login_required
def complaint_page(request, pk):
    _need(request, COMPLAINT_VIEWERS)
    c = get_complaint(request.user, pk)
    if request.method == "POST":
        do, p = request.POST.get("do"), request.POST
        try:
            if do == "assign":
                complaint_assign(actor=request.user, complaint=c, investigator=_user(p.get("investigator")),
                                 officer=_user(p.get("officer")),
                                 department=Department.objects.filter(pk=p.get("department") or 0).first())
            elif do == "investigate":
                complaint_investigate(actor=request.user, complaint=c, findings=p.get("findings", ""))
            elif do == "conclude":
                complaint_conclude(actor=request.user, complaint=c, substantiated=p.get("substantiated") == "1",
                                   conclusion=p.get("conclusion", ""), measure=p.get("measure", ""))
            elif do == "reply":
                complaint_reply(actor=request.user, complaint=c, text=p.get("text", ""))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("oversight:complaint", pk=c.pk)
    manager = may(request.user, MANAGERS, c.region)
    return render(request, "oversight/complaint.html", {
        "c": c, "events": c.events.select_related("actor"), "manager": manager,
        "is_investigator": request.user.pk == c.investigator_id,
        "investigators": _staff(INVESTIGATORS, c.region) if manager else [],
        "officers": _staff([Role.OFFICER, Role.ASSISTANT], c.region) if manager else [],
        "units": Department.objects.filter(kind__in=("brigade", "squad")) if manager else [],
        "measures": AccountabilityRecord.Kind.choices, "now": timezone.now()})


# ---- officer files, evaluation, presence, rotation, permits ---------------------------------------------------


@login_required
def officer_file_page(request, user_id):
    person = officer_for_viewer(request.user, user_id)
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() else timezone.localdate().year if "year" not in request.GET else None
    return render(request, "oversight/officer_file.html", {
        "file": officer_file(person, year=year), "person": person, "year": year,
        "this_year": timezone.localdate().year})


@login_required
def ratings_page(request):
    _need(request, READERS)
    period = _period(request)
    return render(request, "oversight/ratings.html", {
        "period": period, "officers": officer_ratings(request.user, period),
        "squads": squad_ratings(request.user, period)})


@login_required
def presence_page(request):
    _need(request, READERS)
    period = _period(request) if request.GET.get("period") else parse_period(
        timezone.localdate().strftime("%Y-%m"))
    return render(request, "oversight/presence.html", {"period": period,
                                                       "rows": squad_presence(request.user, period)})


@login_required
def rotation_page(request):
    _need(request, READERS)
    rows = rotation_due_for(request.user, timezone.localdate())
    overdue = sum(1 for r in rows if r.overdue)
    return render(request, "oversight/rotation.html", {"rows": rows, "overdue": overdue, "soon": len(rows) - overdue})


@login_required
def permits_page(request):
    _need(request, READERS)
    today = timezone.localdate()
    from chengguan.org.scope import scope_q

    permits = AssistantPermit.objects.filter(scope_q(request.user, region_field="region", roles=READERS)
                                             ).select_related("user", "region")
    return render(request, "oversight/permits.html", {
        "permits": permits, "today": today, "missing": assistants_without_permit(request.user, today),
        "manager": may(request.user, MANAGERS), "regions": _regions_for(request.user, MANAGERS),
        "assistants": _staff([Role.ASSISTANT])})


@login_required
@require_POST
def permit_action(request):
    _need(request, MANAGERS)
    p = request.POST
    try:
        if p.get("do") == "revoke":
            permit = AssistantPermit.objects.filter(pk=p.get("permit") or 0).first()
            if permit is None:
                raise DomainError(_("no such permit"), field="permit")
            permit_revoke(actor=request.user, permit=permit, reason=p.get("reason", ""))
            messages.success(request, _("Permit %(number)s revoked.") % {"number": permit.number})
        else:
            region = Region.objects.filter(pk=p.get("region") or 0).first()
            user = _user(p.get("user"))
            start, end = _day(p.get("valid_from")), _day(p.get("valid_to"))
            if region is None or user is None or start is None or end is None:
                raise DomainError(_("choose the assistant, the region and the period"), field="user")
            permit = permit_issue(actor=request.user, user=user, region=region, valid_from=start, valid_to=end,
                                  issuer=p.get("issuer", ""))
            messages.success(request, _("Permit %(number)s issued.") % {"number": permit.number})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("oversight:permits")
