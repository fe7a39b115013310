"""Reads about shops (门前三包) and the small-ad phone registry, filtered by the actor's data scope."""

from django.db.models import Count, Exists, OuterRef, Q

from chengguan.org.scope import in_scope, scope_q

from ..access import EVERYONE_IN_PATROL, roles_set
from ..models import AdPhone, AdSighting, Shop, ShopViolation

ROLES = roles_set(EVERYONE_IN_PATROL)


def shops_in_scope(actor):
    return in_scope(
        Shop.objects.select_related("region", "unit_grid").annotate(
            open_violations=Count("violations", filter=Q(violations__status=ShopViolation.Status.OPEN))
        ),
        actor,
        region_field="region",
        roles=ROLES,
    )


def violations_in_scope(actor):
    return in_scope(
        ShopViolation.objects.select_related("shop", "inspection__inspector", "matter"),
        actor,
        region_field="shop__region",
        roles=ROLES,
    )


def ad_phones_in_scope(actor):
    """A number is visible to whoever may see one of its sightings."""
    visible = AdSighting.objects.filter(
        scope_q(actor, region_field="region", roles=ROLES), phone=OuterRef("pk")
    )
    return AdPhone.objects.filter(Exists(visible))


def sightings_in_scope(actor):
    return in_scope(
        AdSighting.objects.select_related("phone", "reported_by", "region"),
        actor,
        region_field="region",
        roles=ROLES,
    )
