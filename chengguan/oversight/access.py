"""Who may do what in oversight; data scope comes from `chengguan.org.scope`.

- hotline operators receive complaints from the hotline; supervisors and leaders record what they found;
- leaders (督察 lead) assign, conclude, reply and issue work permits; legal reviewers investigate when assigned;
- officer files and the officer evaluation are read by leaders and legal reviewers of the area, and by the
  officer themself (their own file).
"""

from django.utils.translation import gettext as _

from chengguan.core.errors import PermissionDenied
from chengguan.org.models import Role
from chengguan.org.scope import has_role, sees_everything, user_covers_region

MANAGERS = {Role.LEADER.value, Role.ADMIN.value}
INVESTIGATORS = {Role.LEADER.value, Role.LEGAL_REVIEWER.value}
READERS = MANAGERS | {Role.LEGAL_REVIEWER.value}
INTAKE = {Role.OPERATOR.value: "hotline", Role.SUPERVISOR.value: "supervisor", Role.LEADER.value: "supervisor"}
INTAKE_ROLES = set(INTAKE)
COMPLAINT_VIEWERS = READERS | {Role.OPERATOR.value, Role.SUPERVISOR.value}


def may(user, roles, region=None) -> bool:
    if sees_everything(user):
        return True
    if region is None:
        return has_role(user, *roles)
    return user_covers_region(user, region, roles=set(roles))


def require(user, roles, region=None, message: str | None = None) -> None:
    if not may(user, roles, region):
        raise PermissionDenied(message or _("You are not allowed to do this."), field="actor")
