"""Form fields for the act panels, drawn from the acts' declared parameters (workflow.Param)."""

from django.utils.translation import gettext_lazy as _

from chengguan.org.models import RoleAssignment

from .models import DiscretionFactor, PowerItem
from .services.base import PENALTY_KINDS
from .workflow import Act

# Every choice value used by an act, with its label.
VALUE_LABELS = {
    "person": _("citizen (natural person)"),
    "organisation": _("legal person or other organisation"),
    "service": _("service (education, persuasion)"),
    "management": _("management (order to correct)"),
    "warning": _("warning"),
    "fine": _("fine"),
    "none": _("none"),
    "minor": _("minor"),
    "serious": _("serious"),
    "penalty": _("penalty"),
    "no_penalty": _("no penalty"),
    "seal": _("sealing"),
    "seize": _("seizure"),
    "released": _("release"),
    "confiscated": _("confiscate"),
    "destroyed": _("destroy"),
    "approve": _("approve"),
    "return": _("return for further investigation"),
    "direct": _("in person"),
    "left": _("left at the address with a witness"),
    "post": _("by post"),
    "announcement": _("public announcement"),
    "electronic": _("electronically (with consent)"),
    "bank": _("designated bank"),
    "cash": _("cash on the spot"),
    "court": _("court enforcement"),
    "review": _("administrative review"),
    "upheld": _("decision upheld"),
    "revoked": _("decision revoked"),
    "changed": _("decision changed"),
    "illegal": _("decision confirmed unlawful"),
    "withdrawn": _("withdrawn or settled"),
    "lawsuit": _("administrative lawsuit"),
}
INPUT_TYPES = {"decimal": "number", "int": "number", "date": "date", "datetime": "datetime-local", "text": "text",
               "list": "text", "user": "select"}


def users_covering(case, roles: set[str], exclude=None) -> list:
    """Users holding one of `roles` bound to a unit covering the case (for the officer/presider pickers)."""
    users = {}
    for a in RoleAssignment.objects.filter(role__in=roles).select_related("user", "region", "department"):
        covers = (a.region_id and case.region.path.startswith(a.region.path)) or (
            a.department_id and case.department.path.startswith(a.department.path)
        )
        if covers and a.user.is_active and a.user != exclude:
            users[a.user.pk] = a.user
    return sorted(users.values(), key=lambda u: str(u))


def act_fields(act: Act, case, user, values=None) -> list[dict]:
    values = values or {}
    fields = []
    for p in act.params:
        field = {"name": p.name, "label": p.label, "kind": p.kind, "required": p.required,
                 "input": INPUT_TYPES.get(p.kind, "text"), "value": values.get(p.name, ""), "options": None,
                 "checkboxes": None}
        if p.kind == "choice":
            field["options"] = [(v, VALUE_LABELS.get(v, v)) for v in p.choices]
        elif p.name == "co_officer":
            field["options"] = [(u.pk, str(u)) for u in users_covering(case, {"officer"}, exclude=user)]
        elif p.name == "presider":
            others = users_covering(case, {"officer", "legal_reviewer", "leader"})
            handlers = case.officer_ids()
            field["options"] = [(u.pk, str(u)) for u in others if u.pk not in handlers]
        elif p.name == "penalty_kinds":
            field["checkboxes"] = list(PENALTY_KINDS.items())
        elif p.name == "factors":
            factors = DiscretionFactor.objects.filter(item__isnull=True)
            if case.power_item_id:
                factors = factors | DiscretionFactor.objects.filter(item=case.power_item)
            field["checkboxes"] = [(f.code, f"{f.get_kind_display()}：{f.label}") for f in factors]
        elif p.name == "power_item":
            field["options"] = list(PowerItem.objects.filter(power_type__in=("penalty", "coercion"))
                                    .values_list("code", "name"))
            field["value"] = values.get(p.name) or (case.power_item.code if case.power_item_id else "")
        elif p.name == "measure":
            field["options"] = [(m.pk, f"#{m.pk} {m.get_kind_display()} · {m.get_status_display()}")
                                for m in case.measures.all()]
        elif p.kind == "items":
            field["input"] = "textarea"
        elif p.name in ("party_type",):
            field["value"] = values.get(p.name) or case.party_type
        if p.kind == "longtext":
            field["input"] = "textarea"
        elif p.kind == "bool":
            field["input"] = "checkbox"
        fields.append(field)
    return fields


def form_data(act: Act, post) -> dict:
    """The act's parameters out of POST data (checkbox groups become lists, unchecked booleans False)."""
    data = {}
    for p in act.params:
        if p.kind == "list":
            values = post.getlist(p.name)
            data[p.name] = values[0] if len(values) == 1 and "," in values[0] else values
        else:
            data[p.name] = post.get(p.name, "")
    return data
