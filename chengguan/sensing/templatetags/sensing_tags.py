from django import template

register = template.Library()


@register.filter
def pct(value) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


@register.inclusion_tag("sensing/_case.html")
def sensing_case(case):
    """The alarms (with snapshots) that opened or followed a case, and its automatic checks: one line on the
    case page. The page already checked that the reader may see the case."""
    from ..models import Alarm, AutoCheck

    alarms = Alarm.objects.filter(case=case).select_related("camera", "sensor__type", "matter").order_by("occurred_at")
    checks = AutoCheck.objects.filter(case=case).prefetch_related("requests__vendor").order_by("opened_at")
    return {"alarms": list(alarms[:20]), "checks": list(checks)}
