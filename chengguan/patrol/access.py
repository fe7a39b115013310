"""Who may do what in the patrol app, in one place; data scope comes from `chengguan.org.scope`."""

from django.utils.translation import gettext as _

from chengguan.core.errors import PermissionDenied
from chengguan.org.models import Region, Role
from chengguan.org.scope import has_role, sees_everything, user_covers_region

MANAGERS = {Role.LEADER, Role.ADMIN}
STAFF_VIEWERS = MANAGERS | {Role.LEGAL_REVIEWER}
ROSTER_MANAGERS = MANAGERS | {Role.SHIFT_LEADER}
FIELD_STAFF = {Role.SUPERVISOR, Role.OFFICER, Role.ASSISTANT}
OPERATION_STAFF = MANAGERS | {Role.OFFICER}
INSPECTORS = MANAGERS | FIELD_STAFF
EVERYONE_IN_PATROL = MANAGERS | ROSTER_MANAGERS | FIELD_STAFF | {Role.LEGAL_REVIEWER}


def roles_set(roles) -> set[str]:
    return {str(r) for r in roles}


def may(actor, roles, region: Region | None = None) -> bool:
    """True if `actor` holds one of `roles` (for `region`, if given: bound to it or an ancestor)."""
    if sees_everything(actor):
        return True
    if region is None:
        return has_role(actor, *roles)
    return user_covers_region(actor, region, roles=roles_set(roles))


def require(actor, roles, region: Region | None = None, *, message: str | None = None) -> None:
    if not may(actor, roles, region):
        raise PermissionDenied(message or _("You are not allowed to do this."), code="forbidden")
