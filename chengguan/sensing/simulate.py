"""`chengguan sensing simulate`: play the demo vendor and sensor fleet against the demo city. Readings for the
last `minutes` (one a minute per sensor) with threshold crossings (one stays in alarm and opens a case, one
clears), one silent sensor that goes offline; AI alarms with generated snapshots on every path: auto-filed,
reviewed, ignored, a repeat attached to the open case, and — after a department reply — a clear that passes the
automatic check. With `--mqtt host:port` the readings are published to the broker instead (run `listen`)."""

import base64
import io
import json
import random
from datetime import timedelta

from django.utils import timezone
from PIL import Image, ImageDraw

from .alarms import alarms_receive
from .models import Alarm, Camera, Sensor, Vendor
from .monitor import camera_seen, offline_sweep, rollup_due
from .readings import readings_ingest


def snapshot(seed: int, box: bool = True) -> str:
    """A street-scene-like JPEG (road, kerb, a block where the 'object' is) — enough for a demo."""
    rnd = random.Random(seed)
    img = Image.new("RGB", (640, 360), (120, 130, 140))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 0, 640, 140), fill=(170, 190, 210))
    d.polygon([(0, 360), (640, 360), (420, 150), (220, 150)], fill=(70, 72, 76))
    for x in range(0, 640, 80):
        d.rectangle((x, 100, x + 60, 150), fill=(150 + rnd.randrange(60), 140, 120))
    if box:
        x, y = rnd.randrange(80, 420), rnd.randrange(170, 260)
        d.rectangle((x, y, x + 110, y + 70), fill=(90 + rnd.randrange(100), 70, 40))
        d.rectangle((x - 6, y - 6, x + 116, y + 76), outline=(255, 40, 40), width=4)
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=80)
    return base64.b64encode(buf.getvalue()).decode()


def _value(stype, rnd, high: bool) -> float:
    if high and stype.alarm_high is not None:
        return stype.alarm_high * 1.3
    if high and stype.alarm_low is not None:
        return stype.alarm_low * 0.3
    lo, hi = stype.normal_min or 0, stype.normal_max or 1
    return round(rnd.uniform(lo, lo + (hi - lo) * 0.6), 2)


def _readings(minutes, rnd, now):
    sensors = list(Sensor.objects.select_related("type").order_by("device_id"))
    rows = []
    alarming = [s for s in sensors if s.type.opens_case][:2]  # the first stays in alarm, the second clears
    silent = sensors[-1] if sensors else None
    for s in sensors:
        last = minutes if s is not silent else minutes // 3
        for m in range(last):
            at = now - timedelta(minutes=minutes - m)
            high = (s in alarming[:1] and m > minutes - 20) or (s in alarming[1:] and minutes - 60 < m < minutes - 40)
            rows.append({"device_id": s.device_id, "at": at.isoformat(), "value": _value(s.type, rnd, high),
                         "battery": 90 - m // 30})
    return rows


def _publish(rows, target, prefix):
    import paho.mqtt.client as mqtt

    host, _, port = target.partition(":")
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
    client.connect(host or "127.0.0.1", int(port or 1883))
    client.loop_start()
    for r in rows:
        client.publish(f"{prefix}/{r['device_id']}/reading", json.dumps({k: v for k, v in r.items() if k != "device_id"}),
                       qos=1).wait_for_publish(5)
    client.loop_stop()
    client.disconnect()


def _alarm(i, camera, algorithm, confidence, now, minutes_ago, event="alarm"):
    return {"id": f"SIM-{now:%Y%m%d%H%M}-{i}", "device_id": camera.device_id, "algorithm": algorithm,
            "confidence": confidence, "occurred_at": (now - timedelta(minutes=minutes_ago)).isoformat(),
            "event": event, "snapshot": snapshot(i, box=event == "alarm"),
            "boxes": [{"x": 0.3, "y": 0.5, "w": 0.2, "h": 0.2, "label": algorithm}] if event == "alarm" else []}


def _vendor(now, stdout):
    vendor = Vendor.objects.filter(code="demo-ai").first()
    cams = list(Camera.objects.order_by("device_id")[:8])
    if vendor is None or len(cams) < 8:
        stdout.write("simulate: no demo vendor or cameras; run `chengguan demo` first")
        return
    codes = set(vendor.algorithms.values_list("code", flat=True))
    plan = [(cams[0], "garbage", 0.96, 90), (cams[0], "garbage", 0.93, 80), (cams[1], "vending", 0.72, 70),
            (cams[2], "vending", 0.66, 65), (cams[3], "garbage", 0.41, 60), (cams[4], "muck", 0.95, 55),
            (cams[5], "ads", 0.78, 50), (cams[6], "garbage", 0.97, 45), (cams[7], "vending", 0.94, 40)]
    batch = [_alarm(i, c, a, conf, now, ago) for i, (c, a, conf, ago) in enumerate(plan) if a in codes]
    results = alarms_receive(vendor=vendor, payload={"alarms": batch}, now=now)
    stdout.write("simulate: vendor batch → " + ", ".join(r["status"] for r in results))
    _operator_decides(now, stdout)
    _reply_and_clear(vendor, cams[6], now, stdout)


def _operator_decides(now, stdout):
    """The operator accepts the oldest alarm in the review queue and rejects the next (precision has data)."""
    from chengguan.org.models import User

    from .services import alarm_accept, alarm_reject

    operator = User.objects.filter(role_assignments__role="operator").first()
    queue = list(Alarm.objects.filter(status=Alarm.Status.PENDING).order_by("occurred_at")[:2])
    if operator is None or len(queue) < 2:
        return
    accepted = alarm_accept(actor=operator, alarm=queue[0], at=now)
    alarm_reject(actor=operator, alarm=queue[1], reason="行人遮挡，非占道经营", at=now)
    stdout.write(f"simulate: operator accepted an alarm ({accepted.case.number}) and rejected one")


def _reply_and_clear(vendor, camera, now, stdout):
    """A department replies on the last auto-filed garbage case; the camera's clear passes the check."""
    from chengguan.cases.services import case_act
    from chengguan.org.models import User

    alarm = Alarm.objects.filter(camera=camera, status=Alarm.Status.AUTO_FILED, case__state="dispatched").first()
    handler = User.objects.filter(role_assignments__role="department_handler").first()
    if alarm is None or handler is None:
        return
    # 20 minutes ago, but never before the dispatch it answers (an exchange import refuses a reply dated earlier)
    at = min(now, max(now - timedelta(minutes=20), (alarm.case.step_started_at or now) + timedelta(minutes=1)))
    try:
        case_act(actor=handler, case=alarm.case, action="reply", reason="已清运（模拟）", at=at)
    except Exception as exc:  # noqa: BLE001 - the demo handler may not serve that department
        stdout.write(f"simulate: no reply on {alarm.case.number}: {exc}")
        return
    alarms_receive(vendor=vendor, payload={"alarms": [_alarm(99, camera, "garbage", None, now, 10, "clear")]},
                   now=now)
    alarm.case.refresh_from_db()
    stdout.write(f"simulate: {alarm.case.number} after the camera's clear: {alarm.case.state}")


def simulate(*, minutes: int = 60, mqtt: str = "", prefix: str = "chengguan/sensors", stdout) -> None:
    now = timezone.now()
    rnd = random.Random(now.minute)
    rows = _readings(min(minutes, 7 * 24 * 60 - 10), rnd, now)
    if mqtt:
        _publish(rows, mqtt, prefix)
        stdout.write(f"simulate: {len(rows)} readings published to mqtt://{mqtt}/{prefix}")
    elif rows:
        rows.sort(key=lambda r: r["at"])
        for i in range(0, len(rows), 20_000):
            out = readings_ingest(rows=rows[i: i + 20_000], now=now)
            stdout.write(f"simulate: {out.stored} readings, {len(out.raised)} alarms, {len(out.cleared)} clears, "
                         f"cases {', '.join(c.number for c in out.cases) or '—'}")
    cams = list(Camera.objects.filter(is_active=True).order_by("device_id").values_list("pk", flat=True))
    if len(cams) > 8:  # the vendor's heartbeat for all but the last camera, which fell silent two hours ago
        camera_seen(cams[:-1], now)
        Camera.objects.filter(pk=cams[-1]).update(is_online=True, last_seen_at=now - timedelta(hours=2))
    stdout.write(f"simulate: {offline_sweep(now)} sensors and cameras went offline; {rollup_due()} hours rolled up")
    _vendor(now, stdout)
