"""Who may see and act on an enforcement case. One place, used by services, pages and the API.

A case is visible to enforcement roles (officer, assistant, legal reviewer, leader) whose organisation unit
covers the case's region or its handling department; anything else answers 404. Acting needs, in addition,
one of the act's roles bound to a unit covering the case, and for officers' acts a valid enforcement
certificate on the day; acts performed on the spot or in the investigation need a second, distinct certified
officer. Assistants (协管员) may record clues and evidence while a clue is open, and nothing else.
"""

from datetime import date

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from chengguan.core.errors import PermissionDenied, ValidationError
from chengguan.org.scope import department_paths, region_paths, scope_q
from chengguan.org.selectors import valid_certificate

from .models import EnforcementCase
from .workflow import ASSISTANT, ENFORCEMENT_ROLES, LEADER, LEGAL, OFFICER, Act

CASE_ROLES = (OFFICER, ASSISTANT, LEGAL, LEADER)

# Conditions an assistant must meet, on the day, to be put on a case (registering a clue, attaching material):
# callables (user, day) -> (message, code) or None, registered by other apps (the oversight app's work permit,
# 持证上岗) from their AppConfig.ready, so this app does not import them.
ASSISTANT_CHECKS: list = []


def register_assistant_check(check) -> None:
    if check not in ASSISTANT_CHECKS:
        ASSISTANT_CHECKS.append(check)


def assistant_denial(user, day: date) -> tuple[str, str] | None:
    for check in ASSISTANT_CHECKS:
        found = check(user, day)
        if found:
            return found
    return None


def require_assistant_may_act(user, day: date, *, field: str = "actor") -> None:
    found = assistant_denial(user, day)
    if found:
        raise PermissionDenied(found[0], field=field, code=found[1])


def visible_cases(user) -> QuerySet:
    return EnforcementCase.objects.filter(
        scope_q(user, region_field="region", department_field="department", roles=ENFORCEMENT_ROLES)
    )


def get_case(user, pk) -> EnforcementCase:
    try:
        return visible_cases(user).select_related("body", "department", "region", "power_item").get(pk=pk)
    except (EnforcementCase.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def _covers(paths: list[str], path: str) -> bool:
    return any(path.startswith(p) for p in paths)


def covering_roles(user, *, region, department) -> set[str]:
    """The user's enforcement roles bound to a unit that covers this region or department (no superuser
    shortcut: an administrator does not decide cases)."""
    roles = set()
    for role in CASE_ROLES:
        if _covers(region_paths(user, [role]), region.path) or _covers(department_paths(user, [role]), department.path):
            roles.add(role)
    return roles


def denial(user, case: EnforcementCase, act: Act, today: date) -> tuple[str, str] | None:
    """(message, code) saying why `user` may not do `act` on `case` today, or None if they may (state aside).
    The code names the rule for machines: not_signed_in, assistant_not_allowed, role_not_allowed, no_certificate."""
    if not user or not user.is_authenticated:
        return _("sign in first"), "not_signed_in"
    roles = covering_roles(user, region=case.region, department=case.department)
    allowed = roles & set(act.roles)
    if not allowed:
        if roles == {ASSISTANT} or (ASSISTANT in roles and not roles & {OFFICER, LEADER, LEGAL}):
            return (_("assistants may record clues and assist, but may not perform, sign or decide enforcement acts"),
                    "assistant_not_allowed")
        return _("your role may not do this on this case"), "role_not_allowed"
    if allowed == {ASSISTANT} and (found := assistant_denial(user, today)):
        return found
    if act.certified and allowed == {OFFICER} and valid_certificate(user, today) is None:
        return (_("you hold no valid enforcement certificate on %(day)s") % {"day": f"{today:%Y-%m-%d}"},
                "no_certificate")
    return None


def deny_reason(user, case: EnforcementCase, act: Act, today: date) -> str | None:
    found = denial(user, case, act, today)
    return found[0] if found else None


def check_actor(user, case: EnforcementCase, act: Act, today: date) -> tuple[str, str]:
    """Raise PermissionDenied unless allowed; return (the role acted in, the certificate number or "")."""
    found = denial(user, case, act, today)
    if found:
        raise PermissionDenied(found[0], field="actor", code=found[1])
    roles = covering_roles(user, region=case.region, department=case.department) & set(act.roles)
    role = OFFICER if OFFICER in roles else sorted(roles)[0]
    cert = valid_certificate(user, today) if role == OFFICER else None
    return role, cert.number if cert else ""


def check_co_officer(actor, co_officer, case: EnforcementCase, today: date) -> str:
    """The second officer of a two-officer act: distinct, an officer covering the case, certified today."""
    if co_officer is None:
        raise ValidationError(_("this act needs a second certified officer (行政处罚法第42条)"), field="co_officer")
    if co_officer.pk == actor.pk:
        raise ValidationError(_("the second officer must be a different person"), field="co_officer")
    roles = covering_roles(co_officer, region=case.region, department=case.department)
    if OFFICER not in roles:
        if ASSISTANT in roles:
            raise PermissionDenied(_("the second officer is an assistant, who may not enforce"), field="co_officer",
                                   code="assistant_not_allowed")
        raise PermissionDenied(_("the second officer is not an enforcement officer for this case"), field="co_officer")
    cert = valid_certificate(co_officer, today)
    if cert is None:
        raise PermissionDenied(
            _("the second officer holds no valid enforcement certificate on %(day)s") % {"day": f"{today:%Y-%m-%d}"},
            field="co_officer", code="no_certificate",
        )
    return cert.number


def can_register(user, *, region, department) -> bool:
    return bool(covering_roles(user, region=region, department=department) & {OFFICER, ASSISTANT})
