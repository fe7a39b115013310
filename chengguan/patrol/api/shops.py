"""The patrol API: Shops under frontage responsibility and small-ad phone numbers."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Schema, Status

from ..selectors import frontage as frontage_sel
from ..services import ads, frontage
from ._common import _matter, router


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
