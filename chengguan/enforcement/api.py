"""The enforcement API at /api/v1/enforcement/: cases in scope, acts by name, evidence, documents, power list.

Acts: `POST /cases/{id}/acts/{act}` with a JSON object of the act's parameters (GET /acts lists them). Errors
are `{"detail", "code", "field"}` with 4xx; a case outside the caller's scope answers 404.
"""

import json
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from chengguan.core.errors import ValidationError
from chengguan.org.models import Department, Region, User

from .discretion import suggest_for_case
from .models import PowerItem
from .permissions import get_case
from .privacy import public_party
from .selectors import (
    available_acts,
    case_deadlines,
    case_list,
    enforcement_721_counts,
    public_decisions,
    public_powers,
)
from .services import case_act, case_register_clue, evidence_add
from .workflow import ACT_LIST

router = Router(tags=["enforcement"])


class PowerOut(Schema):
    code: str
    name: str
    power_type: str
    power_type_label: str
    domain: str
    legal_basis: str
    law: str
    article: str
    paragraph: str
    penalty_text: str
    implementing_body: str
    level: str
    limitation_years: int
    responsibilities: str
    accountability: str
    supervision_channel: str

    @staticmethod
    def resolve_power_type_label(obj):
        return str(obj.get_power_type_display())


class EventOut(Schema):
    act: str
    from_state: str
    to_state: str
    actor: str
    actor_role: str
    co_officer: str | None
    at: datetime
    deadline: datetime | None
    late: bool
    reason: str
    audit_seq: int | None

    @staticmethod
    def resolve_actor(obj):
        return str(obj.actor)

    @staticmethod
    def resolve_co_officer(obj):
        return str(obj.co_officer) if obj.co_officer_id else None


class DocumentOut(Schema):
    id: int
    kind: str
    number: str
    sha256: str
    created_at: datetime


class DeadlineOut(Schema):
    code: str
    label: str
    due: datetime
    done: datetime | None
    basis: str
    light: str
    provisional: bool = False


class CaseOut(Schema):
    id: int
    clue_number: str
    number: str
    state: str
    state_label: str
    procedure: str
    source: str
    title: str
    power_item: str | None
    party_type: str
    party_name: str
    place: str
    region: str
    department: str
    violation_date: date | None
    registered_at: datetime
    filed_at: datetime | None
    decision_due: datetime | None
    outcome: str
    fine_amount: Decimal
    decision_number: str
    resolution: str

    @staticmethod
    def resolve_state_label(obj):
        return str(obj.get_state_display())

    @staticmethod
    def resolve_power_item(obj):
        return obj.power_item.code if obj.power_item_id else None

    @staticmethod
    def resolve_region(obj):
        return obj.region.name

    @staticmethod
    def resolve_department(obj):
        return obj.department.name


class CaseDetailOut(CaseOut):
    facts: str
    suggested_level: str
    suggested_min: Decimal | None
    suggested_max: Decimal | None
    departure_reason: str
    hearing_required: bool
    is_major: bool
    events: list[EventOut]
    documents: list[DocumentOut]
    deadlines: list[DeadlineOut]
    acts: list[str]

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.select_related("actor", "co_officer"))

    @staticmethod
    def resolve_documents(obj):
        return list(obj.documents.all())

    @staticmethod
    def resolve_deadlines(obj):
        return [{**d.__dict__, "label": str(d.label)} for d in case_deadlines(obj)]

    @staticmethod
    def resolve_acts(obj, context):
        return [a.code for a in available_acts(context["request"].user, obj, timezone.localdate())]


class ClueIn(Schema):
    region_id: int
    department_id: int
    source: str
    title: str
    source_reference: str = ""
    source_case_number: str | None = None
    lng: float | None = None
    lat: float | None = None
    power_item: str | None = None
    party_type: str | None = None
    party_name: str | None = None
    party_id_number: str | None = None
    party_address: str | None = None
    party_phone: str | None = None
    place: str | None = None
    violation_date: date | None = None
    facts: str | None = None


class ActParam(Schema):
    name: str
    kind: str
    required: bool
    choices: list[str]


class ActOut(Schema):
    code: str
    label: str
    from_states: list[str]
    to_states: list[str]
    roles: list[str]
    two_officers: bool
    params: list[ActParam]


class PublicDecisionOut(Schema):
    decision_number: str
    body: str
    party: str
    party_id: str
    title: str
    legal_basis: str
    penalty: str
    decided_at: datetime


def _detail(request, case):
    return get_case(request.user, case.pk)


@router.get("/cases", response=list[CaseOut])
def list_cases(request, state: str = "", q: str = "", open_only: bool = False, limit: int = 50, offset: int = 0):
    limit = max(1, min(limit, 200))
    offset = max(0, min(offset, 10**9))  # a negative or huge offset is a client's mistake, not a 500
    return list(case_list(request.user, state=state, q=q, open_only=open_only)[offset : offset + limit])


@router.get("/cases/{case_id}", response=CaseDetailOut)
def case_detail(request, case_id: int):
    return _detail(request, get_case(request.user, case_id))


@router.post("/cases", response={201: CaseDetailOut})
def register_clue(request, payload: ClueIn):
    data = payload.dict()
    region = Region.objects.filter(pk=data.pop("region_id")).first()
    department = Department.objects.filter(pk=data.pop("department_id")).first()
    if region is None:
        raise ValidationError(_("no such region"), field="region_id")
    if department is None:
        raise ValidationError(_("no such department"), field="department_id")
    source_case = None
    if number := data.pop("source_case_number"):
        from chengguan.cases.models import Case

        source_case = Case.objects.filter(number=number).first()
        if source_case is None:
            raise ValidationError(_("no digital urban management case with this number"), field="source_case_number")
    special = ("source", "title", "source_reference", "lng", "lat")
    particulars = {k: v for k, v in data.items() if v is not None and k not in special}
    case = case_register_clue(actor=request.user, region=region, department=department, source=data["source"],
                              title=data["title"], source_reference=data["source_reference"], lng=data["lng"],
                              lat=data["lat"], source_case=source_case, **particulars)
    return Status(201, _detail(request, case))


@router.post("/cases/{case_id}/acts/{act}", response=CaseDetailOut)
def perform_act(request, case_id: int, act: str):
    """The body is a JSON object of the act's parameters (see GET /acts)."""
    case = get_case(request.user, case_id)
    try:
        payload = json.loads(request.body or b"{}")
    except ValueError as exc:
        raise ValidationError(_("the body must be a JSON object"), field="body") from exc
    if not isinstance(payload, dict):
        raise ValidationError(_("the body must be a JSON object"), field="body")
    case = case_act(actor=request.user, case=case, act=act, data=payload)
    return _detail(request, case)


@router.post("/cases/{case_id}/suggestion")
def discretion_suggestion(request, case_id: int):
    """The discretion benchmark's suggestion for the facts in the JSON body (harm, corrected, first_violation,
    area_m2, construction_cost, value, count, factors)."""
    case = get_case(request.user, case_id)
    try:
        facts = json.loads(request.body or b"{}")
    except ValueError as exc:
        raise ValidationError(_("the body must be a JSON object"), field="body") from exc
    if not isinstance(facts, dict):
        raise ValidationError(_("the body must be a JSON object"), field="body")
    return suggest_for_case(case, facts).as_dict()


@router.post("/cases/{case_id}/evidence", response={201: dict})
def add_evidence(request, case_id: int, kind: Form[str], description: Form[str], file: File[UploadedFile] = None,
                 co_officer: Form[int] = None):
    case = get_case(request.user, case_id)
    co = User.objects.filter(pk=co_officer).first() if co_officer else None
    if co_officer and co is None:
        raise ValidationError(_("co_officer: no such user"), field="co_officer")
    evidence = evidence_add(actor=request.user, case=case, kind=kind, description=description, file=file,
                            co_officer=co)
    return Status(201, {"id": evidence.pk, "sha256": evidence.sha256, "audit_seq": evidence.audit_seq})


@router.get("/cases/{case_id}/documents/{document_id}")
def download_document(request, case_id: int, document_id: int):
    case = get_case(request.user, case_id)
    doc = get_object_or_404(case.documents, pk=document_id)
    name = f"{doc.get_kind_display()}-{doc.number or case.reference}.docx"
    return FileResponse(doc.file.open("rb"), as_attachment=True, filename=name)


@router.get("/acts", response=list[ActOut])
def list_acts(request):
    return [
        {"code": a.code, "label": str(a.label), "from_states": list(a.sources), "to_states": list(a.targets),
         "roles": list(a.roles), "two_officers": a.two_officers,
         "params": [{"name": p.name, "kind": p.kind, "required": p.required, "choices": list(p.choices)}
                    for p in a.params]}
        for a in ACT_LIST
    ]


@router.get("/powers", response=list[PowerOut], auth=None)
def list_powers(request, q: str = "", power_type: str = "", level: str = ""):
    return list(public_powers(q=q, power_type=power_type, level=level))


@router.get("/powers/{code}", response=PowerOut, auth=None)
def power_detail(request, code: str):
    item = PowerItem.objects.filter(code=code, is_public=True).first()
    if item is None:
        raise Http404
    return item


@router.get("/decisions", response=list[PublicDecisionOut], auth=None)
def list_public_decisions(request, limit: int = 50, offset: int = 0):
    from .services.base import legal_basis_text, penalty_text

    limit = max(1, min(limit, 200))
    offset = max(0, min(offset, 10**9))  # a negative or huge offset is a client's mistake, not a 500
    out = []
    for case in public_decisions()[offset : offset + limit]:
        party, party_id = public_party(case)
        out.append({"decision_number": case.decision_number, "body": case.body.name, "party": party,
                    "party_id": party_id, "title": case.title, "legal_basis": legal_basis_text(case.power_item),
                    "penalty": penalty_text(case), "decided_at": case.decided_at})
    return out


@router.get("/stats/721")
def stats_721(request, start: date, end: date, region_id: int | None = None):
    region = Region.objects.filter(pk=region_id).first() if region_id else None
    if region_id and region is None:
        raise ValidationError(_("no such region"), field="region_id")
    tz = timezone.get_current_timezone()
    counts = enforcement_721_counts(datetime.combine(start, datetime.min.time(), tz),
                                    datetime.combine(end, datetime.min.time(), tz), region=region)
    return {"start": start, "end": end, "counts": counts}
