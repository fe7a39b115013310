"""Helpers shared by the patrol pages."""

from datetime import date, datetime, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.utils import timezone

from chengguan.core.errors import DomainError
from chengguan.org.models import Region

from ..access import may


def require_page(user, roles) -> None:
    if not may(user, roles):
        raise DjangoPermissionDenied


def parse_day(value, default: date | None = None) -> date:
    try:
        return datetime.strptime(value or "", "%Y-%m-%d").date()
    except ValueError:
        return default or timezone.localdate()


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def attempt(request, action, success: str) -> bool:
    """Run a service call; a domain error becomes a readable message instead of a 500."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


def form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


def regions_for(user, roles, *, levels=(Region.Level.COMMUNITY,)):
    """Regions of the given levels the user may act in (for form choices)."""
    return [r for r in Region.objects.filter(level__in=levels).order_by("code") if may(user, roles, r)]


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"
