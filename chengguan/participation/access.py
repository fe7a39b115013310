"""Who may do what in participation. The light roles get exactly this app's pages: a volunteer their own reports
and points, a social supervisor the enforcement outcomes of their region without the parties' personal data."""

from chengguan.core.errors import PermissionDenied
from chengguan.org.models import LIGHT_ROLES, Role
from chengguan.org.scope import has_role, sees_everything, user_covers_department, user_covers_region

VOLUNTEER = Role.VOLUNTEER.value
SOCIAL_SUPERVISOR = Role.SOCIAL_SUPERVISOR.value
STAFF = frozenset(r.value for r in Role) - LIGHT_ROLES
# who answers a supervisor's comment: the leaders, the legal office and the administrators of the case's region
ANSWERERS = frozenset({Role.LEADER.value, Role.LEGAL_REVIEWER.value, Role.ADMIN.value})
MANAGERS = frozenset({Role.LEADER.value, Role.ADMIN.value})
CONSULTATION_MANAGERS = MANAGERS | {Role.LEGAL_REVIEWER.value}


def require_role(user, *roles, message: str) -> None:
    if not (user and user.is_authenticated and (sees_everything(user) or has_role(user, *roles))):
        raise PermissionDenied(message, field="user")


def may_answer(user, case) -> bool:
    return sees_everything(user) or user_covers_region(user, case.region, roles=ANSWERERS)


def may_roster(user, place) -> bool:
    return (sees_everything(user) or user_covers_region(user, place.region, roles=MANAGERS)
            or user_covers_department(user, place.department, roles=MANAGERS | {Role.SHIFT_LEADER.value}))
