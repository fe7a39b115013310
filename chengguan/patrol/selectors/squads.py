"""Reads about squads and rosters: composition checks against templates, rosters in scope."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Prefetch
from django.utils import timezone

from chengguan.org.scope import in_scope

from ..access import EVERYONE_IN_PATROL, roles_set
from ..models import Body, DutyAssignment, DutyShift, JointSquad


@dataclass
class CompositionCheck:
    """How a shift's people compare with its squad's template. Officers count only with a valid certificate."""

    required: dict = field(default_factory=dict)
    actual: Counter = field(default_factory=Counter)
    shortfalls: list = field(default_factory=list)  # (body, required, actual)
    warnings: list = field(default_factory=list)  # (code, detail)
    has_template: bool = False

    @property
    def ok(self) -> bool:
        return not self.shortfalls and not self.warnings


def composition_check(shift: DutyShift) -> CompositionCheck:
    result = CompositionCheck()
    template = shift.squad.template if shift.squad_id and shift.squad.template_id else None
    if "assignments" in getattr(shift, "_prefetched_objects_cache", {}):
        rows = shift.assignments.all()
    else:
        rows = shift.assignments.select_related("user").prefetch_related("user__certificates")
    assignments = [a for a in rows if a.status == DutyAssignment.Status.ON_DUTY]
    for a in assignments:
        if a.body == Body.OFFICER and not any(c.is_valid_on(shift.day) for c in a.user.certificates.all()):
            result.warnings.append(("uncertified_officer", str(a.user)))
            continue
        result.actual[a.body] += 1
    if result.actual[Body.ASSISTANT] and not result.actual[Body.OFFICER]:
        # Assistants only assist officers; they may not patrol for enforcement on their own.
        result.warnings.append(("assistants_without_officer", ""))
    if template is not None:
        result.has_template = True
        result.required = template.required()
        for body, needed in result.required.items():
            if result.actual[body] < needed:
                result.shortfalls.append((body, needed, result.actual[body]))
    return result


def shifts_in_scope(actor):
    return in_scope(
        DutyShift.objects.select_related("grid", "squad__template", "pattern", "leader", "region"),
        actor,
        region_field="region",
        roles=roles_set(EVERYONE_IN_PATROL),
    )


def roster(actor, *, start: date, days: int = 7, grid=None, squad=None):
    """Shifts from `start` for `days` days (in scope), with their people prefetched, in time order."""
    qs = shifts_in_scope(actor).filter(day__gte=start, day__lt=start + timedelta(days=days))
    if grid is not None:
        qs = qs.filter(grid=grid)
    if squad is not None:
        qs = qs.filter(squad=squad)
    return qs.prefetch_related(
        Prefetch(
            "assignments",
            queryset=DutyAssignment.objects.select_related("user")
            .prefetch_related("user__certificates")
            .order_by("body", "pk"),
        ),
        "squad__template__requirements",
    ).order_by("starts_at", "grid__code", "pk")


def squads_in_scope(actor):
    return in_scope(
        JointSquad.objects.select_related("region", "template", "department"),
        actor,
        region_field="region",
        roles=roles_set(EVERYONE_IN_PATROL),
    )


def my_shifts(user, *, start: date | None = None, days: int = 14):
    start = start or timezone.localdate()
    return (
        DutyAssignment.objects.filter(
            user=user, shift__day__gte=start, shift__day__lt=start + timedelta(days=days)
        )
        .select_related("shift__grid", "shift__squad", "shift__pattern")
        .order_by("shift__starts_at")
    )
