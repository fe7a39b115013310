"""Pages about people: staffing report, certificate registry, staff list and the five-in-one file."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chengguan.org.scope import in_scope

from ..access import EVERYONE_IN_PATROL, MANAGERS, ROSTER_MANAGERS, STAFF_VIEWERS, may
from ..forms import AccountabilityForm, FileEntryForm, TrainingForm
from ..models import Campaign, LeaveRequest, RequestStatus, SwapRequest
from ..selectors import campaigns as campaign_sel
from ..selectors import squads as squad_sel
from ..selectors import staff as staff_sel
from ..services import staff as staff_services
from .common import attempt, form_errors, require_page


@login_required
def index(request):
    require_page(request.user, EVERYONE_IN_PATROL)
    user = request.user
    context = {
        "my_shifts": squad_sel.my_shifts(user, days=7)[:10],
        "is_staff_viewer": may(user, STAFF_VIEWERS),
        "is_roster_manager": may(user, ROSTER_MANAGERS),
        "running": campaign_sel.campaigns_in_scope(user).filter(status=Campaign.Status.RUNNING)[:10],
    }
    if context["is_roster_manager"]:
        context["pending_leave"] = in_scope(
            LeaveRequest.objects.filter(status=RequestStatus.PENDING), user, region_field="region"
        ).count()
        context["pending_swaps"] = in_scope(
            SwapRequest.objects.filter(status=RequestStatus.PENDING),
            user,
            region_field="assignment__shift__region",
        ).count()
    return render(request, "patrol/index.html", context)


@login_required
def staffing(request):
    require_page(request.user, STAFF_VIEWERS)
    day = timezone.localdate()
    rows = staff_sel.staffing_report(request.user, day)
    return render(request, "patrol/staffing.html", {"rows": rows, "day": day})


@login_required
def certificates(request):
    require_page(request.user, STAFF_VIEWERS)
    within = request.GET.get("within")
    within = int(within) if within in ("30", "60", "90") else None
    status = request.GET.get("status") or None
    entries = staff_sel.certificate_registry(
        request.user, timezone.localdate(), within_days=within, status=status
    )
    return render(
        request,
        "patrol/certificates.html",
        {"entries": entries, "within": within, "status": status, "statuses": CERT_STATUSES},
    )


CERT_STATUSES = [
    ("valid", gettext_lazy("valid")),
    ("expiring", gettext_lazy("expiring within 90 days")),
    ("expired", gettext_lazy("expired")),
    ("revoked", gettext_lazy("revoked")),
    ("no_exam", gettext_lazy("exam not passed")),
    ("not_yet_valid", gettext_lazy("not yet valid")),
]


@login_required
def staff_list(request):
    require_page(request.user, STAFF_VIEWERS)
    q = (request.GET.get("q") or "").strip()
    profiles = staff_sel.profiles_in_scope(request.user).filter(staff_sel.active_q(timezone.localdate()))
    if q:
        profiles = profiles.filter(
            Q(user__full_name__contains=q) | Q(user__username__contains=q) | Q(staff_number__contains=q)
        )
    body = request.GET.get("body")
    if body:
        profiles = profiles.filter(body=body)
    return render(request, "patrol/staff_list.html", {"profiles": profiles[:500], "q": q, "body": body})


FORMS = {"training": TrainingForm, "entry": FileEntryForm, "accountability": AccountabilityForm}


@login_required
def staff_file(request, user_id: int):
    profile = staff_sel.profile_for_viewer(request.user, user_id)
    can_edit = may(request.user, MANAGERS, profile.region)
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else None
    if request.method == "POST":
        if not can_edit:
            raise DjangoPermissionDenied
        kind = request.POST.get("form")
        form = FORMS.get(kind, TrainingForm)(request.POST)
        if kind in FORMS and form.is_valid():
            data = form.cleaned_data
            service = {
                "training": staff_services.training_record_add,
                "entry": staff_services.file_entry_add,
                "accountability": staff_services.accountability_record_add,
            }[kind]
            attempt(request, lambda: service(actor=request.user, user=profile.user, **data), _("Saved."))
        else:
            form_errors(request, form)
        return redirect(request.path)
    file = staff_sel.five_in_one_file(profile, year=year)
    context = {
        "profile": profile,
        "file": file,
        "year": year,
        "can_edit": can_edit,
        "today": timezone.localdate(),
        "cert_rows": [(c, staff_sel.certificate_status(c, timezone.localdate())) for c in file.certificates],
        "forms": {k: f() for k, f in FORMS.items()} if can_edit else {},
        "sections": [
            ("study", _("Law study (学法)")),
            ("publicity", _("Law publicity (宣法)")),
            ("enforcement", _("Enforcement (执法)")),
            ("case_review", _("Case file review (案件评查)")),
        ],
    }
    return render(request, "patrol/staff_file.html", context)
