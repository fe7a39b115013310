"""`/api/v1/hotline`: work orders from the 12345 / 12319 hotlines, authenticated by the hotline's system token.

`POST /work-orders` registers a work order (idempotent on the hotline's own `id`: the same id answers 200 with
the same case), `GET /work-orders/{id}` reads its status and public timeline, `GET /deliveries` shows the
webhook delivery log of the hotline's subscribers. Status changes are pushed back by signed webhooks
(docs/hotline.md).
"""

from datetime import datetime

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from chengguan.api import BearerToken
from chengguan.core.errors import PermissionDenied

from . import presenters
from .models import HotlineSystem, HotlineWorkOrder, WebhookDelivery
from .services.hotline import work_order_receive

API_PREFIX = "/hotline"
router = Router(tags=["hotline"], auth=BearerToken())


class WorkOrderIn(Schema):
    id: str = Field(..., description="the hotline's own work order id (idempotency key)")
    category: str = Field("", description="the hotline's category code, mapped to a matter type")
    matter_code: str = Field("", description="or our matter code directly (5-digit or legacy)")
    description: str
    lng: float
    lat: float
    crs: str = Field("gcj02", description="wgs84, gcj02, bd09 or cgcs2000")
    address: str = ""
    caller_name: str = ""
    caller_phone: str = ""
    reported_at: datetime | None = None
    urgent: bool = False


def _system(request) -> HotlineSystem:
    system = HotlineSystem.objects.filter(user=request.auth, is_active=True).first()
    if system is None:
        raise PermissionDenied("This token does not belong to an active hotline system.", code="not_hotline")
    return system


def work_order_dict(work_order: HotlineWorkOrder) -> dict:
    case = work_order.case
    return {
        "id": work_order.external_id,
        "hotline": work_order.system.code,
        "case_number": case.number,
        "status": presenters.status_of(case),
        "state": case.state,
        "state_label": presenters.state_label(case),
        "matter_code": case.matter.code,
        "matter_name": case.matter.name,
        "category_mapped": work_order.category_mapped,
        "received_at": presenters.iso(work_order.received_at),
        "times_received": work_order.resend_count + 1,
        "timeline": [
            {"at": presenters.iso(t["at"]), "action": t["action"], "text": t["text"], "state": t["state"]}
            for t in presenters.timeline(case)
        ],
    }


def _load(system, external_id) -> HotlineWorkOrder:
    work_order = (
        HotlineWorkOrder.objects.select_related("system", "case__matter")
        .filter(system=system, external_id=external_id)
        .first()
    )
    if work_order is None:
        raise Http404
    return work_order


@router.post(
    "/work-orders", summary="Receive a work order (idempotent on its id)", response={200: dict, 201: dict}
)
def receive_work_order(request, payload: WorkOrderIn):
    system = _system(request)
    work_order, created = work_order_receive(
        system=system,
        external_id=payload.id,
        category=payload.category,
        matter_code=payload.matter_code,
        description=payload.description,
        lng=payload.lng,
        lat=payload.lat,
        crs=payload.crs,
        address=payload.address,
        caller_name=payload.caller_name,
        caller_phone=payload.caller_phone,
        reported_at=payload.reported_at,
        urgent=payload.urgent,
        at=timezone.now(),
    )
    return Status(201 if created else 200, work_order_dict(_load(system, work_order.external_id)))


@router.get(
    "/work-orders/{path:external_id}", summary="A work order's case status and public timeline", response=dict
)
def get_work_order(request, external_id: str):
    return work_order_dict(_load(_system(request), external_id))


@router.get("/deliveries", summary="The webhook delivery log of this hotline's subscribers", response=dict)
def list_deliveries(request, status: str | None = None, limit: int = 100):
    system = _system(request)
    qs = WebhookDelivery.objects.filter(subscriber__system=system).select_related("case", "subscriber")
    if status:
        qs = qs.filter(status=status)
    rows = qs.order_by("-created_at", "-pk")[: max(1, min(limit, 500))]
    return {
        "results": [
            {
                "id": d.pk,
                "event_id": f"evt_{d.event_id}",
                "subscriber": d.subscriber.name,
                "case_number": d.case.number,
                "status": d.status,
                "attempts": d.attempts,
                "next_attempt_at": presenters.iso(d.next_attempt_at),
                "last_status_code": d.last_status_code,
                "last_error": d.last_error,
                "delivered_at": presenters.iso(d.delivered_at),
            }
            for d in rows
        ]
    }
