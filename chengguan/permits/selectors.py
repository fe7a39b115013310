"""Reads: applications in the handler's scope, the public register, the zones with their occupancy."""

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from chengguan.core.privacy import mask_name

from .access import require_handle, scope
from .models import ApplicantType, Application, Finding, VendingZone
from .services.zones import occupancy


def applications(user, *, status: str = "", kind: str = "", q: str = ""):
    require_handle(user)
    rows = Application.objects.filter(scope(user)).select_related("region", "zone")
    if status == "open":
        rows = rows.filter(status__in=["submitted", "notice", "accepted"])
    elif status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if q:
        rows = rows.filter(Q(number__icontains=q) | Q(permit_number__icontains=q) | Q(applicant_name__icontains=q)
                           | Q(address__icontains=q))
    return rows


def application(user, pk: int) -> Application:
    require_handle(user)
    try:
        return Application.objects.filter(scope(user)).select_related("region", "zone", "renewal_of").get(pk=pk)
    except Application.DoesNotExist as exc:
        raise Http404 from exc


def findings(user):
    require_handle(user)
    return Finding.objects.filter(scope(user)).select_related("region", "permit", "clue", "found_by")


def holder(a: Application) -> str:
    """The holder as the register shows it: an organisation by its name, a natural person by family name only."""
    return a.applicant_name if a.applicant_type == ApplicantType.ORGANISATION else mask_name(a.applicant_name)


def register(*, kind: str = "", q: str = "", day=None):
    """Granted permits valid today: what the public register shows (no phone, no ID number, no full name of a
    natural person)."""
    day = day or timezone.localdate()
    rows = Application.objects.filter(status=Application.Status.GRANTED, valid_from__lte=day, valid_to__gte=day)
    if kind:
        rows = rows.filter(kind=kind)
    if q:
        rows = rows.filter(Q(permit_number__icontains=q) | Q(address__icontains=q))
    return rows.select_related("zone").order_by("-decided_at", "-pk")


def register_row(a: Application) -> dict:
    return {"permit_number": a.permit_number, "kind": a.kind, "kind_label": str(a.get_kind_display()),
            "holder": holder(a), "address": a.address, "lng": a.lng, "lat": a.lat, "size": a.size,
            "zone": a.zone.name if a.zone_id else "", "stall_number": a.stall_number,
            "valid_from": a.valid_from.isoformat(), "valid_to": a.valid_to.isoformat()}


def zones(day=None):
    day = day or timezone.localdate()
    rows = list(VendingZone.objects.filter(is_active=True).select_related("region"))
    for z in rows:
        z.occupied = occupancy(z, day)
        z.free = max(z.capacity - z.occupied, 0)
    return rows
