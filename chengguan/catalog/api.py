"""Read-only catalogue API: matter types with their conditions, code lookup, time-limit preview."""

from datetime import datetime

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema

from chengguan.core.workcalendar import NATURAL_UNITS, touches_provisional

from .models import FilingCondition, MatterType
from .services import compute_deadline, matter_for_code, step_time_limit

router = Router(tags=["catalogue"])


class ConditionOut(Schema):
    id: int
    code: str
    text: str
    closing_text: str
    default_severity: str


class MatterOut(Schema):
    code: str
    name: str
    major_code: str
    major_name: str
    is_extension: bool
    component_type: str | None
    filing_conditions: list[ConditionOut]


class TimeLimitOut(Schema):
    step: str
    amount: float
    unit: str
    deadline: datetime | None = None
    deadline_provisional: bool = False  # computed over a year without an official holiday arrangement


def _matters():
    conditions = FilingCondition.objects.filter(is_active=True).order_by("code")
    return (
        MatterType.objects.filter(is_active=True)
        .select_related("component_type")
        .prefetch_related(Prefetch("filing_conditions", queryset=conditions, to_attr="active_conditions"))
    )


def _out(matter: MatterType) -> dict:
    return {
        "code": matter.code,
        "name": matter.name,
        "major_code": matter.major_code,
        "major_name": matter.major_name,
        "is_extension": matter.is_extension,
        "component_type": matter.component_type.code if matter.component_type_id else None,
        "filing_conditions": matter.active_conditions,
    }


@router.get("/matters", response=list[MatterOut], summary="Active matter types with their filing conditions")
def matter_list(request, q: str = "", major: str = ""):
    matters = _matters()
    if q:
        matters = matters.filter(Q(code__startswith=q) | Q(name__contains=q))
    if major:
        matters = matters.filter(major_code=major)
    return [_out(m) for m in matters]


@router.get(
    "/matters/{code}",
    response=MatterOut,
    summary="One matter type by any code: 5-digit, 11-digit, legacy BJ/SJ 4-digit or dashed 2021-era",
)
def matter_detail(request, code: str):
    matter = matter_for_code(code)
    return _out(get_object_or_404(_matters(), pk=matter.pk))


@router.get(
    "/time-limit", response=TimeLimitOut, summary="The time limit of a step, and its deadline from `start`"
)
def time_limit(
    request,
    step: str,
    filing_condition_id: int | None = None,
    severity: str | None = None,
    area_class: str | None = None,
    start: datetime | None = None,
):
    condition = get_object_or_404(FilingCondition, pk=filing_condition_id) if filing_condition_id else None
    kwargs = {"filing_condition": condition, "severity": severity or None, "area_class": area_class or None}
    amount, unit = step_time_limit(step, **kwargs)
    if start is not None and timezone.is_naive(start):
        start = timezone.make_aware(start)  # a time without offset is the city's local time
    deadline = compute_deadline(step, start, **kwargs) if start is not None else None
    provisional = unit not in NATURAL_UNITS and touches_provisional(start, deadline)
    return {"step": step, "amount": amount, "unit": unit, "deadline": deadline, "deadline_provisional": provisional}
