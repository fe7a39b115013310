from datetime import timedelta

from django import template

from ..models import Body

register = template.Library()


@register.filter
def body_label(value: str) -> str:
    try:
        return Body(value).label
    except ValueError:
        return value


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@register.filter
def hours(value: timedelta) -> str:
    return f"{value.total_seconds() / 3600:.1f}"


@register.filter
def bar_width(value) -> str:
    return f"{max(0.0, min(float(value or 0), 1.0)) * 100:.1f}%"


@register.inclusion_tag("patrol/_origin.html")
def patrol_origin(obj):
    """Where a case (cases.Case) or an enforcement case came from in patrol: the frontage violations that opened
    it and, for an enforcement case, the joint operations that produced it. One line on their detail pages."""
    from ..models import JointOperation, ShopViolation

    label = obj._meta.label
    if label == "cases.Case":
        violations = ShopViolation.objects.filter(case=obj).select_related("shop")
        operations = JointOperation.objects.none()
    elif label == "enforcement.EnforcementCase":
        violations = ShopViolation.objects.filter(clue=obj).select_related("shop")
        operations = obj.joint_operations.all()
    else:
        violations = operations = ()
    return {"violations": list(violations), "operations": list(operations)}
