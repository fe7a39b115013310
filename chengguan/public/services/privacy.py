"""Personal information (PIPL): reporters' names and phones are shown masked; a permitted role may reveal them
for a stated reason, and every reveal is logged (who, whose, when, why)."""

import ipaddress
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import PermissionDenied, ValidationError
from chengguan.core.privacy import masked_reporter
from chengguan.org.models import Role
from chengguan.org.scope import has_role, sees_everything

from ..models import PersonalDataReveal

__all__ = ["REVEAL_ROLES", "masked_reporter", "may_reveal", "reporter_reveal"]

# Roles that call reporters back (受理员, 值班长): they may reveal, one case at a time, with a reason.
REVEAL_ROLES = (Role.OPERATOR.value, Role.SHIFT_LEADER.value)


def may_reveal(user) -> bool:
    return bool(user and user.is_authenticated) and (sees_everything(user) or has_role(user, *REVEAL_ROLES))


def reporter_reveal(*, actor, case, reason: str, ip: str | None = None, at: datetime | None = None) -> dict:
    """The reporter's full name and phone, logged. The caller has fetched `case` through the actor's data
    scope (`chengguan.cases.selectors.case_for`), so a case outside it is already a 404."""
    if not may_reveal(actor):
        raise PermissionDenied(_("Your role may not see reporters' personal data."), field="reason")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError(_("Say why you need the reporter's details."), field="reason")
    role = next((r for r in REVEAL_ROLES if has_role(actor, r)), Role.ADMIN.value)
    masked = masked_reporter(case)
    PersonalDataReveal.objects.create(
        actor=actor,
        actor_role=role,
        case=case,
        subject=f"{masked['name']} {masked['phone']}".strip()[:100],
        fields="reporter_name,reporter_phone",
        reason=reason[:200],
        at=at or timezone.now(),
        ip=_ip_or_none(ip),
    )
    return {"name": case.reporter_name, "phone": case.reporter_phone}


def _ip_or_none(ip: str | None) -> str | None:
    """The log keeps a real address or nothing (`client_ip` may say "unknown"; PostgreSQL's inet refuses it)."""
    try:
        return str(ipaddress.ip_address((ip or "").strip()))
    except ValueError:
        return None
