"""Who may do what with the task lists. Tasks are seen by the leaders, administrators and command centre (shift
leaders, dispatchers) of the region they belong to, by the staff of the owner unit (its subtree) and by the person and leader named on them; light roles
(volunteers, social supervisors, police liaisons) and people without a role see none of it."""

from django.db.models import Q

from chengguan.core.errors import NotFound, PermissionDenied
from chengguan.org.models import Role
from chengguan.org.scope import (
    STAFF_ROLES,
    has_role,
    scope_q,
    sees_everything,
    user_covers_department,
    user_covers_region,
)

MANAGERS = frozenset({Role.LEADER.value, Role.ADMIN.value})
# who may put a problem on the list: the managers and the command centre's shift leaders and dispatchers
PROBLEM_RAISERS = MANAGERS | {Role.SHIFT_LEADER.value, Role.DISPATCHER.value}
# staff of the owner unit report progress; an assistant (协管员) may read the unit's tasks but not report on them
REPORTERS = STAFF_ROLES - {Role.ASSISTANT.value}


def is_manager(user) -> bool:
    return sees_everything(user) or has_role(user, *MANAGERS)


def may_raise_problems(user) -> bool:
    return sees_everything(user) or has_role(user, *PROBLEM_RAISERS)


def task_q(user) -> Q:
    if not user or not user.is_authenticated:
        return Q(pk__in=[])
    return (
        scope_q(user, region_field="owner_region", department_field=None, roles=PROBLEM_RAISERS)
        | scope_q(user, region_field=None, department_field="owner_department", roles=STAFF_ROLES)
        | Q(owner_person=user)
        | Q(leader=user)
    )


def problem_q(user) -> Q:
    if not user or not user.is_authenticated:
        return Q(pk__in=[])
    return (
        scope_q(user, region_field="region", department_field=None, roles=PROBLEM_RAISERS)
        | scope_q(user, region_field=None, department_field="department", roles=STAFF_ROLES)
        | Q(task__owner_person=user)
        | Q(task__leader=user)
    )


def may_see_any(user) -> bool:
    return bool(user and user.is_authenticated and (sees_everything(user) or has_role(user, *STAFF_ROLES)))


def require_staff(user) -> None:
    if not may_see_any(user):
        raise PermissionDenied("The task lists are for the bureau's staff.", field="user")


def may_report(user, task) -> bool:
    if not task.is_open:
        return False
    if task.owner_person_id == user.pk or sees_everything(user):
        return True
    if user_covers_department(user, task.owner_department, roles=REPORTERS):
        return True
    return user_covers_region(user, task.owner_region, roles=MANAGERS)


def may_manage(user, task) -> bool:
    return sees_everything(user) or user_covers_region(user, task.owner_region, roles=MANAGERS)


def require_manager_for(user, region) -> None:
    if not (sees_everything(user) or user_covers_region(user, region, roles=MANAGERS)):
        raise PermissionDenied("Only the leaders and administrators of this region set tasks.", field="region")


def get_task(user, pk):
    from .models import Task

    task = Task.objects.filter(task_q(user), pk=pk).select_related(
        "owner_department", "owner_region", "owner_person", "leader", "category", "programme", "meeting"
    ).first()
    if task is None:
        raise NotFound("No such task.", field="task")
    return task
