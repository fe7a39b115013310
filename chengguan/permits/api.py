"""/api/v1/permits: applications and permits (staff, by bearer token or session), the public register and the
vending zones (no sign-in), and the check other apps call before treating a sign or stall as unpermitted."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from chengguan.core.errors import NotFound, ValidationError
from chengguan.org.models import Region

from . import selectors
from .access import require_handle
from .models import Application, Finding, VendingZone
from .services import (
    application_accept,
    application_extend,
    application_grant,
    application_notice,
    application_refuse,
    application_resubmit,
    application_submit,
    finding_open_clue,
    finding_record,
    permit_renew,
    permits_near,
)

API_PREFIX = "/permits"
router = Router(tags=["permits"])


class PermitApplicationIn(Schema):
    kind: str
    channel: str = "counter"
    region: str = ""  # region code; a stall permit takes its zone's region
    applicant_type: str
    applicant_name: str
    applicant_phone: str
    applicant_id_number: str = ""
    address: str = ""
    lng: float | None = None
    lat: float | None = None
    description: str
    size: str = ""
    zone: str = ""  # vending zone code
    stall_number: str = ""
    requested_from: date
    requested_to: date
    materials: list[str] = []


class PermitOut(Schema):
    id: int
    number: str
    kind: str
    channel: str
    status: str
    region: str
    applicant_type: str
    applicant_name: str
    address: str
    zone: str | None
    stall_number: str
    submitted_at: str
    acceptance_due: str | None
    missing_items: list[str]
    accepted_at: str | None
    decision_due: str | None
    extended: bool
    deadline_provisional: bool
    permit_number: str
    valid_from: date | None
    valid_to: date | None
    renewal_of: str | None


class PermitNoticeIn(Schema):
    missing_items: list[str]


class PermitMaterialsIn(Schema):
    materials: list[str]


class PermitReasonIn(Schema):
    reason: str = ""


class PermitGrantIn(Schema):
    valid_from: date | None = None
    valid_to: date | None = None


class PermitRenewIn(Schema):
    requested_to: date


class PermitRegisterOut(Schema):
    permit_number: str
    kind: str
    kind_label: str
    holder: str
    address: str
    lng: float | None
    lat: float | None
    size: str
    zone: str
    stall_number: str
    valid_from: str
    valid_to: str


class VendingZoneOut(Schema):
    code: str
    name: str
    region: str
    address: str
    lng: float
    lat: float
    capacity: int
    occupied: int
    free: int
    opens_at: str
    closes_at: str
    goods: str


class PermitCheckOut(Schema):
    covered: bool
    permits: list[PermitRegisterOut]


class PermitFindingIn(Schema):
    kind: str
    region: str
    lng: float
    lat: float
    address: str
    description: str


class PermitFindingOut(Schema):
    id: int
    kind: str
    address: str
    covered_by: str | None
    clue: str | None


def _iso(v):
    return v.isoformat() if v else None


def _out(a: Application) -> dict:
    return {
        "id": a.pk, "number": a.number, "kind": a.kind, "channel": a.channel, "status": a.status,
        "region": a.region.code, "applicant_type": a.applicant_type, "applicant_name": a.applicant_name,
        "address": a.address, "zone": a.zone.code if a.zone_id else None, "stall_number": a.stall_number,
        "submitted_at": a.submitted_at.isoformat(), "acceptance_due": _iso(a.acceptance_due),
        "missing_items": a.missing_items, "accepted_at": _iso(a.accepted_at), "decision_due": _iso(a.decision_due),
        "extended": a.extended_at is not None, "deadline_provisional": a.deadline_provisional,
        "permit_number": a.permit_number, "valid_from": a.valid_from, "valid_to": a.valid_to,
        "renewal_of": a.renewal_of.permit_number if a.renewal_of_id else None,
    }


def _finding_out(f: Finding) -> dict:
    return {"id": f.pk, "kind": f.kind, "address": f.address,
            "covered_by": f.permit.permit_number if f.permit_id else None,
            "clue": f.clue.clue_number if f.clue_id else None}


def _region(code: str) -> Region | None:
    if not code:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError(_("No region with code %(code)s.") % {"code": code}, field="region")
    return region


def _zone(code: str) -> VendingZone | None:
    if not code:
        return None
    zone = VendingZone.objects.filter(code=code).first()
    if zone is None:
        raise ValidationError(_("No vending zone with code %(code)s.") % {"code": code}, field="zone")
    return zone


@router.get("", response=list[PermitOut], summary="Applications and permits in your area")
def list_permits(request, status: str = "", kind: str = "", q: str = "", limit: int = 100):
    rows = selectors.applications(request.user, status=status, kind=kind, q=q).select_related("renewal_of")
    return [_out(a) for a in rows[: max(1, min(limit, 500))]]


@router.post("", response={201: PermitOut}, summary="Register an application (counter or online on the applicant's behalf)")
def create_permit(request, body: PermitApplicationIn):
    a = application_submit(
        actor=request.user, channel=body.channel, kind=body.kind, region=_region(body.region),
        applicant_type=body.applicant_type, applicant_name=body.applicant_name, applicant_phone=body.applicant_phone,
        applicant_id_number=body.applicant_id_number, address=body.address, lng=body.lng, lat=body.lat,
        description=body.description, size=body.size, zone=_zone(body.zone), stall_number=body.stall_number,
        requested_from=body.requested_from, requested_to=body.requested_to, materials=body.materials,
    )
    return Status(201, _out(a))


@router.get("/register", response=list[PermitRegisterOut], auth=None,
            summary="The public register: permits valid today (no personal data of natural persons)")
def public_register(request, kind: str = "", q: str = "", limit: int = 200):
    return [selectors.register_row(a) for a in selectors.register(kind=kind, q=q)[: max(1, min(limit, 1000))]]


@router.get("/zones", response=list[VendingZoneOut], auth=None, summary="Vending zones (疏导点) with free places today")
def list_zones(request):
    return [{"code": z.code, "name": z.name, "region": z.region.code, "address": z.address, "lng": z.lng,
             "lat": z.lat, "capacity": z.capacity, "occupied": z.occupied, "free": z.free,
             "opens_at": z.opens_at.strftime("%H:%M"), "closes_at": z.closes_at.strftime("%H:%M"), "goods": z.goods}
            for z in selectors.zones()]


@router.get("/check", response=PermitCheckOut, summary="Is there a valid permit of this kind at this point?")
def check(request, kind: str, lng: float, lat: float):
    require_handle(request.user)
    near = permits_near(kind=kind, lng=lng, lat=lat, day=timezone.localdate())
    return {"covered": bool(near), "permits": [selectors.register_row(a) for a in near]}


@router.post("/findings", response={201: PermitFindingOut}, summary="Record a sign or stall found on patrol")
def create_finding(request, body: PermitFindingIn):
    f = finding_record(actor=request.user, kind=body.kind, region=_region(body.region), lng=body.lng, lat=body.lat,
                       address=body.address, description=body.description)
    return Status(201, _finding_out(f))


@router.post("/findings/{finding_id}/clue", response=PermitFindingOut,
             summary="Open an enforcement clue for an unpermitted finding")
def finding_clue(request, finding_id: int):
    f = selectors.findings(request.user).filter(pk=finding_id).first()
    if f is None:
        raise NotFound(_("No such finding."), field="finding")
    finding_open_clue(actor=request.user, finding=f)
    f.refresh_from_db()
    return _finding_out(f)


def _get(request, application_id: int) -> Application:
    require_handle(request.user)
    a = selectors.applications(request.user).filter(pk=application_id).first()
    if a is None:
        raise NotFound(_("No such application."), field="application")
    return a


@router.get("/{application_id}", response=PermitOut, summary="One application or permit")
def get_permit(request, application_id: int):
    return _out(_get(request, application_id))


@router.post("/{application_id}/accept", response=PermitOut, summary="Accept (受理): the 20 working days start")
def accept(request, application_id: int):
    return _out(application_accept(actor=request.user, application=_get(request, application_id)))


@router.post("/{application_id}/notice", response=PermitOut, summary="One-time notice (一次性告知) of what is missing")
def notice(request, application_id: int, body: PermitNoticeIn):
    return _out(application_notice(actor=request.user, application=_get(request, application_id),
                                   missing_items=body.missing_items))


@router.post("/{application_id}/resubmit", response=PermitOut,
             summary="The missing items arrive (at the counter): the five working days start again")
def resubmit(request, application_id: int, body: PermitMaterialsIn):
    return _out(application_resubmit(actor=request.user, application=_get(request, application_id),
                                     materials=body.materials))


@router.post("/{application_id}/extend", response=PermitOut,
             summary="Extend the decision period by 10 working days, once (a leader approves)")
def extend(request, application_id: int, body: PermitReasonIn):
    return _out(application_extend(actor=request.user, application=_get(request, application_id), reason=body.reason))


@router.post("/{application_id}/grant", response=PermitOut, summary="Grant: the permit is numbered")
def grant(request, application_id: int, body: PermitGrantIn):
    return _out(application_grant(actor=request.user, application=_get(request, application_id),
                                  valid_from=body.valid_from, valid_to=body.valid_to))


@router.post("/{application_id}/refuse", response=PermitOut, summary="Refuse, with the reasons")
def refuse(request, application_id: int, body: PermitReasonIn):
    return _out(application_refuse(actor=request.user, application=_get(request, application_id), reason=body.reason))


@router.post("/{application_id}/renew", response={201: PermitOut}, summary="File the renewal of a valid permit")
def renew(request, application_id: int, body: PermitRenewIn):
    a = permit_renew(actor=request.user, permit=_get(request, application_id), requested_to=body.requested_to,
                     channel="counter")
    return Status(201, _out(a))
