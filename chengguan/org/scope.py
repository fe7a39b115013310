"""Data scope in one place: a user sees objects of their own organisation subtree; anything else is a 404.

A role bound to a region sees that region's subtree (city ⊃ district ⊃ street ⊃ community). A role bound to a
department sees what belongs to that department's subtree (e.g. cases dispatched to it). Superusers and the
`admin` or `leader` role bound to the city see everything.
"""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import LIGHT_ROLES, Department, Region, Role

# Without an explicit role list, scope comes from the staff roles only: a volunteer's, social supervisor's or police
# liaison's assignment never opens the register of its region (their own apps pass their role explicitly).
STAFF_ROLES = frozenset(r.value for r in Role) - LIGHT_ROLES


def _assignments(user, roles=None):
    if not user or not user.is_authenticated:
        return []
    cache = getattr(user, "_scope_assignments", None)
    if cache is None:
        cache = list(user.role_assignments.select_related("region", "department"))
        user._scope_assignments = cache
    return [a for a in cache if roles is None or a.role in roles]


def region_paths(user, roles=None) -> list[str]:
    return sorted({a.region.path for a in _assignments(user, roles) if a.region_id})


def department_paths(user, roles=None) -> list[str]:
    return sorted({a.department.path for a in _assignments(user, roles) if a.department_id})


def sees_everything(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)


def scope_q(
    user, *, region_field: str | None = "region", department_field: str | None = None, roles=None
) -> Q:
    """A Q object selecting rows in the user's scope. `region_field`/`department_field` are lookups to a
    Region/Department foreign key on the model (e.g. "grid__community" or "current_department")."""
    if sees_everything(user):
        return Q()
    if roles is None:
        roles = STAFF_ROLES
    parts = []
    if region_field:
        parts += [Q(**{f"{region_field}__path__startswith": p}) for p in region_paths(user, roles)]
    if department_field:
        parts += [Q(**{f"{department_field}__path__startswith": p}) for p in department_paths(user, roles)]
    if not parts:
        return Q(pk__in=[])
    return reduce(or_, parts)


def in_scope(qs: QuerySet, user, **fields) -> QuerySet:
    return qs.filter(scope_q(user, **fields))


def get_in_scope(qs: QuerySet, user, *, region_field="region", department_field=None, roles=None, **lookup):
    """Fetch one object the user may see, or raise Http404 (never reveal that it exists)."""
    try:
        return in_scope(
            qs, user, region_field=region_field, department_field=department_field, roles=roles
        ).get(**lookup)
    except qs.model.DoesNotExist as exc:
        raise Http404 from exc


def user_covers_region(user, region: Region, roles=None) -> bool:
    if sees_everything(user):
        return True
    return any(region.path.startswith(p) for p in region_paths(user, roles))


def user_covers_department(user, department: Department, roles=None) -> bool:
    if sees_everything(user):
        return True
    return any(department.path.startswith(p) for p in department_paths(user, roles))


def user_roles(user) -> set[str]:
    return {a.role for a in _assignments(user)}


def has_role(user, *roles: str | Role) -> bool:
    if sees_everything(user) and Role.ADMIN in roles:
        return True
    return bool(user_roles(user) & {str(r) for r in roles})
