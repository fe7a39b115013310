"""`/api/v1/cases`: report, list, read and act on cases; upload photos; the in-app inbox.

Bodies are JSON, except that a report and a photo upload may be multipart (`photos` / `file` parts).
Errors are `{"detail", "code", "field"}` with a 4xx status; a case outside the caller's scope is a 404.
"""

import hashlib
import json
from contextlib import nullcontext
from datetime import datetime

from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError as PydanticValidationError

from chengguan.catalog.services import matter_for_code
from chengguan.core.errors import ValidationError
from chengguan.grids.models import Component

from . import workflow
from .duplicates import duplicate_candidates
from .evidence import attachment_create, attachments_create
from .models import Source
from .notify import notification_mark_read
from .presenters import attachment_dict, case_detail, case_summary
from .selectors import case_for, case_list, inbox
from .services import case_act, case_report_once
from .services.intake import case_for_key, case_report
from .uploads import files_removed_on_error

API_PREFIX = "/cases"
router = Router(tags=["cases"])
MAX_PAGE_SIZE = 200


class CaseIn(Schema):
    source: str = "supervisor"
    matter_code: str = Field(..., description="GB/T 47678.5 5-digit code or a legacy 4-digit code")
    lng: float
    lat: float
    crs: str = "gcj02"
    description: str
    address: str = ""
    severity: str | None = None
    component_id: str | None = Field(None, description="17-digit component id")
    reporter_name: str = ""
    reporter_phone: str = ""
    photos: list[int] = Field(default_factory=list, description="ids of photos uploaded before")
    reported_at: datetime | None = None
    external_id: str = ""
    channel: str | None = None


class ActionIn(Schema):
    reason: str | None = None
    department_id: int | None = None
    district_id: int | None = None
    severity: str | None = None
    filing_condition_id: int | None = None
    matter_code: str | None = None
    amount: float | None = None
    unit: str | None = None
    photos: list[int] | None = None
    target_id: int | str | None = Field(None, description="merge: the open case (id or number) to merge into")
    confirmed: bool | None = Field(None, description="verify: does the problem exist?")


def _parse_case_in(request) -> tuple[CaseIn, list]:
    if request.content_type.startswith("multipart/"):
        data = request.POST
        raw = {k: data.get(k) for k in data if k != "photos"}
        raw["photos"] = [p for p in data.getlist("photos") if p]
        raw = {k: v for k, v in raw.items() if v not in ("", None) or k == "photos"}
        files = request.FILES.getlist("photos")
    else:
        try:
            raw = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise ValidationError("The body is not valid JSON.", field="body") from exc
        files = []
    if not isinstance(raw, dict):
        raise ValidationError("The body must be a JSON object.", field="body")
    try:
        return CaseIn.model_validate(raw), files
    except PydanticValidationError as exc:
        raise NinjaValidationError(exc.errors(include_url=False, include_context=False)) from exc


REPORT_BODY = {
    "requestBody": {
        "content": {
            "application/json": {"schema": CaseIn.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        **{k: {"type": "string"} for k in CaseIn.model_fields if k != "photos"},
                        "photos": {"type": "array", "items": {"type": "string", "format": "binary"}},
                    },
                }
            },
        }
    },
    "parameters": [
        {
            "in": "header",
            "name": "Idempotency-Key",
            "required": False,
            "schema": {"type": "string"},
            "description": "a replay with the same key returns the first case and creates nothing",
        }
    ],
}


@router.post("", summary="Report a case", openapi_extra=REPORT_BODY, response={200: dict, 201: dict})
def create_case(request):
    body, files = _parse_case_in(request)
    user = request.auth
    key = request.headers.get("Idempotency-Key")
    digest = None
    if key is not None:
        digest = hashlib.sha256(request.body if not files else _multipart_digest(request)).hexdigest()
        replayed = case_for_key(actor=user, key=key, request_hash=digest)
        if replayed is not None:  # a replay (the answer was lost): the first case, no second copy of its photos
            return Status(200, _created_answer(replayed, user))
    # Files sent with the report are stored with it, in one transaction; a JSON report leaves the transaction to
    # the intake, which then sends its COMMIT with its last statement (cases/services/numbering.py)
    with files_removed_on_error(), transaction.atomic() if files else nullcontext():
        photos = list(body.photos) + [a.pk for a in attachments_create(actor=user, files=files, kind="before")]
        matter = matter_for_code(body.matter_code)
        component = None
        if body.component_id:
            component = Component.objects.filter(code=body.component_id).first()
            if component is None:
                raise ValidationError(f"Unknown component {body.component_id}.", field="component_id")
        report = dict(
            source=body.source, matter=matter, lng=body.lng, lat=body.lat, crs=body.crs,
            description=body.description, address=body.address, severity=body.severity, component=component,
            reporter_name=body.reporter_name, reporter_phone=body.reporter_phone, photos=photos,
            reported_at=body.reported_at, external_id=body.external_id, channel_ref=body.channel,
            duplicates_for=(user, ANSWER_FIELDS),
        )  # fmt: skip
        if key is not None:
            case, created = case_report_once(actor=user, key=key, request_hash=digest, **report)
        else:
            case, created = case_report(actor=user, **report), True
    return Status(201 if created else 200, _created_answer(case, user))


ANSWER_FIELDS = ("number", "state")  # what the answer shows of each possible duplicate


def _created_answer(case, user) -> dict:
    data = case_summary(case, timezone.now())
    found = case.__dict__.get("duplicates")  # searched by the intake (`duplicates_for`); not for a replay
    if found is None:
        found = duplicate_candidates(case, user=user, only=ANSWER_FIELDS)
    data["duplicates"] = [
        {"id": c.pk, "number": c.number, "distance_m": round(d, 1), "state": c.state} for c, d in found
    ]
    return data


def _multipart_digest(request) -> bytes:
    parts = [json.dumps(sorted((k, request.POST.getlist(k)) for k in request.POST), ensure_ascii=False)]
    for f in request.FILES.getlist("photos"):
        f.seek(0)
        parts.append(hashlib.sha256(f.read()).hexdigest())
        f.seek(0)  # read again when the photos are stored
    return "|".join(parts).encode()


@router.get("", summary="List cases (filters, pagination)", response=dict)
def list_cases(
    request,
    state: str | None = None,
    source: str | None = None,
    matter_code: str | None = None,
    district_id: int | None = None,
    department_id: int | None = None,
    number: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    overdue: bool | None = None,
    q: str | None = None,
    page: int = 1,
    page_size: int = 50,
):
    if state and state not in workflow.STATES:
        raise ValidationError(
            f"Unknown state {state!r}; use one of {', '.join(workflow.STATES)}.", field="state"
        )
    if source and source not in Source.values:
        raise ValidationError(
            f"Unknown source {source!r}; use one of {', '.join(Source.values)}.", field="source"
        )
    if not 1 <= page <= 1_000_000:  # a larger page is a mistake, and its offset overflows SQLite
        raise ValidationError("page must be 1–1000000.", field="page")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise ValidationError(f"page_size must be 1–{MAX_PAGE_SIZE}.", field="page_size")
    now = timezone.now()
    qs = case_list(
        request.auth, state=state, source=source, matter_code=matter_code, district_id=district_id,
        department_id=department_id, number=number, since=since, until=until, overdue=overdue, now=now, q=q,
    ).order_by("-reported_at", "-pk")  # fmt: skip
    count = qs.count()
    start = (page - 1) * page_size
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "results": [case_summary(c, now) for c in qs[start : start + page_size]],
    }


@router.post(
    "/attachments", summary="Upload a photo (multipart `file`, optional `kind`)", response={201: dict}
)
def upload_attachment(request):
    upload = request.FILES.get("file")
    if upload is None:
        raise ValidationError("Send the photo as the multipart part `file`.", field="file")
    kind = (request.POST.get("kind") or "before") if isinstance(request.POST, QueryDict) else "before"
    return Status(201, attachment_dict(attachment_create(actor=request.auth, file=upload, kind=kind)))


@router.get("/notifications", summary="My inbox", response=dict)
def my_notifications(request, unread: bool = False, page_size: int = 50):
    qs = inbox(request.auth)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    rows = qs[: max(1, min(page_size, MAX_PAGE_SIZE))]
    return {
        "unread": inbox(request.auth).filter(read_at__isnull=True).count(),
        "results": [
            {"id": n.pk, "kind": n.kind, "text": n.text, "case_id": n.case_id,
             "case_number": n.case.number if n.case_id else None, "created_at": n.created_at.isoformat(),
             "read_at": n.read_at.isoformat() if n.read_at else None}
            for n in rows
        ],
    }  # fmt: skip


class ReadIn(Schema):
    ids: list[int] | None = None


@router.post(
    "/notifications/read", summary="Mark notifications read (all when `ids` is omitted)", response=dict
)
def read_notifications(request, payload: ReadIn):
    count = notification_mark_read(actor=request.auth, notification_ids=payload.ids, at=timezone.now())
    return {"marked": count}


@router.get("/{id}", summary="One case with its timeline, photos and the actions open to me", response=dict)
def get_case(request, id: int):
    return case_detail(case_for(request.auth, id), request.auth)


@router.get(
    "/{id}/duplicates", summary="Open cases nearby of the same matter (merge candidates)", response=list
)
def get_duplicates(request, id: int):
    case = case_for(request.auth, id)
    return [
        {"id": c.pk, "number": c.number, "distance_m": round(d, 1), "state": c.state, "address": c.address}
        for c, d in duplicate_candidates(case, user=request.auth)
    ]


class RevealIn(Schema):
    reason: str = Field(..., description="why you need the reporter's full name and phone (logged)")


@router.post(
    "/{id}/reporter/reveal",
    summary="Reveal the reporter's full name and phone (operator, shift leader, city admin; logged)",
    response=dict,
)
def reveal_reporter(request, id: int, payload: RevealIn):
    """Everywhere else the reporter is masked; this answer is the only one that carries the full values, and
    each call writes a row in the personal-data reveal log (who, whose, when, why, from which address)."""
    from chengguan.public.services.privacy import reporter_reveal
    from chengguan.public.services.ratelimit import client_ip

    case = case_for(request.auth, id)  # outside the caller's scope: 404, nothing logged
    revealed = reporter_reveal(actor=request.auth, case=case, reason=payload.reason, ip=client_ip(request))
    return {"id": case.pk, "number": case.number, "reporter_name": revealed["name"],
            "reporter_phone": revealed["phone"], "logged": True}  # fmt: skip


@router.post(
    "/{id}/actions/{action}", summary="Act on a case (accept, file, dispatch, reply, ...)", response=dict
)
def act_on_case(request, id: int, action: str, payload: ActionIn | None = None):
    user = request.auth
    case = case_for(user, id)
    params = payload.model_dump(exclude_none=True) if payload is not None else {}
    case = case_act(actor=user, case=case, action=action, **params)
    return case_detail(case, user)
