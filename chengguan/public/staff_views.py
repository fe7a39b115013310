"""Staff pages of the public app: reveal a reporter's details (logged), record a call-back rating, place Open311
submissions that came with an address only, the satisfaction list (masked, with a CSV export), the reveal log."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chengguan.cases.selectors import case_for, visible_cases
from chengguan.core.errors import DomainError
from chengguan.core.office.xlsx import SafeCSVWriter
from chengguan.core.privacy import mask_name, mask_phone
from chengguan.org.models import Role
from chengguan.org.scope import has_role, sees_everything

from . import conf
from .forms import DiscardForm, PlaceForm, RatingForm, RevealForm
from .models import Open311Submission, PersonalDataReveal, Satisfaction
from .services.citizen import satisfaction_record
from .services.open311 import open311_discard, open311_place
from .services.privacy import masked_reporter, may_reveal, reporter_reveal
from .services.ratelimit import client_ip

CALLBACK_ROLES = (Role.OPERATOR.value, Role.SHIFT_LEADER.value, Role.LEADER.value)
AUDIT_ROLES = (Role.LEADER.value, Role.ADMIN.value)


def _require(user, roles) -> None:
    if not (sees_everything(user) or has_role(user, *roles)):
        raise DjangoPermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def reporter_page(request, pk):
    """The reporter of a case, masked; operators and shift leaders may reveal it for a reason (logged)."""
    case = case_for(request.user, pk)  # outside the user's scope: 404
    form = RevealForm(request.POST or None)
    revealed = None
    status = 200
    if request.method == "POST":
        if not may_reveal(request.user):
            raise DjangoPermissionDenied
        status = 400
        if form.is_valid():
            try:
                revealed = reporter_reveal(
                    actor=request.user, case=case, reason=form.cleaned_data["reason"], ip=client_ip(request)
                )
                status = 200
            except DomainError as exc:
                form.add_error("reason", exc.message)
    rating = Satisfaction.objects.filter(case=case).first()
    context = {
        "case": case,
        "masked": masked_reporter(case),
        "revealed": revealed,
        "form": form,
        "may_reveal": may_reveal(request.user),
        "rating": rating,
        "rating_form": RatingForm()
        if rating is None and case.state == "closed" and may_reveal(request.user)
        else None,
        "reveals": PersonalDataReveal.objects.filter(case=case).select_related("actor")[:20],
        "case_url": _case_url(case),
    }
    template = "public/staff/_reporter.html" if request.htmx else "public/staff/reporter.html"
    return render(request, template, context, status=status)


def _case_url(case) -> str:
    try:
        return reverse("cases:detail", args=[case.pk])
    except NoReverseMatch:
        return ""


@login_required
@require_POST
def callback_rating(request, pk):
    case = case_for(request.user, pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how satisfied the reporter is."))
    else:
        try:
            satisfaction_record(
                actor=request.user,
                case=case,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("Call-back rating recorded."))
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("public-reporter", pk=case.pk)


def _satisfaction_rows(user):
    return (
        Satisfaction.objects.filter(case__in=visible_cases(user))
        .select_related("case__matter", "case__district", "recorded_by")
        .order_by("-rated_at", "-pk")
    )


@login_required
@require_GET
def satisfaction_list(request):
    _require(request.user, CALLBACK_ROLES)
    rows = list(_satisfaction_rows(request.user)[:200])
    for r in rows:  # the list never shows full personal data, whoever looks
        r.reporter_masked = " ".join(masked_reporter(r.case).values()).strip()
    return render(request, "public/staff/satisfaction.html", {"rows": rows})


@login_required
@require_GET
def satisfaction_export(request):
    _require(request.user, CALLBACK_ROLES)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="satisfaction.csv"'
    response.write("\ufeff")
    writer = SafeCSVWriter(response)
    writer.writerow(
        [_("case number"), _("matter"), _("district"), _("reporter"), _("phone"), _("satisfaction"), _("comment"),
         _("channel"), _("rated at")]
    )  # fmt: skip
    for r in _satisfaction_rows(request.user).iterator():
        writer.writerow(
            [r.case.number, r.case.matter.name, r.case.district.name, mask_name(r.case.reporter_name),
             mask_phone(r.case.reporter_phone), r.get_score_display(), r.comment, r.get_channel_display(),
             timezone.localtime(r.rated_at).strftime("%Y-%m-%d %H:%M")]
        )  # fmt: skip
    return response


@login_required
@require_GET
def reveal_log(request):
    _require(request.user, AUDIT_ROLES)
    rows = (
        PersonalDataReveal.objects.filter(case__in=visible_cases(request.user))
        .select_related("actor", "case")
        .order_by("-at", "-pk")[:500]
    )
    return render(request, "public/staff/reveals.html", {"rows": rows})


@login_required
@require_GET
def open311_pending(request):
    _require(request.user, (Role.OPERATOR.value,))
    rows = (
        Open311Submission.objects.filter(
            status=Open311Submission.Status.PENDING,
            received_at__gt=timezone.now() - timedelta(hours=conf.open311_token_hours()),
        )  # expired ones can no longer be placed (docs/open311.md, "Creating a request")
        .select_related("matter", "key")
        .order_by("received_at", "pk")[:200]
    )
    return render(
        request,
        "public/staff/open311_pending.html",
        {"rows": rows, "place": PlaceForm(), "discard": DiscardForm()},
    )


@login_required
@require_POST
def open311_place_view(request, pk):
    submission = get_object_or_404(Open311Submission, pk=pk)
    form = PlaceForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the point's longitude and latitude."))
        return redirect("public-open311-pending")
    try:
        placed = open311_place(
            actor=request.user,
            submission=submission,
            lng=form.cleaned_data["lng"],
            lat=form.cleaned_data["lat"],
        )
        messages.success(request, _("Registered as %(number)s.") % {"number": placed.case.number})
    except DomainError as exc:
        if exc.status == 403 and exc.field == "action":
            raise DjangoPermissionDenied from exc
        messages.error(request, exc.message)
    return redirect("public-open311-pending")


@login_required
@require_POST
def open311_discard_view(request, pk):
    submission = get_object_or_404(Open311Submission, pk=pk)
    form = DiscardForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason."))
        return redirect("public-open311-pending")
    try:
        open311_discard(actor=request.user, submission=submission, reason=form.cleaned_data["reason"])
        messages.success(request, _("Submission discarded."))
    except DomainError as exc:
        if exc.status == 403:
            raise DjangoPermissionDenied from exc
        messages.error(request, exc.message)
    return redirect("public-open311-pending")
