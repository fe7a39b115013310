"""AI alarm intake: parse a vendor's batch (all of it valid, or nothing stored), then per alarm: replay → nothing;
clear → may pass an automatic check; alarm → repeat of an open case (attached; rework if it was being checked)
or the rule's decision (auto-file, review queue, ignore)."""

import base64
import binascii
import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from chengguan.cases.evidence import inspect_image
from chengguan.cases.models import Case
from chengguan.core.errors import ValidationError

from . import casework
from .models import Alarm, AlarmRule, Algorithm, Camera, Vendor
from .monitor import camera_seen

MAX_BATCH = 500
MAX_SNAPSHOT_BYTES = 5 * 1024 * 1024
MAX_AGE = timedelta(days=7)
MAX_AHEAD = timedelta(minutes=5)
DEFAULT_RULE = AlarmRule(name="default", auto_file_confidence=2.0, review_confidence=0.5)


@dataclass
class Item:
    vendor_alarm_id: str
    camera: Camera
    algorithm: Algorithm
    confidence: float | None
    occurred_at: datetime
    event: str
    snapshot: bytes | None
    snapshot_url: str
    boxes: list


def _need(cond, message, field):
    if not cond:
        raise ValidationError(message, field=field)


def parse_time(value, field: str, now: datetime) -> datetime:
    at = None
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        try:
            at = datetime.fromtimestamp(value, tz=UTC)
        except (OverflowError, ValueError, OSError):
            at = None
    elif isinstance(value, str):
        try:
            at = parse_datetime(value)
        except ValueError:
            at = None
    _need(at is not None, _("Give the time as ISO 8601 with its offset, or epoch seconds."), field)
    _need(timezone.is_aware(at), _("The time needs its UTC offset."), field)
    _need(now - MAX_AGE <= at <= now + MAX_AHEAD, _("The time is out of range (at most 7 days old)."), field)
    return at


def _boxes(value, field):
    _need(isinstance(value, list) and len(value) <= 50, _("Bounding boxes are a list (at most 50)."), field)
    out = []
    for j, box in enumerate(value):
        ok = isinstance(box, dict) and all(
            isinstance(box.get(k), (int, float)) and 0 <= box.get(k) <= 1 for k in ("x", "y", "w", "h")
        )
        _need(ok, _("A box is {x, y, w, h} as fractions 0–1 of the image."), f"{field}[{j}]")
        out.append({k: box[k] for k in ("x", "y", "w", "h")} | {"label": str(box.get("label", ""))[:32]})
    return out


def _snapshot(value, field):
    if value in (None, ""):
        return None
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, TypeError, ValueError) as exc:
        raise ValidationError(_("The snapshot is not base64."), field=field) from exc
    _need(len(data) <= MAX_SNAPSHOT_BYTES, _("The snapshot is larger than 5 MB."), field)
    try:
        inspect_image(data)
    except ValidationError as exc:
        raise ValidationError(exc.message, field=field) from exc
    return data


def parse_batch(vendor: Vendor, payload, now: datetime) -> list[Item]:
    _need(isinstance(payload, dict), _("Send a JSON object with an 'alarms' list."), "alarms")
    rows = payload.get("alarms")
    _need(isinstance(rows, list) and 0 < len(rows) <= MAX_BATCH, _("Send 1–500 alarms."), "alarms")
    algorithms = {a.code: a for a in Algorithm.objects.filter(vendor=vendor).select_related("matter")}
    ids = {str(r.get("device_id")) for r in rows if isinstance(r, dict)}
    cameras = {c.device_id: c for c in Camera.objects.filter(device_id__in=ids, is_active=True)}
    items, seen = [], set()
    for i, r in enumerate(rows):
        f = f"alarms[{i}]"
        _need(isinstance(r, dict), _("Each alarm is an object."), f)
        vid = r.get("id")
        _need(isinstance(vid, str) and 0 < len(vid) <= 64, _("Give the vendor's alarm id (1–64 chars)."), f + ".id")
        _need(vid not in seen, _("The alarm id appears twice in the batch."), f + ".id")
        seen.add(vid)
        camera = cameras.get(str(r.get("device_id")))
        _need(camera is not None, _("Unknown camera."), f + ".device_id")
        algorithm = algorithms.get(r.get("algorithm"))
        _need(algorithm is not None, _("Unknown algorithm for this vendor."), f + ".algorithm")
        event = r.get("event", Alarm.Event.ALARM)
        _need(event in Alarm.Event.values, _("The event is 'alarm' or 'clear'."), f + ".event")
        conf = r.get("confidence")
        if event == Alarm.Event.ALARM or conf is not None:
            ok = isinstance(conf, (int, float)) and not isinstance(conf, bool) and 0 <= conf <= 1
            _need(ok, _("The confidence is a number 0–1."), f + ".confidence")
        url = r.get("snapshot_url") or ""
        _need(isinstance(url, str) and (not url or url.startswith(("http://", "https://"))) and len(url) <= 500,
              _("The snapshot URL is an http(s) URL."), f + ".snapshot_url")
        items.append(
            Item(
                vendor_alarm_id=vid,
                camera=camera,
                algorithm=algorithm,
                confidence=float(conf) if conf is not None else None,
                occurred_at=parse_time(r.get("occurred_at"), f + ".occurred_at", now),
                event=event,
                snapshot=_snapshot(r.get("snapshot"), f + ".snapshot"),
                snapshot_url=url,
                boxes=_boxes(r.get("boxes", []), f + ".boxes"),
            )
        )
    return items


def rule_for(matter, community, at: datetime) -> AlarmRule:
    hour = timezone.localtime(at).hour
    best, best_key = DEFAULT_RULE, None
    path = community.path if community is not None else ""
    for rule in AlarmRule.objects.filter(is_active=True).select_related("region"):
        if rule.matter_id not in (None, matter.pk):
            continue
        if rule.region_id and not path.startswith(rule.region.path):
            continue
        if not (rule.start_hour <= hour < rule.end_hour):
            continue
        key = (rule.matter_id is not None, len(rule.region.path) if rule.region_id else 0, rule.pk)
        if best_key is None or key > best_key:
            best, best_key = rule, key
    return best


def _nearby_open_case(camera: Camera, matter, metres: int) -> Case | None:
    if metres <= 0:
        return None
    dlat = metres / 111_320
    dlng = metres / (111_320 * max(math.cos(math.radians(camera.lat)), 0.01))
    near = Case.objects.filter(
        is_open=True,
        matter=matter,
        lng__range=(camera.lng - dlng, camera.lng + dlng),
        lat__range=(camera.lat - dlat, camera.lat + dlat),
    )
    return near.order_by("created_at").first()


def _store(vendor, item: Item, now, status, rule) -> Alarm:
    alarm = Alarm(
        kind=Alarm.Kind.AI, event=item.event, status=status, vendor=vendor, vendor_alarm_id=item.vendor_alarm_id,
        camera=item.camera, algorithm=item.algorithm, matter=item.algorithm.matter,
        community_id=item.camera.community_id, confidence=item.confidence, occurred_at=item.occurred_at,
        received_at=now, boxes=item.boxes, snapshot_url=item.snapshot_url,
        rule=rule if rule.pk else None,
    )
    if item.snapshot:
        alarm.snapshot_sha256 = hashlib.sha256(item.snapshot).hexdigest()
        alarm.snapshot.save(f"{alarm.snapshot_sha256[:24]}.jpg", ContentFile(item.snapshot), save=False)
    alarm.save()
    return alarm


def _handle(vendor, item: Item, now) -> Alarm:
    camera, matter, S = item.camera, item.algorithm.matter, Alarm.Status
    rule = rule_for(matter, camera.community, item.occurred_at)
    check = casework.waiting_check(camera=camera, matter=matter, at=item.occurred_at)
    if item.event == Alarm.Event.CLEAR:
        alarm = _store(vendor, item, now, S.CLEARED, rule)
        if check is not None:
            casework.settle_check(check=check, alarm=alarm, passed=True, at=now)
        return alarm
    if check is not None:  # the problem is back while the reply is being checked: rework
        alarm = _store(vendor, item, now, S.SUPPRESSED, rule)
        casework.settle_check(check=check, alarm=alarm, passed=False, at=now)
        return alarm
    since = item.occurred_at - timedelta(minutes=rule.suppress_minutes)
    case = casework.open_case_for(camera=camera, matter=matter, since=since) or _nearby_open_case(
        camera, matter, rule.suppress_metres
    )
    if case is not None:
        alarm = _store(vendor, item, now, S.SUPPRESSED, rule)
        alarm.case = case
        alarm.save(update_fields=["case"])
        return alarm
    conf = item.confidence or 0.0
    if conf >= rule.auto_file_confidence:
        alarm = _store(vendor, item, now, S.AUTO_FILED, rule)
        casework.file_case(alarm=alarm, at=now)
        return alarm
    if conf >= rule.review_confidence:
        repeat = Alarm.objects.filter(
            camera=camera, matter=matter, status=S.PENDING, occurred_at__gte=since
        ).exists()
        return _store(vendor, item, now, S.SUPPRESSED if repeat else S.PENDING, rule)
    return _store(vendor, item, now, S.IGNORED, rule)


def alarms_receive(*, vendor: Vendor, payload, now: datetime | None = None) -> list[dict]:
    """The whole batch in one transaction; alarms already received (same vendor id) are answered, not redone.
    Two deliveries of the same batch at once: the loser's transaction fails on the unique vendor id and is
    answered again, now as duplicates."""
    now = now or timezone.now()
    try:
        return _receive(vendor, payload, now)
    except IntegrityError:
        return _receive(vendor, payload, now)


def _receive(vendor: Vendor, payload, now: datetime) -> list[dict]:
    items = parse_batch(vendor, payload, now)
    known = dict(
        Alarm.objects.filter(vendor=vendor, vendor_alarm_id__in=[i.vendor_alarm_id for i in items]).values_list(
            "vendor_alarm_id", "pk"
        )
    )
    results = []
    with transaction.atomic():
        for item in sorted(items, key=lambda i: i.occurred_at):
            if item.vendor_alarm_id in known:
                alarm, duplicate = Alarm.objects.select_related("case").get(pk=known[item.vendor_alarm_id]), True
            else:
                alarm, duplicate = _handle(vendor, item, now), False
                camera_seen([item.camera.pk], now)
            results.append(
                {
                    "id": item.vendor_alarm_id,
                    "alarm": alarm.pk,
                    "status": alarm.status,
                    "case": alarm.case.number if alarm.case_id else None,
                    "duplicate": duplicate,
                }
            )
    return results
