"""The patrol API: Campaigns, their follow-up cases and joint operations."""

from datetime import date
from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Schema, Status

from chengguan.org.models import Region

from ..selectors import campaigns as campaign_sel
from ..services import campaigns
from ._common import _matter, _require_patrol_role, router


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
