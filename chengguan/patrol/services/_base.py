"""Helpers shared by the services: the activity log and input checks."""

from django.utils.translation import gettext as _

from chengguan.core.errors import ValidationError

from ..models import ActivityLog


def log(actor, action: str, obj, *, region=None, summary: str = "", **data) -> ActivityLog:
    return ActivityLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target=obj._meta.label_lower,
        target_id=obj.pk,
        region=region,
        summary=summary[:300],
        data=data,
    )


def require_text(value: str, field: str, *, max_length: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(_("This field is required."), field=field)
    if max_length and len(value) > max_length:
        raise ValidationError(_("At most %(n)d characters.") % {"n": max_length}, field=field)
    return value


def require_choice(value: str, choices, field: str) -> str:
    if value not in {c.value if hasattr(c, "value") else c for c in choices}:
        raise ValidationError(_("Not a valid choice: %(value)s") % {"value": value}, field=field)
    return value
