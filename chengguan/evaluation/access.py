"""Who may see evaluations, and of what: one place for the data scope of fact rows.

- Leaders and administrators bound to the city (and superusers) see everything.
- Every other region-bound role (supervisors, operators, shift leaders, dispatchers, district leaders) sees the
  facts of cases in its region subtree: a district user sees own district's regions, people and departments'
  work in that district.
- Department handlers see their department subtree's handling (the department party) only.
- Anyone else (no role, enforcement officers and assistants) gets 403; an object outside the scope is a 404.
- Recording assessments and issuing notices needs the leader or admin role (notices also dispatchers).
"""

from functools import reduce
from operator import or_

from django.db.models import Q

from chengguan.core.errors import PermissionDenied
from chengguan.org.models import Role
from chengguan.org.scope import department_paths, region_paths, sees_everything, user_roles

DEPARTMENT = Role.DEPARTMENT_HANDLER.value
VIEW_ROLES = frozenset(
    {
        Role.SUPERVISOR.value,
        Role.OPERATOR.value,
        Role.SHIFT_LEADER.value,
        Role.DISPATCHER.value,
        Role.LEADER.value,
        Role.ADMIN.value,
        DEPARTMENT,
    }
)
REGION_ROLES = VIEW_ROLES - {DEPARTMENT}
ASSESS_ROLES = frozenset({Role.LEADER.value, Role.ADMIN.value})
NOTICE_ROLES = frozenset({Role.LEADER.value, Role.ADMIN.value, Role.DISPATCHER.value})


class Viewer:
    """The data scope of one user (or of the system, `user=None`, which sees everything)."""

    def __init__(self, user=None):
        self.user = user
        self.everything = user is None or sees_everything(user)
        self.regions = [] if self.everything else region_paths(user, REGION_ROLES)
        self.departments = [] if self.everything else department_paths(user, {DEPARTMENT})
        if self.regions and _covers_the_whole_city(self.regions):
            # A city-level role sees every row: skip the path filter (a join per fact query at city scale).
            self.everything = True

    @property
    def region_bound(self) -> bool:
        return self.everything or bool(self.regions)

    def require(self, party: str | None = None) -> None:
        if self.everything:
            return
        if not self.user or not self.user.is_authenticated:
            raise PermissionDenied("Sign in to see evaluations.", code="unauthenticated")
        if not (user_roles(self.user) & VIEW_ROLES):
            raise PermissionDenied("Your roles do not include evaluations.")
        if party and party != "department" and not self.regions:
            raise PermissionDenied("Department users see their department's evaluation only.", field="party")

    def region_q(self, prefix: str = "") -> Q:
        """Rows whose community lies in the viewer's regions (`prefix` leads to a model with `community`)."""
        if self.everything:
            return Q()
        parts = [Q(**{f"{prefix}community__path__startswith": p}) for p in self.regions]
        return reduce(or_, parts) if parts else Q(pk__in=[])

    def step_q(self) -> Q:
        """Step facts in scope: by region, and for department handlers the steps their department had."""
        if self.everything:
            return Q()
        parts = [Q(community__path__startswith=p) for p in self.regions]
        parts += [Q(department__path__startswith=p) for p in self.departments]
        return reduce(or_, parts) if parts else Q(pk__in=[])

    def covers_region(self, region) -> bool:
        return self.everything or any(region.path.startswith(p) for p in self.regions)

    def covers_department(self, department) -> bool:
        if self.everything or self.regions:
            return True  # region users see any department's work inside their regions
        return any(department.path.startswith(p) for p in self.departments)


def can_assess(user) -> bool:
    return sees_everything(user) or bool(user_roles(user) & ASSESS_ROLES)


def can_issue_notices(user) -> bool:
    return sees_everything(user) or bool(user_roles(user) & NOTICE_ROLES)


def _covers_the_whole_city(paths: list[str]) -> bool:
    """True when one of the paths is the root of the only region tree (the city this instance serves)."""
    from chengguan.org.models import Region

    roots = list(Region.objects.filter(parent__isnull=True).values_list("path", flat=True)[:2])
    return len(roots) == 1 and roots[0] in paths
