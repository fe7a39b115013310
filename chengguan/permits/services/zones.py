"""Vending zones: a stall permit takes one place of its zone's capacity for its validity."""

from django.db.models import Q
from django.utils.translation import gettext as _

from chengguan.core.errors import Conflict

from ..models import Application, Kind, VendingZone


def holders(zone: VendingZone, valid_from, valid_to, *, exclude=()):
    """Stall permits of the zone valid at some day of the period."""
    return Application.objects.filter(
        kind=Kind.STALL, zone=zone, status=Application.Status.GRANTED, valid_from__lte=valid_to,
        valid_to__gte=valid_from,
    ).exclude(pk__in=[e for e in exclude if e])


def occupancy(zone: VendingZone, day) -> int:
    return holders(zone, day, day).count()


def check_stall(application: Application, valid_from, valid_to) -> None:
    """Room in the zone for the whole period (a renewal does not compete with the permit it renews), and a stall
    number no other valid permit of the zone holds."""
    zone = application.zone
    others = holders(zone, valid_from, valid_to, exclude=[application.pk, application.renewal_of_id])
    if others.count() >= zone.capacity:
        raise Conflict(
            _("%(zone)s is full: %(n)d of %(n)d stalls are taken in this period.")
            % {"zone": zone.name, "n": zone.capacity}, field="zone")
    if application.stall_number and others.filter(~Q(stall_number=""), stall_number=application.stall_number).exists():
        raise Conflict(_("Stall %(number)s of this zone is taken in this period.")
                       % {"number": application.stall_number}, field="stall_number")
