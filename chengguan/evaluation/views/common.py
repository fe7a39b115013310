"""What every evaluation page shares: the viewer, the period from the query string, errors as HTTP."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chengguan.core.errors import DomainError, NotFound, PermissionDenied, ValidationError

from ..access import Viewer
from ..periods import KIND_LABELS, Period, parse_period, period_of_kind

QUICK_KINDS = ("day", "week", "month", "quarter", "year", "custom")


def page(view):
    """Login required; a domain refusal becomes 403/404 like everywhere else on the site."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            raise HttpForbidden(exc.message) from exc
        except NotFound as exc:
            raise Http404(exc.message) from exc

    return wrapper


def viewer_for(request, party: str | None = None) -> Viewer:
    viewer = Viewer(request.user)
    viewer.require(party)
    return viewer


def period_from(request):
    """The `period` query parameter; a bad one is reported and the current month is shown instead."""
    try:
        return parse_period(request.GET.get("period", ""))
    except ValidationError as exc:
        messages.error(request, exc.message)
        return parse_period("")


def period_context(request, period) -> dict:
    today = timezone.localdate()
    quick = [(KIND_LABELS[k], period_of_kind(k, today).code) for k in QUICK_KINDS]
    previous = period.previous()
    following = None
    if period.end <= today:
        if period.kind == "custom":
            following = Period("custom", period.end, period.end + (period.end - period.start)).code
        else:
            following = period_of_kind(period.kind, period.end).code
    return {
        "period": period,
        "quick_periods": quick,
        "previous_period": previous.code,
        "next_period": following,
        "kind_label": KIND_LABELS.get(period.kind, ""),
    }


def domain_message(request, exc: DomainError) -> None:
    messages.error(request, exc.message)


NO_VALUE_NOTE = _("“—” means no value: nothing to count in the period (a zero denominator), not 0 %.")
