"""Matters as Open311 services (大类 as `group`), their definitions, and checking posted attribute values."""

from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from chengguan.catalog.models import FilingCondition, MatterType, Severity
from chengguan.catalog.services import active_matter
from chengguan.grids.models import Component

from .render import Open311Error


def active_matters():
    return MatterType.objects.filter(is_active=True).order_by("code")


def service_for(code: str) -> MatterType:
    code = (code or "").strip()
    if not code:
        raise Open311Error(400, "service_code was not provided", code="service_code_missing")
    matter = active_matter(code)  # memoised per process (catalog.services)
    if matter is None:
        raise Open311Error(404, f"service_code {code} not found", code="service_code_not_found")
    return matter


def _conditions(matter) -> list[str]:
    cached = getattr(matter, "_public_conditions", None)
    if cached is None:
        cached = [
            c.text for c in FilingCondition.objects.filter(matter=matter, is_active=True).order_by("code")
        ]
    return cached


def service_dict(matter, conditions: list[str] | None = None) -> dict:
    if conditions is not None:
        matter._public_conditions = conditions
    texts = _conditions(matter)
    return {
        "service_code": matter.code,
        "service_name": matter.name,
        "description": "；".join(texts) if texts else matter.name,
        "metadata": True,
        "type": "realtime",
        "keywords": ",".join([matter.major_name, matter.name]),
        "group": matter.major_name,
    }


def service_list() -> list[dict]:
    matters = list(active_matters())
    by_matter: dict[int, list[str]] = {}
    for matter_id, text in (
        FilingCondition.objects.filter(is_active=True, matter__is_active=True)
        .order_by("code")
        .values_list("matter_id", "text")
    ):
        by_matter.setdefault(matter_id, []).append(text)
    return [service_dict(m, by_matter.get(m.pk, [])) for m in matters]


def attributes_for(matter, *, conditions: bool = True) -> list[dict]:
    """The questions of a service. Codes are stable; `order` is unique within the service. `conditions=False`
    leaves out the filing conditions (an informational, non-variable attribute: a POST needs no query for it)."""
    attributes = []
    texts = _conditions(matter) if conditions else []
    if texts:
        attributes.append(
            {
                "variable": False,
                "code": "filing_condition",
                "datatype": "string",
                "required": False,
                "datatype_description": None,
                "order": len(attributes) + 1,
                "description": _("Reported problems become cases when: %(conditions)s")
                % {"conditions": "；".join(texts)},
            }
        )
    attributes.append(
        {
            "variable": True,
            "code": "severity",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": None,
            "order": len(attributes) + 1,
            "description": _("How serious is it? Leave empty if unsure."),
            "values": [{"key": value, "name": str(label)} for value, label in Severity.choices],
        }
    )
    if matter.component_type_id:
        attributes.append(
            {
                "variable": True,
                "code": "component_id",
                "datatype": "string",
                "required": False,
                "datatype_description": _("17 digits"),
                "order": len(attributes) + 1,
                "description": _("The number on the asset's label (管理部件编码), if you can read it."),
            }
        )
    attributes.append(
        {
            "variable": True,
            "code": "observed_at",
            "datatype": "datetime",
            "required": False,
            "datatype_description": _("ISO 8601 with a time zone, e.g. 2026-03-10T08:30:00+08:00"),
            "order": len(attributes) + 1,
            "description": _("When you saw the problem, if not just now."),
        }
    )
    return attributes


def service_definition(matter) -> dict:
    return {"service_code": matter.code, "attributes": attributes_for(matter)}


_VARIABLE: dict[bool, dict[str, bool]] = {}


def _variable_attributes(matter) -> dict[str, bool]:
    """The codes of the service's variable attributes → required: `attributes_for`'s, kept per shape of service
    (whether its matter names a component type, the only thing they depend on) without the texts a POST ignores."""
    shape = bool(matter.component_type_id)
    found = _VARIABLE.get(shape)
    if found is None:
        attributes = attributes_for(matter, conditions=False)
        found = _VARIABLE[shape] = {a["code"]: a["required"] for a in attributes if a["variable"]}
    return found


def parse_attribute_values(matter, raw: dict) -> dict:
    """Check posted `attribute[code]` values against the definition. Unknown codes are kept as given (clients
    such as FixMyStreet send their own, e.g. `fixmystreet_id`); known ones must be valid."""
    definition = _variable_attributes(matter)
    for code, required in definition.items():
        if required and not raw.get(code):
            raise Open311Error(400, f"attribute[{code}] is required", code="attribute_required")
    result = {"extra": {k: v for k, v in raw.items() if k not in definition}}
    severity = raw.get("severity") or None
    if severity is not None and severity not in Severity.values:
        raise Open311Error(
            400,
            f"attribute[severity] must be one of {', '.join(Severity.values)}",
            code="attribute_invalid",
        )
    result["severity"] = severity
    result["component"] = None
    if raw.get("component_id") and "component_id" in definition:
        component = Component.objects.filter(code=str(raw["component_id"]).strip()).first()
        if component is None:
            raise Open311Error(
                400, "attribute[component_id] is not a known component", code="attribute_invalid"
            )
        result["component"] = component
    result["observed_at"] = _datetime(raw.get("observed_at"), "attribute[observed_at]")
    return result


def _datetime(value, name: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = parse_datetime(str(value).strip()) if isinstance(value, str) else None
    except ValueError:  # well formed but impossible: 2026-02-30, an offset of +99:00
        parsed = None
    if parsed is None:
        raise Open311Error(400, f"{name} is not an ISO 8601 date and time", code="invalid_datetime")
    if not 1900 <= parsed.year <= 2200:
        raise Open311Error(400, f"{name} is out of range (years 1900–2200)", code="invalid_datetime")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed
