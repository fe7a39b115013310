"""Catalogue rules: time limits, deadlines, area classes, routing suggestions and code lookup.

These are reads over configuration; the admin is where the configuration changes.
"""

import re
import time
from datetime import datetime

from django.utils.translation import gettext as _

from chengguan.core.errors import DomainError, ValidationError
from chengguan.core.memo import own_copy
from chengguan.core.workcalendar import add_working_time

from .models import AreaClass, FilingCondition, LegacyCode, MatterType, Severity, TimeLimit
from .routing import RoutingTable
from .steps import STEPS

DEFAULT_AREA_CLASS = AreaClass.B.value


def _check_step(step: str) -> None:
    if step not in STEPS:
        raise ValidationError(
            _("Unknown step %(step)s; use one of %(steps)s.") % {"step": step, "steps": ", ".join(STEPS)},
            field="step",
        )


def step_time_limit(
    step: str,
    *,
    filing_condition: FilingCondition | None = None,
    severity: str | None = None,
    area_class: str | None = None,
) -> tuple[float, str]:
    """(amount, unit) of the most specific time limit for a step.

    A row matches when each of its filing condition / severity / area class is empty or equal to the argument;
    among matches a filing condition outweighs a severity, which outweighs an area class. Without a severity
    (None or ""), the filing condition's default severity is used.
    """
    _check_step(step)
    if not severity and filing_condition is not None:
        severity = filing_condition.default_severity
    if severity and severity not in Severity.values:
        raise ValidationError(_("Unknown severity %(value)s.") % {"value": severity}, field="severity")
    if area_class and area_class not in AreaClass.values:
        raise ValidationError(_("Unknown area class %(value)s.") % {"value": area_class}, field="area_class")
    rows = TimeLimit.objects.filter(
        step=step, severity__in={"", severity or ""}, area_class__in={"", area_class or ""}
    )
    if filing_condition is not None:
        rows = rows.filter(filing_condition__in=[filing_condition]) | rows.filter(
            filing_condition__isnull=True
        )
    else:
        rows = rows.filter(filing_condition__isnull=True)
    best, best_score = None, -1
    for row in rows:
        score = 4 * (row.filing_condition_id is not None) + 2 * bool(row.severity) + bool(row.area_class)
        if score > best_score:
            best, best_score = row, score
    if best is None:
        raise DomainError(
            _("No time limit is configured for the step %(step)s: add a default row in admin → time limits.")
            % {"step": step},
            field="step",
            code="time_limit_missing",
        )
    return float(best.amount), best.unit


def compute_deadline(
    step: str,
    start: datetime,
    *,
    filing_condition: FilingCondition | None = None,
    severity: str | None = None,
    area_class: str | None = None,
) -> datetime:
    amount, unit = step_time_limit(
        step, filing_condition=filing_condition, severity=severity, area_class=area_class
    )
    return add_working_time(start, amount, unit)


AREA_CLASSES = frozenset(AreaClass.values)  # `Choices.values` builds a list on every read


def area_class_for(unit_grid) -> str:
    """The area class of a unit grid: its management level when that is A, B or C, else B."""
    level = ((unit_grid.management_level if unit_grid is not None else "") or "").strip().upper()
    return level if level in AREA_CLASSES else DEFAULT_AREA_CLASS


def suggest_department(*, matter: MatterType, unit_grid=None, region=None, component=None):
    """The department a case of `matter` at this place should go to, or None; the dispatcher may override.

    Precedence: a rule for the unit grid, then for the deepest region containing the place (community >
    street > district), then — for a component problem — the component's maintainer (then owner), then a
    city-wide rule, then a rule for the matter alone. Among equally specific rules the higher priority wins.
    """
    return RoutingTable([matter.pk]).suggest(
        matter_id=matter.pk, unit_grid=unit_grid, region=region, component=component
    )


_LEGACY_PREFIXES = {
    "BJ": LegacyCode.Kind.COMPONENT,
    "B": LegacyCode.Kind.COMPONENT,
    "SJ": LegacyCode.Kind.EVENT,
    "S": LegacyCode.Kind.EVENT,
}
_CODE_RE = re.compile(r"^(BJ|SJ|B|S)?(\d{4}|\d{5}|\d{11})$")
_DASHED_RE = re.compile(r"^(0[1-5])-(\d{2,3})$")


def _unknown(code: str) -> DomainError:
    return ValidationError(
        _("%(code)s is not a matter code: give a 5-digit GB/T 47678.5 code or a 4-digit legacy code.")
        % {"code": code},
        field="matter_code",
        code="unknown_matter_code",
    )


# Active matter types by code, memoised per process: every intake names one, and the catalogue changes a few
# times a year. A change in this process clears it at once (`forget_matters`, connected to MatterType's save and
# delete); other processes see it within MATTER_CACHE_SECONDS.
MATTER_CACHE_SECONDS = 60
_matters: dict = {}
_matters_loaded_at = 0.0


_photo_matters: dict = {}  # "ids" → matter ids whose active filing condition asks for a photo, "at" → loaded


def forget_matters(**kwargs) -> None:
    _matters.clear()
    _photo_matters.clear()


def photo_required(matter) -> bool:
    """Whether an active filing condition of the matter asks for a photo on a field report (memoised per process
    like the matter types; a change to a filing condition in this process clears it at once)."""
    now = time.monotonic()
    if not _photo_matters or now - _photo_matters["at"] > MATTER_CACHE_SECONDS:
        ids = FilingCondition.objects.filter(is_active=True, photo_required=True).values_list("matter_id", flat=True)
        _photo_matters.update(ids=frozenset(ids), at=now)
    return matter.pk in _photo_matters["ids"]


def _active_matter(code: str, original: str) -> MatterType:
    matter = active_matter(code)
    if matter is None:
        raise _unknown(original)
    return matter


def active_matter(code: str) -> MatterType | None:
    """The active matter type with this 5-digit code (a copy of the memoised row), or None."""
    global _matters_loaded_at
    now = time.monotonic()
    if now - _matters_loaded_at > MATTER_CACHE_SECONDS:
        _matters.clear()
        _matters_loaded_at = now
    matter = _matters.get(code)
    if matter is None:
        matter = MatterType.objects.filter(code=code, is_active=True).first()
        if matter is None:
            return None
        _matters[code] = matter
    return own_copy(matter)  # callers may set attributes on theirs


def matter_for_code(code: str, *, kind: str | None = None) -> MatterType:
    """The matter type for a code from any era.

    Accepts a GB/T 47678.5-2026 type code (`06010`) or 11-digit 事项代码 (region + type), a GB/T 30428.2
    legacy code (`0101`; a component code maps to its "…异常" matter) — prefixed `BJ`/`SJ` or with
    `kind="component"`/`"event"` when the 4 digits exist in both legacy lists — and the 2021-era dashed event
    code `01-10` (大类 + 5 → `06010`).
    """
    original = code
    code = (code or "").strip().upper()
    dashed = _DASHED_RE.match(code)
    if dashed:
        return _active_matter(f"{int(dashed[1]) + 5:02d}{int(dashed[2]):03d}", original)
    match = _CODE_RE.match(code)
    if not match:
        raise _unknown(original)
    prefix, digits = match.groups()
    if len(digits) in (5, 11):
        if prefix:
            raise _unknown(original)
        return _active_matter(digits[-5:], original)
    if prefix:
        kind = _LEGACY_PREFIXES[prefix]
    rows = list(LegacyCode.objects.filter(code=digits).select_related("matter"))
    if kind:
        rows = [r for r in rows if r.kind == kind]
    if not rows:
        raise _unknown(original)
    if len(rows) > 1:
        raise ValidationError(
            _("The legacy code %(code)s is both a component and an event code: prefix it with BJ or SJ.")
            % {"code": original},
            field="matter_code",
            code="ambiguous_matter_code",
        )
    legacy = rows[0]
    if legacy.matter is None or not legacy.matter.is_active:
        raise ValidationError(
            _("The legacy code %(code)s (%(name)s) has no matter in the new catalogue: choose one by hand.")
            % {"code": original, "name": legacy.name},
            field="matter_code",
            code="unmapped_matter_code",
        )
    return legacy.matter
