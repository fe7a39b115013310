from django import template
from django.utils.translation import gettext_lazy as _

from ..provisional import RECOMPUTE_ACTION, RECOMPUTE_LABEL
from ..workflow import ACTION_LABELS, STATE_LABELS

register = template.Library()

LIGHT_LABELS = {"green": _("on time"), "yellow": _("due soon"), "red": _("overdue")}
ROLE_LABELS = {
    "system": _("system"),
    "citizen": _("citizen"),
}


@register.filter
def light(case, now):
    return case.traffic_light(now)


@register.filter
def light_label(value):
    return LIGHT_LABELS.get(value, "")


@register.filter
def state_label(value):
    return STATE_LABELS.get(value, value)


@register.filter
def action_label(value):
    if value == RECOMPUTE_ACTION:
        return RECOMPUTE_LABEL
    return ACTION_LABELS.get(value, _("report") if value == "report" else value)


QUEUE_STEP_LABELS = {
    "file": _("awaiting filing"),
    "close": _("awaiting closure"),
    "handle": _("being handled"),
    "hung_up": _("hung up"),
}


@register.filter
def queue_step_label(value):
    return QUEUE_STEP_LABELS.get(value, value)


@register.filter
def channel_words(value):
    """A case's intake channel in words ("app" → 手机应用), never the stored code."""
    from ..presenters import channel_label

    return channel_label(value)


@register.filter
def step_label(value):
    """A step code (accept, handle, check ...) in words; "" for none."""
    from chengguan.catalog.steps import STEP_CHOICES

    return dict(STEP_CHOICES).get(value, value) if value else ""


@register.filter
def unit_label(value):
    """A time-limit unit (working_days ...) in words."""
    from ..actionforms import UNIT_LABELS

    return UNIT_LABELS.get(value, value) if value else ""


@register.filter
def role_label(value):
    from chengguan.org.models import Role

    if value in ROLE_LABELS:
        return ROLE_LABELS[value]
    try:
        return Role(value).label
    except ValueError:
        return value


@register.filter
def exif_distance(photo, case):
    """Metres between where the photo says it was taken (EXIF GPS, WGS84) and the case's point, or ""."""
    from chengguan.core.coords import to_storage

    from ..selectors import distance_m

    if photo.exif_lng is None or photo.exif_lat is None:
        return ""
    try:
        lng, lat = to_storage(photo.exif_lng, photo.exif_lat, "wgs84")
    except Exception:  # noqa: BLE001 - a photo's odd EXIF never breaks the page
        return ""
    return round(distance_m(lng, lat, case.lng, case.lat))


@register.filter
def exif_gap_minutes(photo, case):
    """Minutes between the photo's EXIF time and the report's time, or ""."""
    if photo.taken_at is None:
        return ""
    return round(abs((case.reported_at - photo.taken_at).total_seconds()) / 60)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
