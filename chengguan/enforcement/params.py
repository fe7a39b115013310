"""Parse an act's parameters (from a JSON body or a form) by the act's declared `Param`s."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from chengguan.core.errors import ValidationError
from chengguan.org.models import User

from .workflow import Act, Param

TRUE = {True, "1", "true", "True", "on", "yes", "是"}


def _text(p: Param, value) -> str:
    if not isinstance(value, str | int | float | Decimal):
        raise ValidationError(_("%(field)s must be text") % {"field": p.label}, field=p.name)
    text = str(value).strip()
    limit = 5000 if p.kind == "longtext" else 300
    if len(text) > limit:
        raise ValidationError(_("%(field)s is longer than %(limit)s characters") % {"field": p.label, "limit": limit}, field=p.name)
    return text


def _decimal(p: Param, value) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(_("%(field)s must be a number") % {"field": p.label}, field=p.name) from exc
    if not number.is_finite() or number < 0 or number > Decimal("1e11"):
        raise ValidationError(_("%(field)s must be a non-negative amount") % {"field": p.label}, field=p.name)
    return number.quantize(Decimal("0.01"))


def _int(p: Param, value) -> int:
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise ValidationError(_("%(field)s must be a whole number") % {"field": p.label}, field=p.name) from exc
    if number < 0:
        raise ValidationError(_("%(field)s must not be negative") % {"field": p.label}, field=p.name)
    return number


def _date(p: Param, value) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError as exc:
        raise ValidationError(_("%(field)s must be a date like 2026-03-02") % {"field": p.label}, field=p.name) from exc


def _datetime(p: Param, value) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        moment = parse_datetime(str(value).strip().replace(" ", "T")) if value else None
        if moment is None:
            raise ValidationError(_("%(field)s must be a date and time like 2026-03-02T09:30") % {"field": p.label}, field=p.name)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _user(p: Param, value) -> User:
    try:
        pk = int(value.pk if isinstance(value, User) else str(value).strip())
    except ValueError as exc:
        raise ValidationError(_("%(field)s must be a user id") % {"field": p.label}, field=p.name) from exc
    user = User.objects.filter(pk=pk, is_active=True).first()
    if user is None:
        raise ValidationError(_("%(field)s: no such user") % {"field": p.label}, field=p.name)
    return user


def _list(p: Param, value) -> list[str]:
    if isinstance(value, str):
        value = [v for v in value.replace("，", ",").replace("\n", ",").split(",")]
    if not isinstance(value, list | tuple):
        raise ValidationError(_("%(field)s must be a list") % {"field": p.label}, field=p.name)
    return [str(v).strip() for v in value if str(v).strip()]


def _items(p: Param, value) -> list[dict]:
    """Seized items: a list of {name, quantity, unit} or lines of "name quantity unit"."""
    if isinstance(value, str):
        rows = []
        for line in filter(None, (ln.strip() for ln in value.splitlines())):
            parts = line.replace("×", " ").split()
            rows.append({"name": parts[0], "quantity": parts[1] if len(parts) > 1 else "1",
                         "unit": " ".join(parts[2:]) if len(parts) > 2 else ""})
        value = rows
    if not isinstance(value, list) or not all(isinstance(v, dict) and v.get("name") for v in value):
        raise ValidationError(_("%(field)s must list items with a name") % {"field": p.label}, field=p.name)
    return [{"name": str(v["name"])[:100], "quantity": str(v.get("quantity", "1"))[:20],
             "unit": str(v.get("unit", ""))[:20], "note": str(v.get("note", ""))[:200]} for v in value]


CONVERT = {
    "text": _text,
    "longtext": _text,
    "decimal": _decimal,
    "int": _int,
    "date": _date,
    "datetime": _datetime,
    "user": _user,
    "list": _list,
    "items": _items,
}


def parse_params(act: Act, data: dict, *, strict: bool = True) -> dict:
    """Typed keyword arguments for the act's service; unknown keys are refused when `strict` (the API)."""
    known = {p.name: p for p in act.params}
    if strict:
        unknown = sorted(set(data) - set(known))
        if unknown:
            raise ValidationError(_("unknown field %(name)s") % {"name": unknown[0]}, field=unknown[0])
    out = {}
    for p in act.params:
        value = data.get(p.name)
        if p.kind == "bool":
            out[p.name] = value in TRUE
            continue
        if value is None or value == "" or value == []:
            if p.required:
                raise ValidationError(_("%(field)s is required") % {"field": p.label}, field=p.name)
            continue
        if p.kind == "choice":
            if value not in p.choices:
                raise ValidationError(_("%(field)s must be one of %(choices)s") % {"field": p.label, "choices": ", ".join(p.choices)}, field=p.name)
            out[p.name] = value
        else:
            out[p.name] = CONVERT[p.kind](p, value)
    return out
