"""Portal pages (no sign-in, phone first): apply for a permit, follow it with its number and phone (and hand in
what a one-time notice asked for), and the public register with the vending zones."""

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chengguan.core.errors import DomainError

from . import selectors, services
from .forms import ApplicationForm, StatusForm, lines
from .models import Application, Kind

SESSION_KEY = "permit_applications"


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone or "" if ch.isdigit())


def _remember(request, number: str) -> None:
    followed = request.session.get(SESSION_KEY, [])
    if number not in followed:
        request.session[SESSION_KEY] = [*followed, number][-20:]


@require_http_methods(["GET", "POST"])
def apply(request):
    form = ApplicationForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        try:
            a = services.application_submit(actor=None, channel="online", **form.service_kwargs())
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            _remember(request, a.number)
            return redirect("permits:public-application", number=a.number)
    return render(request, "permits/public/apply.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def follow(request):
    form = StatusForm(request.POST or None, initial={"number": request.GET.get("number", "")})
    if request.method == "POST" and form.is_valid():
        a = Application.objects.filter(number=form.cleaned_data["number"].strip().upper()).first()
        if a is not None and _digits(a.applicant_phone) == _digits(form.cleaned_data["phone"]):
            _remember(request, a.number)
            return redirect("permits:public-application", number=a.number)
        form.add_error(None, _("No application with this number was filed with this phone."))
    return render(request, "permits/public/follow.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def application(request, number):
    if number not in request.session.get(SESSION_KEY, []):
        return redirect(f"{reverse('permits:public-follow')}?number={number}")
    a = Application.objects.select_related("zone").get(number=number)
    error = ""
    if request.method == "POST":
        try:
            services.application_resubmit(actor=None, application=a, materials=lines(request.POST.get("materials")))
        except DomainError as exc:
            error = exc.message
        else:
            return redirect("permits:public-application", number=a.number)
    return render(request, "permits/public/application.html",
                  {"a": a, "events": a.events.all(), "error": error}, status=400 if error else 200)


@require_GET
def register(request):
    kind = request.GET.get("kind", "")
    q = request.GET.get("q", "")
    rows = [selectors.register_row(a) for a in selectors.register(kind=kind, q=q)[:300]]
    return render(request, "permits/public/register.html", {
        "rows": rows, "zones": selectors.zones(), "kinds": Kind.choices, "kind": kind, "q": q})
