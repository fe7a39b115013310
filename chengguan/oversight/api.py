"""The complaints API at /api/v1/complaints: complaints about officers in the caller's scope, intake by the
hotline and supervisors, and the handling acts. Errors are `{"detail", "code", "field"}` with 4xx; a complaint
outside the caller's scope answers 404; a role without access to complaints 403."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from chengguan.core.errors import PermissionDenied, ValidationError
from chengguan.org.models import Department, Region, User

from .access import COMPLAINT_VIEWERS, may
from .selectors import complaints_in_scope, get_complaint
from .services import (
    complaint_assign,
    complaint_conclude,
    complaint_investigate,
    complaint_receive,
    complaint_reply,
)

API_PREFIX = "/complaints"
router = Router(tags=["complaints"])


class ComplaintOut(Schema):
    id: int
    number: str
    channel: str
    state: str
    state_label: str
    conduct: str
    region: str
    officer_id: int | None
    officer: str | None
    officer_hint: str
    text: str
    received_at: datetime
    assign_due: datetime
    investigator_id: int | None
    investigation_due: datetime | None
    findings: str
    substantiated: bool | None
    conclusion: str
    measure: str
    reply_due: datetime
    replied_at: datetime | None
    replied_late: bool

    @staticmethod
    def resolve_state_label(obj):
        return str(obj.get_state_display())

    @staticmethod
    def resolve_region(obj):
        return obj.region.name

    @staticmethod
    def resolve_officer(obj):
        return str(obj.officer) if obj.officer_id else None


class ComplaintIn(Schema):
    channel: str
    region_id: int
    conduct: str
    text: str
    phone: str
    name: str = ""
    officer_id: int | None = None
    officer_hint: str = ""
    place: str = ""
    occurred_on: date | None = None
    hotline_reference: str = ""


class AssignIn(Schema):
    investigator_id: int
    officer_id: int | None = None
    department_id: int | None = None


class FindingsIn(Schema):
    findings: str


class ConcludeIn(Schema):
    substantiated: bool
    conclusion: str
    measure: str = ""


class ReplyIn(Schema):
    text: str


def _viewer(request):
    if not may(request.auth, COMPLAINT_VIEWERS):
        raise PermissionDenied("your role has no access to complaints", field="actor")
    return request.auth


def _user(pk, field):
    if pk is None:
        return None
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise ValidationError("no such user", field=field)
    return user


@router.get("", response=list[ComplaintOut], summary="Complaints about officers in your scope")
def complaint_list(request, state: str = "", limit: int = 100):
    qs = complaints_in_scope(_viewer(request))
    if state:
        qs = qs.filter(state=state)
    return list(qs[: max(1, min(limit, 500))])


@router.get("/{complaint_id}", response=ComplaintOut, summary="One complaint")
def complaint_detail(request, complaint_id: int):
    return get_complaint(_viewer(request), complaint_id)


@router.post("", response={201: ComplaintOut}, summary="Receive a complaint (hotline operator, supervisor, leader)")
def complaint_create(request, payload: ComplaintIn):
    region = Region.objects.filter(pk=payload.region_id).first()
    if region is None:
        raise ValidationError("no such region", field="region_id")
    c = complaint_receive(actor=request.auth, channel=payload.channel, region=region, conduct=payload.conduct,
                          text=payload.text, phone=payload.phone, name=payload.name,
                          officer=_user(payload.officer_id, "officer_id"), officer_hint=payload.officer_hint,
                          place=payload.place, occurred_on=payload.occurred_on,
                          hotline_reference=payload.hotline_reference)
    return Status(201, c)


@router.post("/{complaint_id}/assign", response=ComplaintOut, summary="Assign an investigator (leader)")
def complaint_assign_api(request, complaint_id: int, payload: AssignIn):
    c = get_complaint(_viewer(request), complaint_id)
    department = get_object_or_404(Department, pk=payload.department_id) if payload.department_id else None
    return complaint_assign(actor=request.auth, complaint=c, investigator=_user(payload.investigator_id,
                            "investigator_id"), officer=_user(payload.officer_id, "officer_id"), department=department)


@router.post("/{complaint_id}/investigate", response=ComplaintOut, summary="Report the findings (the investigator)")
def complaint_investigate_api(request, complaint_id: int, payload: FindingsIn):
    c = get_complaint(_viewer(request), complaint_id)
    return complaint_investigate(actor=request.auth, complaint=c, findings=payload.findings)


@router.post("/{complaint_id}/conclude", response=ComplaintOut, summary="Conclude: substantiated or not (leader)")
def complaint_conclude_api(request, complaint_id: int, payload: ConcludeIn):
    c = get_complaint(_viewer(request), complaint_id)
    return complaint_conclude(actor=request.auth, complaint=c, substantiated=payload.substantiated,
                              conclusion=payload.conclusion, measure=payload.measure)


@router.post("/{complaint_id}/reply", response=ComplaintOut, summary="Reply to the complainant")
def complaint_reply_api(request, complaint_id: int, payload: ReplyIn):
    c = get_complaint(_viewer(request), complaint_id)
    return complaint_reply(actor=request.auth, complaint=c, text=payload.text)
