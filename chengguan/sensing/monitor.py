"""The sensing jobs: silent sensors go offline (an offline alarm), hour/day rollups of the readings, and
automatic checks whose window passed are left to the supervisors."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone

from .models import Alarm, AutoCheck, Camera, Reading, Rollup, RollupDue, Sensor


def camera_offline_sweep(now) -> int:
    """Cameras silent (no alarm, clear or status push) for CHENGGUAN_SENSING_CAMERA_OFFLINE_MINUTES: offline,
    with an offline alarm (once); the camera's next sign of life clears it."""
    limit = now - timedelta(minutes=settings.SENSING_CAMERA_OFFLINE_MINUTES)
    count = 0
    for camera in Camera.objects.filter(is_online=True, is_active=True).exclude(last_seen_at__gte=limit):
        with transaction.atomic():
            if not Camera.objects.filter(pk=camera.pk, is_online=True, last_seen_at=camera.last_seen_at).update(
                is_online=False
            ):
                continue
            Alarm.objects.create(
                kind=Alarm.Kind.OFFLINE, status=Alarm.Status.RAISED, camera=camera, matter=None,
                community_id=camera.community_id, occurred_at=now, received_at=now,
                note=f"last seen {camera.last_seen_at:%Y-%m-%d %H:%M}" if camera.last_seen_at else "never seen",
            )
            count += 1
    return count


def camera_seen(camera_ids, at) -> None:
    """Cameras alive at `at`: online again, their offline alarms cleared."""
    Camera.objects.filter(pk__in=camera_ids).update(is_online=True, last_seen_at=at)
    Alarm.objects.filter(camera_id__in=camera_ids, kind=Alarm.Kind.OFFLINE, status=Alarm.Status.RAISED).update(
        status=Alarm.Status.CLEARED
    )


def offline_sweep(now=None) -> int:
    """Sensors silent for longer than their type allows, and silent cameras: offline, with an offline alarm
    (once)."""
    now = now or timezone.now()
    count = camera_offline_sweep(now)
    for sensor in Sensor.objects.filter(is_online=True, is_active=True).select_related("type"):
        limit = timedelta(minutes=sensor.type.offline_after_minutes)
        if sensor.last_seen_at is not None and sensor.last_seen_at >= now - limit:
            continue
        with transaction.atomic():
            # compare-and-set: a worker racing us, or a reading arriving meanwhile, wins
            if not Sensor.objects.filter(pk=sensor.pk, is_online=True, last_seen_at=sensor.last_seen_at).update(
                is_online=False
            ):
                continue
            Alarm.objects.create(
                kind=Alarm.Kind.OFFLINE, status=Alarm.Status.RAISED, sensor=sensor, matter=None,
                community_id=sensor.community_id, occurred_at=now, received_at=now,
                note=f"last seen {sensor.last_seen_at:%Y-%m-%d %H:%M}" if sensor.last_seen_at else "never seen",
            )
            count += 1
    return count


def _rollup_hour(hour) -> None:
    end = hour + timedelta(hours=1)
    rows = (
        Reading.objects.filter(at__gte=hour, at__lt=end)
        .values("sensor_id")
        .annotate(n=Count("value"), lo=Min("value"), hi=Max("value"), total=Sum("value"))
    )
    Rollup.objects.filter(period=Rollup.Period.HOUR, start=hour).delete()
    Rollup.objects.bulk_create(
        [
            Rollup(sensor_id=r["sensor_id"], period=Rollup.Period.HOUR, start=hour, count=r["n"],
                   minimum=r["lo"], maximum=r["hi"], total=r["total"])
            for r in rows
        ]
    )


def _rollup_day(day_start) -> None:
    end = day_start + timedelta(days=1)
    rows = (
        Rollup.objects.filter(period=Rollup.Period.HOUR, start__gte=day_start, start__lt=end)
        .values("sensor_id")
        .annotate(n=Sum("count"), lo=Min("minimum"), hi=Max("maximum"), total=Sum("total"))
    )
    Rollup.objects.filter(period=Rollup.Period.DAY, start=day_start).delete()
    Rollup.objects.bulk_create(
        [
            Rollup(sensor_id=r["sensor_id"], period=Rollup.Period.DAY, start=day_start, count=r["n"],
                   minimum=r["lo"], maximum=r["hi"], total=r["total"])
            for r in rows
        ]
    )


def rollup_due() -> int:
    """Recompute the hours that received readings (and their local days) from the stored readings."""
    done = 0
    while True:
        with transaction.atomic():
            due = list(RollupDue.objects.select_for_update(skip_locked=True).order_by("hour")[:100])
            if not due:
                return done
            days = set()
            for row in due:
                _rollup_hour(row.hour)
                local = timezone.localtime(row.hour)
                days.add(local.replace(hour=0, minute=0, second=0, microsecond=0))
            for day in sorted(days):
                _rollup_day(day)
            RollupDue.objects.filter(pk__in=[r.pk for r in due]).delete()
            done += len(due)


def expire_checks(now=None) -> int:
    now = now or timezone.now()
    return AutoCheck.objects.filter(status=AutoCheck.Status.WAITING, due_at__lt=now).update(
        status=AutoCheck.Status.EXPIRED, decided_at=now
    )


def status_receive(*, payload, now=None) -> dict:
    """A vendor's camera heartbeat / status push: `{"devices": [{"device_id", "online": bool}]}` (≤ 1,000).
    All valid or nothing changed; online → seen now (offline alarm cleared); offline → offline with an alarm."""
    from django.utils.translation import gettext as _

    from chengguan.core.errors import ValidationError

    now = now or timezone.now()
    rows = payload.get("devices") if isinstance(payload, dict) else None
    if type(rows) is not list or not 0 < len(rows) <= 1000:
        raise ValidationError(_("Send 1–1,000 device states."), field="devices")
    ids = {r.get("device_id") for r in rows if isinstance(r, dict)}
    cameras = {c.device_id: c for c in Camera.objects.filter(device_id__in=[i for i in ids if isinstance(i, str)],
                                                             is_active=True)}
    up, down = [], []
    for i, r in enumerate(rows):
        if not isinstance(r, dict) or r.get("device_id") not in cameras:
            raise ValidationError(_("Unknown camera."), field=f"devices[{i}].device_id")
        if not isinstance(r.get("online"), bool):
            raise ValidationError(_("Say online true or false."), field=f"devices[{i}].online")
        (up if r["online"] else down).append(cameras[r["device_id"]])
    with transaction.atomic():
        camera_seen([c.pk for c in up], now)
        for camera in down:
            if Camera.objects.filter(pk=camera.pk, is_online=True).update(is_online=False):
                Alarm.objects.create(
                    kind=Alarm.Kind.OFFLINE, status=Alarm.Status.RAISED, camera=camera, matter=None,
                    community_id=camera.community_id, occurred_at=now, received_at=now, note="reported offline",
                )
    return {"online": len(up), "offline": len(down)}
