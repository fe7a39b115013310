"""`{% enforcement_on_case case %}`: the enforcement line on a 数字城管 case page (cases/detail.html), so that
the cases app shows its enforcement clue and outcome without importing this app. Certified officers of the
area see the button that opens the clue; everyone who sees the case sees the linked case's state and outcome."""

from django import template
from django.utils import timezone

from ..models import EnforcementCase, PowerItem
from ..permissions import covering_roles
from ..services.from_case import ENFORCEABLE, clue_refusal, power_item_for

register = template.Library()


@register.inclusion_tag("enforcement/_on_case.html", takes_context=True)
def enforcement_on_case(context, case):
    user = context.get("user")
    linked = list(EnforcementCase.objects.filter(source_case=case).select_related("region", "department"))
    rows = [{"case": e, "may_open": bool(user and user.is_authenticated
                                          and covering_roles(user, region=e.region, department=e.department))}
            for e in linked]
    may_open_clue = not linked and clue_refusal(user, case, timezone.localdate()) is None
    mapped = power_item_for(case.matter) if may_open_clue else None
    items = []
    if may_open_clue and mapped is None:
        items = list(PowerItem.objects.filter(power_type__in=ENFORCEABLE).only("code", "name"))
    return {"case": case, "rows": rows, "may_open_clue": may_open_clue, "mapped": mapped, "items": items,
            "csrf_token": context.get("csrf_token")}
