"""智能核查, the vendor's side: when a department replies on a case opened by a camera alarm, the platform asks
the camera's vendor for a fresh analysis (if the vendor has a fresh-analysis URL) and, either way, waits for the
next alarm or clear from that camera. The request is queued in the reply's transaction and POSTed by the job
`sensing.vendor_requests`, signed like the vendor's own pushes (`X-Vendor`, `X-Timestamp`, `X-Signature` =
hex HMAC-SHA256 of `<timestamp>.<body>` with the vendor's secret); a failure is retried with backoff
(1, 2, 4 … minutes) up to `MAX_ATTEMPTS`, then marked failed. The attempts and the last error are shown on the
case page and in admin."""

import json
import logging
import time
import urllib.error
import urllib.request
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import Alarm, AnalysisRequest, AutoCheck
from .vendors import signature

log = logging.getLogger("chengguan.sensing")
MAX_ATTEMPTS = 6
TIMEOUT_SECONDS = 10


def request_for(check: AutoCheck) -> AnalysisRequest | None:
    """Queue a fresh-analysis request for a camera check whose vendor has a URL (inside the caller's transaction)."""
    if check.camera_id is None:
        return None
    first = (
        Alarm.objects.filter(case=check.case, camera_id=check.camera_id, vendor__isnull=False)
        .select_related("vendor").order_by("occurred_at", "pk").first()
    )
    if first is None or not first.vendor.callback_url or not first.vendor.is_active:
        return None
    return AnalysisRequest.objects.create(
        auto_check=check, vendor=first.vendor, url=first.vendor.callback_url, next_try_at=check.opened_at
    )


def payload(req: AnalysisRequest) -> dict:
    check = req.auto_check
    return {
        "request": req.pk,
        "device_id": check.camera.device_id,
        "matter": check.matter.code,
        "case": check.case.number,
        "since": check.opened_at.isoformat(),
        "until": check.due_at.isoformat(),
        "reply_to": "/api/v1/sensing/alarms",
    }


def _post(req: AnalysisRequest) -> None:
    body = json.dumps(payload(req), ensure_ascii=False).encode()
    stamp = str(int(time.time()))
    http = urllib.request.Request(
        req.url, data=body, method="POST",
        headers={"Content-Type": "application/json", "X-Vendor": req.vendor.code, "X-Timestamp": stamp,
                 "X-Signature": signature(req.vendor.secret, stamp, body)},
    )
    with urllib.request.urlopen(http, timeout=TIMEOUT_SECONDS) as resp:  # noqa: S310 (configured by an admin)
        if not 200 <= resp.status < 300:
            raise urllib.error.HTTPError(req.url, resp.status, resp.reason, resp.headers, None)


def send_due(now=None) -> int:
    """POST the requests due now; returns how many were sent. A check no longer waiting is not asked about."""
    now = now or timezone.now()
    sent = 0
    due = AnalysisRequest.objects.filter(status=AnalysisRequest.Status.PENDING, next_try_at__lte=now)
    for req in due.select_related("vendor", "auto_check__camera", "auto_check__matter", "auto_check__case")[:100]:
        if req.auto_check.status != AutoCheck.Status.WAITING:
            AnalysisRequest.objects.filter(pk=req.pk).update(status=AnalysisRequest.Status.FAILED,
                                                             last_error="check settled before sending")
            continue
        try:
            _post(req)
        except (OSError, ValueError) as exc:  # URLError, HTTPError, timeouts are OSErrors
            req.attempts += 1
            req.last_error = str(exc)[:300]
            if req.attempts >= MAX_ATTEMPTS:
                req.status = AnalysisRequest.Status.FAILED
            else:
                req.next_try_at = now + timedelta(minutes=2 ** (req.attempts - 1))
            log.warning("sensing: fresh-analysis request %s to %s failed (%s): %s", req.pk, req.vendor.code,
                        req.attempts, exc)
        else:
            req.attempts += 1
            req.status, req.sent_at, req.last_error = AnalysisRequest.Status.SENT, now, ""
            sent += 1
        with transaction.atomic():
            req.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_try_at"])
    return sent
