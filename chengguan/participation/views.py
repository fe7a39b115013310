"""Pages for the volunteer (report, my reports and points), the social supervisor (outcomes, comments), and the
staff (answer comments, duty rosters, consultations)."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.cases.workflow import STATE_LABELS
from chengguan.core.errors import DomainError, NotFound, PermissionDenied

from . import consultation as cons
from .access import (
    ANSWERERS,
    CONSULTATION_MANAGERS,
    SOCIAL_SUPERVISOR,
    STAFF,
    VOLUNTEER,
    may_roster,
    require_role,
)
from .forms import AnswerForm, CommentForm, ConsultationForm, DutyForm, PublishForm, VolunteerReportForm
from .models import Consultation, SupervisorComment, VolunteerPoints
from .places import duty_assign, on_duty, places_for
from .supervision import comment_add, comment_answer, comments_to_answer, outcome_card, outcome_get, outcomes
from .volunteers import MAX_PHOTOS, points_balance, volunteer_report


def page(*roles, message=""):
    def deco(view):
        @login_required
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                require_role(request.user, *roles, message=message or _("This page is not for your role."))
                return view(request, *args, **kwargs)
            except PermissionDenied as exc:
                raise HttpForbidden(exc.message) from exc
            except NotFound as exc:
                raise Http404(exc.message) from exc

        return wrapper

    return deco


def _errors(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}：{' '.join(errors)}" if label else " ".join(errors))


@page(VOLUNTEER)
def volunteer(request):
    user = request.user
    form = VolunteerReportForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            _errors(request, form)
        else:
            d = form.cleaned_data
            try:
                volunteer_report(actor=user, matter=d["matter"], lng=d["lng"], lat=d["lat"],
                                 description=d["description"], address=d["address"], crs=d["crs"],
                                 photos=request.FILES.getlist("photos"))
                messages.success(request, _("Thank you: your report is in. Points are added when it is filed."))
                return redirect("participation:volunteer")
            except DomainError as exc:
                messages.error(request, exc.message)
    reports = list(user.volunteer_reports.select_related("case__matter").prefetch_related("points")[:100])
    for r in reports:
        r.state = STATE_LABELS.get(r.case.state, "")
        r.earned = sum(p.points for p in r.points.all())
    return render(request, "participation/volunteer.html", {
        "form": form, "reports": reports, "balance": points_balance(user), "max_photos": MAX_PHOTOS,
        "ledger": VolunteerPoints.objects.filter(volunteer=user)[:50],
    })


@page(SOCIAL_SUPERVISOR, *ANSWERERS)
def outcome_list(request):
    rows = [outcome_card(c) for c in outcomes(request.user)[:200]]
    return render(request, "participation/outcomes.html", {"rows": rows})


@page(SOCIAL_SUPERVISOR, *ANSWERERS)
def outcome(request, pk):
    case = outcome_get(request.user, pk)
    form = CommentForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            _errors(request, form)
        else:
            try:
                comment_add(actor=request.user, case=case, text=form.cleaned_data["text"])
                messages.success(request, _("Comment sent: it will be answered within %(days)s working days.")
                                 % {"days": 5})
                return redirect("participation:outcome", pk)
            except PermissionDenied:
                raise
            except DomainError as exc:
                messages.error(request, exc.message)
    comments = SupervisorComment.objects.filter(case=case).select_related("supervisor", "answered_by")
    return render(request, "participation/outcome.html", {
        "card": outcome_card(case), "comments": comments, "now": timezone.now(),
        "form": form if request.user.has_role(SOCIAL_SUPERVISOR) else None,
    })


@page(*ANSWERERS)
def comments(request):
    qs = comments_to_answer(request.user)
    status = request.GET.get("status", "open")
    if status in SupervisorComment.Status.values:
        qs = qs.filter(status=status)
    return render(request, "participation/comments.html", {"rows": qs[:200], "status": status,
                                                           "form": AnswerForm(), "now": timezone.now()})


@page(*ANSWERERS)
def answer(request, pk):
    if request.method != "POST":
        raise Http404
    comment = comments_to_answer(request.user).filter(pk=pk).first()
    if comment is None:
        raise Http404
    form = AnswerForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
    else:
        try:
            comment_answer(actor=request.user, comment=comment, answer=form.cleaned_data["answer"])
            messages.success(request, _("Answer sent to the supervisor."))
        except PermissionDenied:
            raise
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("participation:comments")


@page(*STAFF)
def places(request):
    now = timezone.now()
    rows = list(places_for(request.user).prefetch_related("slots__person"))
    for p in rows:
        p.now_on_duty = on_duty(p, now)
        p.coming = [s for s in p.slots.all() if s.ends_at > now][:8]
        p.may_roster = may_roster(request.user, p)
    return render(request, "participation/places.html", {"rows": rows, "form": DutyForm()})


@page(*STAFF)
def duty(request, pk):
    if request.method != "POST":
        raise Http404
    place = places_for(request.user).filter(pk=pk).first()
    if place is None:
        raise Http404
    form = DutyForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
    else:
        try:
            duty_assign(actor=request.user, place=place, **form.cleaned_data)
            messages.success(request, _("Duty added to the roster."))
        except PermissionDenied:
            raise
        except DomainError as exc:
            messages.error(request, exc.message)
    return redirect("participation:places")


@page(*CONSULTATION_MANAGERS)
def consultations(request):
    form = ConsultationForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            _errors(request, form)
        else:
            try:
                c = cons.consultation_create(actor=request.user, **form.cleaned_data)
                return redirect("participation:consultation", c.pk)
            except DomainError as exc:
                messages.error(request, exc.message)
    rows = Consultation.objects.select_related("department")
    return render(request, "participation/consultations.html", {"rows": rows[:100], "form": form})


@page(*CONSULTATION_MANAGERS)
def consultation(request, pk):
    c = get_object_or_404(Consultation, pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("act") == "publish":
                form = PublishForm(request.POST)
                if not form.is_valid():
                    raise DomainError(_("Give the date until which opinions are taken."), field="closes_at")
                cons.consultation_publish(actor=request.user, consultation=c, closes_at=form.cleaned_data["closes_at"])
                messages.success(request, _("The draft is published on the portal."))
            elif request.POST.get("act") == "respond":
                replies = {}
                for o in c.opinions.all():
                    verdict = request.POST.get(f"adopted-{o.pk}", "")
                    replies[o.pk] = ({"yes": True, "no": False}.get(verdict), request.POST.get(f"reply-{o.pk}", ""))
                cons.consultation_respond(actor=request.user, consultation=c, response=request.POST.get("response"),
                                          replies=replies)
                messages.success(request, _("The response is published on the portal."))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("participation:consultation", c.pk)
    return render(request, "participation/consultation.html", {
        "c": c, "opinions": c.opinions.all(), "publish_form": PublishForm(), "now": timezone.now(),
    })
