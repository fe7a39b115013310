"""Personal information (PIPL): reporters' names and phones are shown masked; a permitted role may reveal them
for a stated reason, and every reveal is logged (who, whose, when, why)."""

from datetime import datetime

from django.utils import timezone

from chengguan.core.errors import PermissionDenied, ValidationError
from chengguan.core.privacy import mask_name, mask_phone
from chengguan.org.models import Role
from chengguan.org.scope import has_role, sees_everything

from ..models import PersonalDataReveal

# Roles that call reporters back (受理员, 值班长): they may reveal, one case at a time, with a reason.
REVEAL_ROLES = (Role.OPERATOR.value, Role.SHIFT_LEADER.value)


def may_reveal(user) -> bool:
    return bool(user and user.is_authenticated) and (sees_everything(user) or has_role(user, *REVEAL_ROLES))


def masked_reporter(case) -> dict:
    return {"name": mask_name(case.reporter_name), "phone": mask_phone(case.reporter_phone)}


def reporter_reveal(*, actor, case, reason: str, ip: str | None = None, at: datetime | None = None) -> dict:
    """The reporter's full name and phone, logged. The caller has fetched `case` through the actor's data
    scope (`chengguan.cases.selectors.case_for`), so a case outside it is already a 404."""
    if not may_reveal(actor):
        raise PermissionDenied("Your role may not see reporters' personal data.", field="reason")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise ValidationError("Say why you need the reporter's details.", field="reason")
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
        ip=ip or None,
    )
    return {"name": case.reporter_name, "phone": case.reporter_phone}
