"""Who sees and uses the squads' vehicles and equipment: officers, assistants, leaders and administrators of the
squad (its department subtree) or of the squad's region. Light roles and other staff see nothing."""

from django.utils.translation import gettext as _

from chengguan.core.errors import PermissionDenied
from chengguan.org.scope import has_role, scope_q, sees_everything, user_covers_department

VIEW_ROLES = {"officer", "assistant", "leader", "admin", "shift_leader", "dispatcher"}
CREW_ROLES = {"officer", "assistant", "admin"}


def can_view(user) -> bool:
    return bool(user and user.is_authenticated) and (sees_everything(user) or has_role(user, *VIEW_ROLES))


def require_view(user) -> None:
    if not can_view(user):
        raise PermissionDenied(_("Your roles do not include the squads' equipment."), field="actor")


def scope(user):
    return scope_q(user, region_field="squad__region", department_field="squad", roles=VIEW_ROLES)


def require_crew(user, asset) -> None:
    """The squad's officers and assistants (and administrators) send its vehicles' positions."""
    if not user_covers_department(user, asset.squad, roles=CREW_ROLES):
        raise PermissionDenied(_("Only the squad's crew send this vehicle's positions."), field="vehicle")
