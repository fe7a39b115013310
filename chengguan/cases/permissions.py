"""Who may act on a case: a role from the transition table, bound to a scope that covers the case.

- operators, shift leaders, dispatchers and leaders act on cases in their region subtree;
- department handlers act on cases currently assigned to their department subtree;
- supervisors act on the verify/check tasks of their responsibility grid (the task's assignee, a colleague of
  the same grid, or — for a case outside every responsibility grid — any supervisor covering its region), and
  self-handle only their own reports;
- superusers may act as any role (recorded as `admin`).
"""

from chengguan.org.models import Role
from chengguan.org.scope import _assignments, sees_everything

REGION_ROLES = frozenset(
    {Role.OPERATOR.value, Role.SHIFT_LEADER.value, Role.DISPATCHER.value, Role.LEADER.value, Role.ADMIN.value}
)
SUPERVISOR = Role.SUPERVISOR.value
DEPARTMENT = Role.DEPARTMENT_HANDLER.value


def _covers_region(assignment, case) -> bool:
    return bool(assignment.region_id) and case.community.path.startswith(assignment.region.path)


def _covers_department(assignment, case) -> bool:
    dept = case.current_department
    return bool(assignment.department_id and dept) and dept.path.startswith(assignment.department.path)


def _grid_supervisor_ids(case) -> set[int]:
    cached = getattr(case, "_grid_supervisor_ids", None)
    if cached is None:
        cached = set()
        if case.responsibility_grid_id:
            cached = set(case.responsibility_grid.supervisors.values_list("pk", flat=True))
        case._grid_supervisor_ids = cached
    return cached


def supervisor_may_act(user, case) -> bool:
    if case.assignee_id == user.pk or user.pk in _grid_supervisor_ids(case):
        return True
    if case.assignee_id is None and not _grid_supervisor_ids(case):
        return any(_covers_region(a, case) for a in _assignments(user, {SUPERVISOR}))
    return False


def _role_covers(user, case, role: str, action: str) -> bool:
    if role == DEPARTMENT:
        return any(_covers_department(a, case) for a in _assignments(user, {role}))
    if role == SUPERVISOR:
        if action == "self_handle":
            return case.reporter_id == user.pk and any(
                _covers_region(a, case) for a in _assignments(user, {role})
            )
        return supervisor_may_act(user, case)
    return any(_covers_region(a, case) for a in _assignments(user, {role}))


def acting_role(user, case, roles, action: str = "") -> str | None:
    """The role under which `user` may do a transition allowed to `roles` on `case`, or None."""
    if not user or not user.is_authenticated:
        return None
    if sees_everything(user):
        return Role.ADMIN.value
    for role in sorted(roles):
        if _role_covers(user, case, role, action):
            return role
    return None
