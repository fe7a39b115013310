"""Who handles permits: officers, legal reviewers, leaders and administrators of the application's region (an
application outside the scope answers 404); leaders decide and approve extensions. The register is public."""

from django.utils.translation import gettext as _

from chengguan.core.errors import PermissionDenied
from chengguan.org.models import Role
from chengguan.org.scope import has_role, scope_q, sees_everything, user_covers_region

from .workflow import CLERKS

FINDERS = {Role.OFFICER.value, Role.ASSISTANT.value, Role.LEADER.value, Role.ADMIN.value}


def can_handle(user) -> bool:
    return user.is_authenticated and (sees_everything(user) or has_role(user, *CLERKS))


def require_handle(user) -> None:
    if not can_handle(user):
        raise PermissionDenied(_("Your roles do not include permit handling."), field="actor")


def scope(user):
    return scope_q(user, region_field="region", roles=CLERKS)


def may(user, roles, region) -> bool:
    if sees_everything(user):
        return True
    return user_covers_region(user, region, roles=set(roles))


def require(user, roles, region, message: str) -> None:
    if not may(user, roles, region):
        raise PermissionDenied(message, field="actor")
