"""`case_act(action=...)`: one entry point for the API, the pages and the importer.

It turns wire parameters (ids and codes) into objects, rejects parameters the action does not take, and calls
the action's service.
"""

import inspect

from django.utils.translation import gettext as _

from chengguan.catalog.models import FilingCondition
from chengguan.catalog.services import matter_for_code
from chengguan.core.errors import PermissionDenied, ValidationError
from chengguan.org.models import Department, Region

from .. import workflow
from ..models import Case
from . import actions

ACTION_SERVICES = {name: getattr(actions, f"case_{name}") for name in workflow.ACTIONS}
# wire name → (service keyword, resolver(value, actor))
_INTERNAL = {"actor", "case", "at", "system_role"}


def _department(value, actor):
    dept = Department.objects.filter(pk=value).first()
    if dept is None:
        raise ValidationError(_("Unknown department %(value)s.") % {"value": value}, field="department_id")
    return dept


def _district(value, actor):
    region = Region.objects.filter(pk=value).first()
    if region is None:
        raise ValidationError(_("Unknown district %(value)s.") % {"value": value}, field="district_id")
    return region


def _filing_condition(value, actor):
    condition = FilingCondition.objects.filter(pk=value, is_active=True).first()
    if condition is None:
        raise ValidationError(
            _("Unknown filing condition %(value)s.") % {"value": value}, field="filing_condition_id"
        )
    return condition


def _target(value, actor):
    from ..selectors import visible_cases

    qs = visible_cases(actor) if actor is not None else Case.objects.all()
    lookup = {"number": value} if isinstance(value, str) and not value.isdigit() else {"pk": value}
    target = qs.filter(**lookup).first()
    if target is None:
        raise ValidationError(_("Unknown case %(value)s.") % {"value": value}, field="target_id")
    return target


WIRE = {
    "department_id": ("department", _department),
    "district_id": ("district", _district),
    "filing_condition_id": ("filing_condition", _filing_condition),
    "matter_code": ("matter", lambda value, actor: matter_for_code(str(value))),
    "target_id": ("target", _target),
}


def action_parameters(action: str) -> set[str]:
    service = ACTION_SERVICES[action]
    return {p for p in inspect.signature(service).parameters if p not in _INTERNAL}


def _precheck(actor, case, action, system_role):
    """State first (409), then role (403), then input (422); the service re-checks all under the row lock."""
    from ..permissions import acting_role
    from .engine import illegal

    rows = workflow.transitions_for(action, case.state)
    if not rows:
        raise illegal(action, case.state)
    if system_role is None and not any(acting_role(actor, case, t.roles, action) for t in rows):
        roles = sorted({r for t in rows for r in t.roles})
        raise PermissionDenied(
            _("You may not do “%(action)s” on this case (role needed: %(roles)s).")
            % {"action": workflow.ACTION_LABELS.get(action, action), "roles": ", ".join(roles)},
            field="action",
        )


def case_act(*, actor, case: Case, action: str, at=None, system_role: str | None = None, **params) -> Case:
    """Run `action` with wire parameters; `None` values count as absent."""
    service = ACTION_SERVICES.get(action)
    if service is None:
        raise ValidationError(
            _("Unknown action %(action)r; use one of %(value)s.")
            % {"action": action, "value": ", ".join(workflow.ACTIONS)},
            field="action",
        )
    _precheck(actor, case, action, system_role)
    accepted = action_parameters(action)
    kwargs = {}
    for name, value in params.items():
        if value is None or (name == "photos" and not value):
            continue
        key, resolve = WIRE.get(name, (name, None))
        if key not in accepted:
            raise ValidationError(
                _("The action %(action)r does not take %(name)r.") % {"action": action, "name": name},
                field=name,
            )
        kwargs[key] = resolve(value, actor) if resolve else value
    signature = inspect.signature(service).parameters
    for name, parameter in signature.items():
        if name not in _INTERNAL and parameter.default is inspect.Parameter.empty and name not in kwargs:
            if name == "reason":
                raise ValidationError(_("Give a reason."), field="reason")
            if name == "confirmed":
                kwargs[name] = None  # the service explains what is missing
                continue
            wire = next((w for w, (k, _r) in WIRE.items() if k == name), name)
            raise ValidationError(
                _("The action %(action)r needs %(wire)r.") % {"action": action, "wire": wire}, field=wire
            )
    return service(actor=actor, case=case, at=at, system_role=system_role, **kwargs)
