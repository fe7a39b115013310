"""The portal (citizens, no sign-in): community studios and service booths with who is on duty, and public
consultations: read the draft, send an opinion (rate limited), read the response."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import DomainError
from chengguan.public.services.ratelimit import RateLimited, client_ip
from chengguan.public.views import rate_limited

from .consultation import opinion_submit, public_consultations, public_opinions
from .forms import OpinionForm
from .places import public_places


def places(request):
    return render(request, "participation/portal_places.html", {"rows": public_places(timezone.now())})


def consultation_list(request):
    return render(request, "participation/portal_consultations.html", {"rows": public_consultations()[:50],
                                                                       "now": timezone.now()})


def consultation(request, pk):
    c = get_object_or_404(public_consultations(), pk=pk)
    now = timezone.now()
    form = OpinionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                opinion_submit(consultation=c, ip=client_ip(request), **form.cleaned_data)
                messages.success(request, _("Thank you: your opinion has been received."))
                return redirect("participation:portal_consultation", pk)
            except RateLimited as exc:
                messages.error(request, _("Too many opinions from here; please try again later."))
                return rate_limited(_render(request, c, form, now, 429), exc)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = 400
        else:
            status = 400
    return _render(request, c, form, now, status)


def _render(request, c, form, now, status):
    return render(request, "participation/portal_consultation.html", {
        "c": c, "form": form if c.accepts_opinions(now) else None, "opinions": public_opinions(c),
        "count": c.opinions.count(),
    }, status=status)
