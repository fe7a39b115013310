"""Reads filtered by the viewer's scope: devices, alarms, precision per algorithm and camera, sensor series."""

from django.db.models import Count, Q

from .access import scope
from .models import Alarm, Camera, Rollup, Sensor

DECIDED_TRUE = (Alarm.Status.ACCEPTED, Alarm.Status.AUTO_FILED)


def cameras(user):
    return Camera.objects.filter(scope(user), is_active=True)


def sensors(user):
    return Sensor.objects.filter(scope(user), is_active=True).select_related("type")


def alarms(user):
    return Alarm.objects.filter(scope(user)).select_related(
        "camera", "sensor", "matter", "case", "algorithm", "sensor__type"
    )


def review_queue(user):
    return alarms(user).filter(status=Alarm.Status.PENDING).order_by("occurred_at", "pk")


def precision(user, by: str = "algorithm") -> list[dict]:
    """Operator decisions per algorithm (or camera): accepted / (accepted + rejected); auto-filed are counted
    apart (no person judged them). The false-positive rate is rejected / decided."""
    key = {"algorithm": "algorithm__name", "camera": "camera__name"}[by]
    rows = (
        alarms(user)
        .filter(kind=Alarm.Kind.AI, event=Alarm.Event.ALARM)
        .values(key)
        .annotate(
            accepted=Count("pk", filter=Q(status=Alarm.Status.ACCEPTED)),
            rejected=Count("pk", filter=Q(status=Alarm.Status.REJECTED)),
            auto=Count("pk", filter=Q(status=Alarm.Status.AUTO_FILED)),
            total=Count("pk"),
        )
        .order_by(key)
    )
    out = []
    for r in rows:
        decided = r["accepted"] + r["rejected"]
        out.append(
            {
                "name": r[key],
                "accepted": r["accepted"],
                "rejected": r["rejected"],
                "auto": r["auto"],
                "total": r["total"],
                "precision": r["accepted"] / decided if decided else None,
                "false_positive": r["rejected"] / decided if decided else None,
            }
        )
    return out


def series(sensor: Sensor, period: str = Rollup.Period.HOUR, limit: int = 48) -> list[Rollup]:
    rows = list(Rollup.objects.filter(sensor=sensor, period=period).order_by("-start")[:limit])
    return rows[::-1]
