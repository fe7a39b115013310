"""Who sees and judges sensing data: the centre's roles (and officers, for off-site enforcement) within their
regions; a device or alarm outside the scope answers 404."""

from django.db.models import Q
from django.utils.translation import gettext as _

from chengguan.core.errors import PermissionDenied
from chengguan.org.models import Role
from chengguan.org.scope import has_role, scope_q, sees_everything, user_covers_region

VIEW_ROLES = {Role.OPERATOR, Role.SHIFT_LEADER, Role.DISPATCHER, Role.LEADER, Role.ADMIN, Role.OFFICER}
REVIEW_ROLES = {Role.OPERATOR, Role.SHIFT_LEADER, Role.DISPATCHER, Role.ADMIN}


def can_view(user) -> bool:
    return sees_everything(user) or has_role(user, *VIEW_ROLES)


def require_view(user) -> None:
    if not can_view(user):
        raise PermissionDenied(_("Your roles do not include the monitoring centre."), field="actor")


def scope(user, roles=VIEW_ROLES) -> Q:
    return scope_q(user, region_field="community", roles={str(r) for r in roles})


def require_review(user, alarm) -> None:
    roles = {str(r) for r in REVIEW_ROLES}
    if alarm.community is None or not (
        sees_everything(user) or user_covers_region(user, alarm.community, roles=roles)
    ):
        raise PermissionDenied(_("Only the operators of this area review its alarms."), field="actor")
