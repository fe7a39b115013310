"""The patrol API at /api/v1/patrol/: track uploads from phones, rosters and requests, reports, campaigns,
operations, shops and small-ad numbers. Parse → selector/service → serialize; errors use the one shape."""

from datetime import date, datetime
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from chengguan.catalog.models import MatterType
from chengguan.core.errors import PermissionDenied, ValidationError
from chengguan.org.models import Region, User
from chengguan.org.scope import get_in_scope

from .access import EVERYONE_IN_PATROL, ROSTER_MANAGERS, STAFF_VIEWERS, may, roles_set
from .models import DutyAssignment, LeaveRequest, StaffProfile, SwapRequest
from .selectors import campaigns as campaign_sel
from .selectors import frontage as frontage_sel
from .selectors import squads as squad_sel
from .selectors import staff as staff_sel
from .selectors import tracks as track_sel
from .services import ads, campaigns, duty, frontage, tracks

router = Router(tags=["patrol"])
ROLES = roles_set(EVERYONE_IN_PATROL)


def _require_patrol_role(user):
    if not may(user, EVERYONE_IN_PATROL):
        raise PermissionDenied("You have no role in patrol work.")


# --- tracks -----------------------------------------------------------------------------------------------


class PointIn(Schema):
    id: str = Field(..., description="client-generated id, unique per user (e.g. a UUID)")
    t: datetime = Field(..., description="when the phone took the fix, with its UTC offset")
    lng: float
    lat: float
    accuracy: float | None = None


class BatchIn(Schema):
    crs: str = "wgs84"
    points: list[PointIn]


class RejectedOut(Schema):
    index: int
    id: str
    code: str


class BatchOut(Schema):
    accepted: int
    duplicates: int
    rejected: list[RejectedOut]


@router.post(
    "/tracks/points",
    response=BatchOut,
    summary="Upload a batch of GPS points (idempotent per point id; queue offline and resend freely)",
)
def track_upload(request, payload: BatchIn):
    result = tracks.track_points_upload(
        actor=request.auth, points=[p.model_dump() for p in payload.points], crs=payload.crs
    )
    return {"accepted": result.accepted, "duplicates": result.duplicates, "rejected": result.rejected}


class TrackPointOut(Schema):
    t: datetime
    lng: float
    lat: float
    unit_grid: str | None


@router.get("/tracks/{user_id}", response=list[TrackPointOut], summary="A person's track of one day (GCJ-02)")
def track_of(request, user_id: int, day: date | None = None):
    target = get_object_or_404(User, pk=user_id)
    if target.pk != request.auth.pk and not _may_see_tracks_of(request.auth, target):
        raise Http404
    points = track_sel.track_of(target, day or timezone.localdate()).select_related("unit_grid")
    return [
        {
            "t": p.recorded_at,
            "lng": p.lng,
            "lat": p.lat,
            "unit_grid": p.unit_grid.code if p.unit_grid else None,
        }
        for p in points
    ]


def _may_see_tracks_of(viewer, target) -> bool:
    """Roster managers see the tracks of people serving in their regions (by staff file or role)."""
    regions = [p.region for p in StaffProfile.objects.select_related("region").filter(user=target)]
    regions += [a.region for a in target.role_assignments.select_related("region") if a.region_id]
    return any(may(viewer, ROSTER_MANAGERS, r) for r in regions)


# --- reports ----------------------------------------------------------------------------------------------


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


# --- roster and requests ------------------------------------------------------------------------------------


class PersonOut(Schema):
    assignment_id: int
    username: str
    name: str
    body: str
    status: str


class ShortfallOut(Schema):
    body: str
    required: int
    actual: int


class ShiftOut(Schema):
    id: int
    day: date
    starts_at: datetime
    ends_at: datetime
    grid: str | None
    squad: str | None
    people: list[PersonOut]
    meets_template: bool
    shortfalls: list[ShortfallOut]
    warnings: list[str]


def shift_out(shift) -> dict:
    check = squad_sel.composition_check(shift)
    return {
        "id": shift.pk,
        "day": shift.day,
        "starts_at": shift.starts_at,
        "ends_at": shift.ends_at,
        "grid": shift.grid.code if shift.grid_id else None,
        "squad": shift.squad.code if shift.squad_id else None,
        "people": [
            {
                "assignment_id": a.pk,
                "username": a.user.username,
                "name": str(a.user),
                "body": a.body,
                "status": a.status,
            }
            for a in shift.assignments.all()
        ],
        "meets_template": check.ok,
        "shortfalls": [{"body": b, "required": r, "actual": n} for b, r, n in check.shortfalls],
        "warnings": [code for code, _detail in check.warnings],
    }


@router.get("/roster", response=list[ShiftOut], summary="Duty shifts with people and template checks")
def roster(
    request, start: date | None = None, days: int = 7, grid_id: int | None = None, squad_id: int | None = None
):
    _require_patrol_role(request.auth)
    qs = squad_sel.roster(request.auth, start=start or timezone.localdate(), days=max(1, min(days, 31)))
    if grid_id:
        qs = qs.filter(grid_id=grid_id)
    if squad_id:
        qs = qs.filter(squad_id=squad_id)
    return [shift_out(s) for s in qs]


class SwapIn(Schema):
    assignment_id: int
    counterpart_username: str
    counterpart_assignment_id: int | None = None
    reason: str


class RequestOut(Schema):
    id: int
    status: str


class DecisionIn(Schema):
    approve: bool
    note: str = ""


def _own_assignment(user, pk):
    return get_object_or_404(DutyAssignment.objects.select_related("shift"), pk=pk, user=user)


@router.post("/swap-requests", response={201: RequestOut}, summary="Ask to hand over or exchange a shift")
def swap_create(request, payload: SwapIn):
    counterpart = get_object_or_404(User, username=payload.counterpart_username, is_active=True)
    other = None
    if payload.counterpart_assignment_id:
        other = get_object_or_404(
            DutyAssignment.objects.select_related("shift"),
            pk=payload.counterpart_assignment_id,
            user=counterpart,
        )
    req = duty.swap_request_create(
        actor=request.auth,
        assignment=_own_assignment(request.auth, payload.assignment_id),
        counterpart=counterpart,
        counterpart_assignment=other,
        reason=payload.reason,
    )
    return Status(201, {"id": req.pk, "status": req.status})


@router.post("/swap-requests/{request_id}/decision", response=RequestOut, summary="Approve or reject a swap")
def swap_decide(request, request_id: int, payload: DecisionIn):
    req = get_in_scope(
        SwapRequest.objects.all(),
        request.auth,
        region_field="assignment__shift__region",
        roles=ROLES,
        pk=request_id,
    )
    req, _checks = duty.swap_request_decide(
        actor=request.auth, request=req, approve=payload.approve, note=payload.note
    )
    return {"id": req.pk, "status": req.status}


class LeaveIn(Schema):
    kind: str
    starts_at: datetime
    ends_at: datetime
    reason: str = ""


@router.post("/leave-requests", response={201: RequestOut}, summary="Ask for leave")
def leave_create(request, payload: LeaveIn):
    req = duty.leave_request_create(actor=request.auth, **payload.model_dump())
    return Status(201, {"id": req.pk, "status": req.status})


@router.post("/leave-requests/{request_id}/decision", response=RequestOut, summary="Approve or reject leave")
def leave_decide(request, request_id: int, payload: DecisionIn):
    req = get_in_scope(
        LeaveRequest.objects.all(), request.auth, region_field="region", roles=ROLES, pk=request_id
    )
    req, _affected = duty.leave_request_decide(
        actor=request.auth, request=req, approve=payload.approve, note=payload.note
    )
    return {"id": req.pk, "status": req.status}


# --- campaigns and operations -------------------------------------------------------------------------------


class TargetOut(Schema):
    matter: str
    matter_name: str
    target: int
    achieved: int
    from_operations: int
    from_cases: int
    share: float


class CampaignOut(Schema):
    id: int
    code: str
    name: str
    status: str
    region: str
    starts_on: date
    ends_on: date
    share: float
    time_share: float
    on_track: bool
    places_checked: int
    relapses: int
    targets: list[TargetOut]


def campaign_out(campaign, day) -> dict:
    p = campaign_sel.campaign_progress(campaign, day)
    return {
        "id": campaign.pk,
        "code": campaign.code,
        "name": campaign.name,
        "status": campaign.status,
        "region": campaign.region.name,
        "starts_on": campaign.starts_on,
        "ends_on": campaign.ends_on,
        "share": round(p.share, 4),
        "time_share": round(p.time_share, 4),
        "on_track": p.on_track,
        "places_checked": p.places_checked,
        "relapses": p.relapses,
        "targets": [
            {
                "matter": t.target.matter.code,
                "matter_name": t.target.matter.name,
                "target": t.target.target_count,
                "achieved": t.achieved,
                "from_operations": t.from_operations,
                "from_cases": t.from_cases,
                "share": round(t.share, 4),
            }
            for t in p.targets
        ],
    }


@router.get("/campaigns", response=list[CampaignOut], summary="Campaigns in scope with their progress")
def campaign_list(request, status: str | None = None):
    _require_patrol_role(request.auth)
    qs = campaign_sel.campaigns_in_scope(request.auth)
    if status:
        qs = qs.filter(status=status)
    day = timezone.localdate()
    return [campaign_out(c, day) for c in qs]


@router.get("/campaigns/{campaign_id}", response=CampaignOut, summary="One campaign's progress")
def campaign_detail(request, campaign_id: int):
    campaign = get_object_or_404(campaign_sel.campaigns_in_scope(request.auth), pk=campaign_id)
    return campaign_out(campaign, timezone.localdate())


class FollowUpIn(Schema):
    checked_on: date
    places_checked: int
    relapses: int = 0
    matter_code: str | None = None
    location: str = ""
    note: str = ""


class CreatedOut(Schema):
    id: int


def _matter(code):
    if not code:
        return None
    matter = MatterType.objects.filter(code=code).first()
    if matter is None:
        raise ValidationError(f"Unknown matter {code!r}.", field="matter_code")
    return matter


@router.post(
    "/campaigns/{campaign_id}/follow-ups", response={201: CreatedOut}, summary="Record a follow-up check"
)
def follow_up(request, campaign_id: int, payload: FollowUpIn):
    campaign = get_object_or_404(campaign_sel.campaigns_in_scope(request.auth), pk=campaign_id)
    check = campaigns.follow_up_record(
        actor=request.auth,
        campaign=campaign,
        checked_on=payload.checked_on,
        places_checked=payload.places_checked,
        relapses=payload.relapses,
        matter=_matter(payload.matter_code),
        location=payload.location,
        note=payload.note,
    )
    return Status(201, {"id": check.pk})


class OperationOut(Schema):
    id: int
    code: str
    title: str
    kind: str
    status: str
    region: str
    campaign: str | None
    problems_found: int
    cases_opened: int
    penalties: int
    fines_yuan: Decimal
    items_seized: int


def operation_out(op) -> dict:
    return {
        "id": op.pk,
        "code": op.code,
        "title": op.title,
        "kind": op.kind,
        "status": op.status,
        "region": op.region.name,
        "campaign": op.campaign.code if op.campaign_id else None,
        "problems_found": op.problems_found,
        "cases_opened": op.cases_opened,
        "penalties": op.penalties,
        "fines_yuan": op.fines_yuan,
        "items_seized": op.items_seized,
    }


@router.get("/operations", response=list[OperationOut], summary="Joint operations in scope")
def operation_list(request, status: str | None = None):
    _require_patrol_role(request.auth)
    qs = campaign_sel.operations_in_scope(request.auth)
    if status:
        qs = qs.filter(status=status)
    return [operation_out(op) for op in qs[:500]]


class AdHocIn(Schema):
    title: str
    region_code: str
    area: str = ""
    campaign_id: int | None = None


@router.post("/operations", response={201: OperationOut}, summary="Start an ad-hoc joint operation")
def operation_start(request, payload: AdHocIn):
    region = get_object_or_404(Region, code=payload.region_code)
    campaign = None
    if payload.campaign_id:
        campaign = get_object_or_404(campaign_sel.campaigns_in_scope(request.auth), pk=payload.campaign_id)
    op = campaigns.operation_start_ad_hoc(
        actor=request.auth, title=payload.title, region=region, area=payload.area, campaign=campaign
    )
    return Status(201, operation_out(op))


class CompleteIn(Schema):
    staff_count: int
    problems_found: int = 0
    cases_opened: int = 0
    penalties: int = 0
    fines_yuan: Decimal = Decimal(0)
    items_seized: int = 0
    results: dict[str, int] = {}
    summary: str = ""


@router.post(
    "/operations/{operation_id}/complete", response=OperationOut, summary="Close an operation with results"
)
def operation_complete(request, operation_id: int, payload: CompleteIn):
    op = get_object_or_404(campaign_sel.operations_in_scope(request.auth), pk=operation_id)
    data = payload.model_dump()
    results = {_matter(code): n for code, n in data.pop("results").items()}
    op = campaigns.operation_complete(actor=request.auth, operation=op, results=results, **data)
    return operation_out(op)


# --- shops and small ads --------------------------------------------------------------------------------------


class ShopOut(Schema):
    id: int
    name: str
    address: str
    region: str
    unit_grid: str | None
    open_violations: int


@router.get("/shops", response=list[ShopOut], summary="Shops under frontage responsibility in scope")
def shop_list(request, q: str = ""):
    qs = frontage_sel.shops_in_scope(request.auth)
    if q:
        qs = qs.filter(name__contains=q)
    return [
        {
            "id": s.pk,
            "name": s.name,
            "address": s.address,
            "region": s.region.name,
            "unit_grid": s.unit_grid.code if s.unit_grid_id else None,
            "open_violations": s.open_violations,
        }
        for s in qs[:500]
    ]


class FailureIn(Schema):
    obligation: str
    description: str
    matter_code: str | None = None


class InspectionIn(Schema):
    failures: list[FailureIn] = []
    findings: str = ""
    measure: str | None = None


class ViolationOut(Schema):
    id: int
    obligation: str
    measure: str
    status: str
    rectify_by: date | None
    case: str | None


class InspectionOut(Schema):
    id: int
    passed: bool
    violations: list[ViolationOut]


@router.post(
    "/shops/{shop_id}/inspections", response={201: InspectionOut}, summary="Record a frontage inspection"
)
def shop_inspect(request, shop_id: int, payload: InspectionIn):
    shop = get_object_or_404(frontage_sel.shops_in_scope(request.auth), pk=shop_id)
    failures = [
        {"obligation": f.obligation, "description": f.description, "matter": _matter(f.matter_code)}
        for f in payload.failures
    ]
    inspection = frontage.shop_inspect(
        actor=request.auth, shop=shop, failures=failures, findings=payload.findings, measure=payload.measure
    )
    return Status(
        201,
        {
            "id": inspection.pk,
            "passed": inspection.passed,
            "violations": [
                {
                    "id": v.pk,
                    "obligation": v.obligation,
                    "measure": v.measure,
                    "status": v.status,
                    "rectify_by": v.rectify_by,
                    "case": v.case.number if v.case_id else None,
                }
                for v in inspection.violations.select_related("case")
            ],
        },
    )


class AdPhoneOut(Schema):
    number: str
    status: str
    sightings: int
    first_seen_at: datetime
    last_seen_at: datetime


@router.get("/ad-phones", response=list[AdPhoneOut], summary="Phone numbers found on illegal small ads")
def ad_phone_list(request, status: str | None = None):
    qs = frontage_sel.ad_phones_in_scope(request.auth)
    if status:
        qs = qs.filter(status=status)
    return [
        {
            "number": p.number,
            "status": p.status,
            "sightings": p.sightings_count,
            "first_seen_at": p.first_seen_at,
            "last_seen_at": p.last_seen_at,
        }
        for p in qs.order_by("-last_seen_at")[:500]
    ]


class SightingIn(Schema):
    number: str
    lng: float
    lat: float
    crs: str = "wgs84"
    seen_at: datetime | None = None
    location: str = ""
    ad_kind: str = "sticker"
    ads_count: int = 1
    removed: bool = False
    open_case: bool = False


class SightingOut(Schema):
    id: int
    number: str
    status: str
    case: str | None


@router.post(
    "/ad-sightings", response={201: SightingOut}, summary="Record small ads found with a phone number"
)
def ad_sighting(request, payload: SightingIn):
    s = ads.ad_sighting_record(actor=request.auth, **payload.model_dump())
    return Status(
        201,
        {
            "id": s.pk,
            "number": s.phone.number,
            "status": s.phone.status,
            "case": s.case.number if s.case_id else None,
        },
    )


class StatusIn(Schema):
    status: str
    note: str = ""


@router.post("/ad-phones/{number}/status", response=AdPhoneOut, summary="Change a number's status")
def ad_phone_status(request, number: str, payload: StatusIn):
    phone = get_object_or_404(
        frontage_sel.ad_phones_in_scope(request.auth), number=ads.normalize_number(number)
    )
    phone = ads.ad_phone_status_change(
        actor=request.auth, phone=phone, status=payload.status, note=payload.note
    )
    return {
        "number": phone.number,
        "status": phone.status,
        "sightings": phone.sightings_count,
        "first_seen_at": phone.first_seen_at,
        "last_seen_at": phone.last_seen_at,
    }
