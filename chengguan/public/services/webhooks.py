"""Signed webhooks: every status change of a hotline's case is queued per subscriber and sent with retries.

* Queue: `enqueue_for_event` (called after each case event commits) writes one `WebhookDelivery` per active
  subscriber; the (subscriber, event) pair is unique, so queuing twice is harmless. `catch_up` re-queues
  events the signal missed (a crash between commit and signal), so nothing is lost.
* Send: `deliver_due` claims due rows with a compare-and-set on (status, attempts, claim token): two senders
  running at once never send the same attempt. Success is any 2xx; anything else is retried after
  `WEBHOOK_BACKOFF_SECONDS × 2^(attempt-1)` (capped) until `WEBHOOK_MAX_ATTEMPTS`, then `failed`.
  Every attempt is a `WebhookAttempt` row (the delivery log).
* Sign: `X-Chengguan-Signature: sha256=HMAC_SHA256(secret, "<timestamp>.<body>")` with the timestamp in
  `X-Chengguan-Timestamp` (Unix seconds); receivers reject stale timestamps (replay) and dedupe by event id.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone, translation

from chengguan import __version__
from chengguan.cases.models import CaseEvent, Source
from chengguan.cases.workflow import FINAL_STATES, STATE_LABELS

from .. import conf, presenters
from ..models import HotlineWorkOrder, WebhookAttempt, WebhookDelivery, WebhookSubscriber

log = logging.getLogger("chengguan.public.webhooks")
EVENT_TYPE = "case.status_changed"
SIGNATURE_HEADER = "X-Chengguan-Signature"
TIMESTAMP_HEADER = "X-Chengguan-Timestamp"


# ---- signing ------------------------------------------------------------------------------------------------


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(
    secret: str,
    *,
    timestamp: str,
    signature: str,
    body: bytes,
    now: float | None = None,
    tolerance: int | None = None,
) -> bool:
    """What a receiver does: the timestamp is recent and the signature matches (constant-time compare)."""
    tolerance = conf.webhook_tolerance() if tolerance is None else tolerance
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - ts) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, ts, body), signature or "")


# ---- queueing ------------------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return conf.site_url() + path if path.startswith("/") else path


def event_payload(event: CaseEvent, work_order: HotlineWorkOrder) -> dict:
    """What the hotline is told: the state this event led to, in public words (no staff names, no notes)."""
    case = event.case
    closed = event.to_state in FINAL_STATES
    payload = {
        "id": f"evt_{event.pk}",
        "type": EVENT_TYPE,
        "occurred_at": presenters.iso(event.at),
        "hotline": work_order.system.code,
        "work_order_id": work_order.external_id,
        "case_number": case.number,
        "status": "closed" if closed else "open",
        "state": event.to_state,
        "state_label": str(STATE_LABELS.get(event.to_state, event.to_state)),
        "previous_state": event.from_state or None,
        "action": event.action,
        "note": presenters.event_text(event),
        "department": event.department.name if event.department_id else None,
        "expected_at": presenters.iso(event.deadline) if event.step == "handle" else None,
    }
    if closed:
        payload["photos"] = [
            _absolute(presenters.photo_url(a)) for a in case.attachments.filter(kind="after").order_by("pk")
        ]
    return payload


def is_status_change(event: CaseEvent) -> bool:
    return event.from_state != event.to_state


def _report_of_another_source(event: CaseEvent) -> bool:
    """A new case that is not a hotline's has no work order when its report commits (only the hotline intake
    creates one with its case, `Source.HOTLINE`): no statement to look for one on every Open311 or app intake."""
    case = event.case if CaseEvent.case.is_cached(event) else None
    return event.action == "report" and case is not None and case.source != Source.HOTLINE


def enqueue_for_event(event: CaseEvent, *, at: datetime | None = None) -> list[WebhookDelivery]:
    """Queue the event for every active subscriber of the hotline the case came from (if any)."""
    if not is_status_change(event) or _report_of_another_source(event):
        return []
    work_order = HotlineWorkOrder.objects.select_related("system").filter(case_id=event.case_id).first()
    if work_order is None:
        return []
    subscribers = list(WebhookSubscriber.objects.filter(system=work_order.system, is_active=True))
    if not subscribers:
        return []
    event = CaseEvent.objects.select_related("case", "department").get(pk=event.pk)
    with translation.override(settings.LANGUAGE_CODE):  # the same words whoever triggered the change
        body = json.dumps(event_payload(event, work_order), ensure_ascii=False, sort_keys=True)
    at = at or timezone.now()
    queued = []
    for subscriber in subscribers:
        try:
            with transaction.atomic():
                queued.append(
                    WebhookDelivery.objects.create(
                        subscriber=subscriber,
                        event=event,
                        case_id=event.case_id,
                        body=body,
                        next_attempt_at=at,
                        created_at=at,
                    )
                )
        except IntegrityError:
            continue  # queued before
    return queued


def catch_up(*, now: datetime, lookback: timedelta = timedelta(days=1)) -> int:
    """Queue status changes of the last `lookback` that have no delivery yet (the signal was missed)."""
    count = 0
    for subscriber in WebhookSubscriber.objects.filter(is_active=True).select_related("system"):
        since = max(now - lookback, subscriber.created_at)
        missing = (
            CaseEvent.objects.filter(at__gte=since, case__hotline_work_order__system=subscriber.system)
            .exclude(from_state=F("to_state"))
            .exclude(pk__in=WebhookDelivery.objects.filter(subscriber=subscriber).values("event_id"))
            .order_by("at", "pk")
        )
        for event in missing[:1000]:
            count += len([d for d in enqueue_for_event(event, at=now) if d.subscriber_id == subscriber.pk])
    return count


# ---- sending ------------------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # a redirect is a failed delivery: never re-send a signed body elsewhere


_opener = urllib.request.build_opener(_NoRedirect)


def send_http(url: str, body: bytes, headers: dict, timeout: float) -> tuple[int | None, str]:
    """POST once; returns (HTTP status or None, error text)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=timeout) as response:  # noqa: S310 - admin-configured URL
            response.read(65536)
            return response.status, ""
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, str(reason)[:300] or type(exc).__name__


def backoff(attempt: int) -> timedelta:
    base, cap = conf.webhook_backoff()
    return timedelta(seconds=min(base * 2 ** (attempt - 1), cap))


def stale_after() -> timedelta:
    return timedelta(seconds=max(conf.webhook_timeout() * 3, 60))


def _headers(delivery: WebhookDelivery, timestamp: int, body: bytes) -> dict:
    return {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": f"Chengguan-Webhooks/{__version__}",
        "X-Chengguan-Event": EVENT_TYPE,
        "X-Chengguan-Delivery": str(delivery.pk),
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: sign(delivery.subscriber.secret, timestamp, body),
    }


def _claim(pk: int, status: str, attempts: int, token: str, at: datetime) -> str | None:
    new_token = uuid.uuid4().hex
    claimed = WebhookDelivery.objects.filter(
        pk=pk, status=status, attempts=attempts, claim_token=token
    ).update(status=WebhookDelivery.Status.SENDING, claim_token=new_token, claimed_at=at)
    return new_token if claimed else None


def attempt(delivery: WebhookDelivery, *, token: str, sender=send_http) -> str:
    """Send a claimed delivery once and record the outcome; returns the new status."""
    at = timezone.now()
    body = delivery.body.encode("utf-8")
    started = time.monotonic()
    status_code, error = sender(
        delivery.subscriber.url, body, _headers(delivery, int(at.timestamp()), body), conf.webhook_timeout()
    )
    duration = int((time.monotonic() - started) * 1000)
    ok = status_code is not None and 200 <= status_code < 300
    number = delivery.attempts + 1
    in_round = number - delivery.attempts_base
    fields = {"attempts": number, "last_status_code": status_code, "last_error": error, "claim_token": ""}
    if ok:
        fields.update(
            status=WebhookDelivery.Status.DELIVERED, delivered_at=at, next_attempt_at=None, last_error=""
        )
    elif in_round >= conf.webhook_max_attempts():
        fields.update(status=WebhookDelivery.Status.FAILED, next_attempt_at=None)
    else:
        fields.update(status=WebhookDelivery.Status.PENDING, next_attempt_at=at + backoff(in_round))
    with transaction.atomic():
        if not WebhookDelivery.objects.filter(pk=delivery.pk, claim_token=token).update(**fields):
            return "lost"  # our claim went stale and another sender took over; it records its own attempt
        WebhookAttempt.objects.create(
            delivery=delivery,
            number=number,
            at=at,
            status_code=status_code,
            error=error,
            duration_ms=duration,
        )
    if not ok:
        log.warning(
            "webhook %s attempt %s to %s failed: %s", delivery.pk, number, delivery.subscriber.url, error
        )
    return fields["status"]


def deliver_due(*, now: datetime | None = None, batch: int = 100, sender=send_http) -> dict:
    """Send every due delivery once (one pass). Safe to run in several processes at the same time.

    After a failed attempt the subscriber's other deliveries wait for the next pass (`deferred`): a receiver
    that is down costs one timeout per pass, not one per queued event."""
    now = now or timezone.now()
    due = (
        WebhookDelivery.objects.filter(subscriber__is_active=True)
        .filter(
            Q(status=WebhookDelivery.Status.PENDING, next_attempt_at__lte=now)
            | Q(status=WebhookDelivery.Status.SENDING, claimed_at__lt=now - stale_after())
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", "status", "attempts", "claim_token", "subscriber_id")[:batch]
    )
    summary = {"delivered": 0, "retrying": 0, "failed": 0, "skipped": 0, "deferred": 0}
    failing = set()
    for pk, status, attempts, token, subscriber_id in list(due):
        if subscriber_id in failing:
            summary["deferred"] += 1
            continue
        claim = _claim(pk, status, attempts, token, now)
        if claim is None:
            summary["skipped"] += 1  # another sender claimed it first
            continue
        delivery = WebhookDelivery.objects.select_related("subscriber").get(pk=pk)
        outcome = attempt(delivery, token=claim, sender=sender)
        if outcome in ("pending", "failed"):
            failing.add(subscriber_id)
        key = {"delivered": "delivered", "pending": "retrying", "failed": "failed"}.get(outcome, "skipped")
        summary[key] += 1
    return summary


def delivery_retry(*, delivery: WebhookDelivery, at: datetime | None = None) -> WebhookDelivery:
    """Send a given-up delivery again (an operator fixed the receiver): it gets a fresh set of attempts."""
    at = at or timezone.now()
    WebhookDelivery.objects.filter(pk=delivery.pk, status=WebhookDelivery.Status.FAILED).update(
        status=WebhookDelivery.Status.PENDING, attempts_base=F("attempts"), next_attempt_at=at, claim_token=""
    )
    delivery.refresh_from_db()
    return delivery
