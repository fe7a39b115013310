"""The patrol API: Reports: staffing against norms, certificates, coverage, patrol hours."""

from datetime import date
from decimal import Decimal

from django.utils import timezone
from ninja import Schema

from chengguan.core.errors import PermissionDenied

from ..access import STAFF_VIEWERS, may
from ..selectors import staff as staff_sel
from ..selectors import tracks as track_sel
from ._common import _require_patrol_role, router


class StaffingOut(Schema):
    region: str
    region_code: str
    is_total: bool
    population: int | None
    officers: int
    certified: int
    assistants: int
    required_officers: int | None
    officers_per_10k: Decimal | None
    officers_ok: bool | None
    assistant_rule: str
    assistants_per_officer_norm: Decimal
    assistant_bound: int
    assistants_ok: bool
    expiring_30: int
    expiring_60: int
    expiring_90: int
    expired: int


@router.get("/staffing", response=list[StaffingOut], summary="Staffing per district against the local norms")
def staffing(request, day: date | None = None):
    if not may(request.auth, STAFF_VIEWERS):
        raise PermissionDenied("Only leaders, administrators and legal reviewers see staffing.")
    return [
        {
            "region": r.region.name,
            "region_code": r.region.code,
            "is_total": r.is_total,
            "population": r.population,
            "officers": r.officers,
            "certified": r.certified,
            "assistants": r.assistants,
            "required_officers": r.required_officers,
            "officers_per_10k": r.officers_per_10k,
            "officers_ok": r.officers_ok,
            "assistant_rule": r.norm.assistant_ratio_rule,
            "assistants_per_officer_norm": r.norm.assistants_per_officer,
            "assistant_bound": r.assistant_bound,
            "assistants_ok": r.assistants_ok,
            "expiring_30": r.expiring[30],
            "expiring_60": r.expiring[60],
            "expiring_90": r.expiring[90],
            "expired": r.expired,
        }
        for r in staff_sel.staffing_report(request.auth, day or timezone.localdate())
    ]


class CertificateOut(Schema):
    number: str
    holder: str
    username: str
    region: str | None
    issuer: str
    valid_from: date
    valid_to: date
    status: str
    days_left: int


@router.get(
    "/certificates", response=list[CertificateOut], summary="The certificate registry (soonest expiry first)"
)
def certificates(request, within_days: int | None = None, status: str | None = None):
    if not may(request.auth, STAFF_VIEWERS):
        raise PermissionDenied("Only leaders, administrators and legal reviewers see the registry.")
    day = timezone.localdate()
    return [
        {
            "number": e.certificate.number,
            "holder": str(e.certificate.user),
            "username": e.certificate.user.username,
            "region": e.profile.region.name if e.profile else None,
            "issuer": e.certificate.issuer,
            "valid_from": e.certificate.valid_from,
            "valid_to": e.certificate.valid_to,
            "status": e.status,
            "days_left": e.days_left,
        }
        for e in staff_sel.certificate_registry(request.auth, day, within_days=within_days, status=status)
    ]


class CoverageOut(Schema):
    grid: str
    name: str
    unit_grids: int
    visited: int
    share: float
    window_share: float


@router.get(
    "/coverage", response=list[CoverageOut], summary="Share of unit grids visited per responsibility grid"
)
def coverage(request, day: date | None = None):
    _require_patrol_role(request.auth)
    rows = track_sel.coverage(day or timezone.localdate(), track_sel.grids_in_scope(request.auth))
    return [
        {
            "grid": c.grid.code,
            "name": c.grid.name,
            "unit_grids": c.total,
            "visited": len(c.visited),
            "share": round(c.share, 4),
            "window_share": round(c.window_share, 4),
        }
        for c in rows
    ]


class HoursOut(Schema):
    grid: str
    username: str
    name: str
    scheduled_hours: float
    patrolled_hours: float
    in_schedule_hours: float
    share: float
    from_roster: bool


@router.get(
    "/patrol-hours", response=list[HoursOut], summary="Supervisors' patrol hours against their schedule"
)
def patrol_hours(request, day: date | None = None):
    _require_patrol_role(request.auth)
    grids = track_sel.grids_in_scope(request.auth).prefetch_related("supervisors")
    return [
        {
            "grid": g.code,
            "username": h.user.username,
            "name": str(h.user),
            "scheduled_hours": h.scheduled.total_seconds() / 3600,
            "patrolled_hours": h.patrolled.total_seconds() / 3600,
            "in_schedule_hours": h.in_schedule.total_seconds() / 3600,
            "share": round(h.share, 4),
            "from_roster": h.from_roster,
        }
        for g, h in track_sel.supervisor_hours(grids, day or timezone.localdate())
    ]
