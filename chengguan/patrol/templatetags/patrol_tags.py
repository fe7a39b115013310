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
