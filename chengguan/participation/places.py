"""城管社区工作室 and 便民岗亭: places with a duty roster. The region's leaders and administrators (and the shift
leaders of the managing unit) put staff on duty; one person is never on duty at two places at once. Citizens see
who is on duty now (name masked) on the portal."""

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from chengguan.core.errors import Conflict, PermissionDenied, ValidationError
from chengguan.enforcement.privacy import mask_name
from chengguan.org.scope import STAFF_ROLES, has_role, scope_q, sees_everything

from .access import STAFF, may_roster
from .models import DutySlot, Place


def places_for(user) -> QuerySet:
    qs = Place.objects.select_related("region", "department")
    if sees_everything(user):
        return qs
    return qs.filter(scope_q(user, region_field="region", department_field="department", roles=STAFF))


def duty_assign(*, actor, place: Place, person, starts_at: datetime, ends_at: datetime) -> DutySlot:
    if not may_roster(actor, place):
        raise PermissionDenied(_("Only the region's leaders and administrators set the duty roster."),
                               field="place")
    if not (sees_everything(person) or has_role(person, *STAFF_ROLES)):
        raise ValidationError(_("Only staff members go on duty."), field="person")
    if ends_at <= starts_at:
        raise ValidationError(_("The duty ends after it starts."), field="ends_at")
    if (ends_at - starts_at).total_seconds() > 24 * 3600:
        raise ValidationError(_("A duty lasts at most 24 hours."), field="ends_at")
    with transaction.atomic():
        # lock the person's slots so that two rosters cannot book them at once
        list(DutySlot.objects.select_for_update().filter(person=person).values_list("pk", flat=True))
        clash = DutySlot.objects.filter(person=person, starts_at__lt=ends_at, ends_at__gt=starts_at).first()
        if clash is not None:
            raise Conflict(_("%(person)s is already on duty at %(place)s then.")
                           % {"person": person, "place": clash.place}, field="person")
        return DutySlot.objects.create(place=place, person=person, starts_at=starts_at, ends_at=ends_at)


def on_duty(place: Place, now: datetime) -> list[DutySlot]:
    return [s for s in place.slots.all() if s.starts_at <= now < s.ends_at]


def public_places(now: datetime) -> list[dict]:
    """What the portal shows: active places, hours and who is on duty now (masked name)."""
    rows = []
    for p in Place.objects.filter(is_active=True).select_related("region").prefetch_related("slots__person"):
        duty = on_duty(p, now)
        upcoming = [s for s in p.slots.all() if now <= s.starts_at and s.starts_at.date() == now.date()]
        rows.append({
            "place": p, "on_duty": [mask_name(s.person.full_name or s.person.username) for s in duty],
            "until": max((s.ends_at for s in duty), default=None),
            "next": min((s.starts_at for s in upcoming), default=None),
        })
    return rows
