"""/api/v1/sensing/: vendors push alarms and readings (vendor token or HMAC, not a user); staff list alarms
and decide the review queue (user token or session)."""

import json

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from chengguan.core.errors import ValidationError

from . import selectors
from .access import require_view
from .alarms import alarms_receive
from .models import Alarm
from .monitor import status_receive
from .readings import readings_ingest
from .services import alarm_accept, alarm_reject
from .vendors import authenticate_vendor

router = Router(tags=["sensing"])


def _json(request):
    try:
        return json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError(_("The body is not valid JSON."), field="body") from exc


@router.post("/alarms", auth=None, summary="A vendor's batch of AI alarms (idempotent per vendor alarm id)")
def post_alarms(request):
    vendor = authenticate_vendor(request.headers, request.body)
    results = alarms_receive(vendor=vendor, payload=_json(request))
    return {
        "received": sum(1 for r in results if not r["duplicate"]),
        "duplicates": sum(1 for r in results if r["duplicate"]),
        "results": results,
    }


@router.post("/readings", auth=None, summary="A batch of sensor readings (up to 100,000)")
def post_readings(request):
    vendor = authenticate_vendor(request.headers, request.body)
    payload = _json(request)
    if not isinstance(payload, dict):
        raise ValidationError(_("Send a JSON object with a 'readings' list."), field="readings")
    out = readings_ingest(rows=payload.get("readings"), vendor=vendor)
    return {
        "stored": out.stored,
        "alarms": len(out.raised),
        "cleared": len(out.cleared),
        "cases": [c.number for c in out.cases],
    }


@router.post("/status", auth=None, summary="A vendor's camera heartbeat / status push")
def post_status(request):
    authenticate_vendor(request.headers, request.body)
    return status_receive(payload=_json(request))


class SensingAlarmOut(Schema):
    id: int
    kind: str
    event: str
    status: str
    device: str
    matter: str | None
    confidence: float | None
    value: float | None
    occurred_at: str
    case: str | None


class SensingDecisionIn(Schema):
    reason: str = ""


def _alarm_out(a: Alarm) -> dict:
    return {
        "id": a.pk,
        "kind": a.kind,
        "event": a.event,
        "status": a.status,
        "device": a.device.device_id,
        "matter": a.matter.code if a.matter_id else None,
        "confidence": a.confidence,
        "value": a.value,
        "occurred_at": a.occurred_at.isoformat(),
        "case": a.case.number if a.case_id else None,
    }


@router.get("/alarms", response=list[SensingAlarmOut], summary="Recent alarms in your area")
def list_alarms(request, status: str = "", limit: int = 100):
    require_view(request.user)
    qs = selectors.alarms(request.user)
    if status:
        qs = qs.filter(status=status)
    return [_alarm_out(a) for a in qs[: max(1, min(limit, 500))]]


@router.post("/alarms/{alarm_id}/accept", response=SensingAlarmOut, summary="Accept a reviewed alarm: file a case")
def accept(request, alarm_id: int):
    require_view(request.user)
    alarm = get_object_or_404(selectors.alarms(request.user), pk=alarm_id)
    return _alarm_out(alarm_accept(actor=request.user, alarm=alarm))


@router.post("/alarms/{alarm_id}/reject", response=SensingAlarmOut, summary="Reject a reviewed alarm (false positive)")
def reject(request, alarm_id: int, body: SensingDecisionIn):
    require_view(request.user)
    alarm = get_object_or_404(selectors.alarms(request.user), pk=alarm_id)
    return _alarm_out(alarm_reject(actor=request.user, alarm=alarm, reason=body.reason))
