"""What a case's record keeps that no caller can tell the action services (docs/case-exchange.md): the sweeper's
marks — its automatic urges and escalations (payload `{"auto": true, "deadline": …}`, the step's deadline then)
and its flags on the current step (`overdue_notified`, `escalated`: urged/escalated already, not again) — and a
dispatch that took the routing suggestion (payload `suggested`; the department it chose is carried as usual).

The export writes them (`event_marks`, `case_flags`); both imports restore them the same way: the replaying import
patches the row the service wrote (`restore_event_marks`, `restore_flags`), the bulk import's simulation sets them
in memory (`auto_payload`, `line_flags`). `check_marks` refuses a malformed mark at parse time, naming the field.
"""

from datetime import UTC, datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

AUTO_ACTIONS = ("urge", "supervise")  # what the sweeper writes (services/sweeper.py)
FLAGS = ("overdue_notified", "escalated")


def exchange_time(value: datetime | None) -> str | None:
    """A time as every file of the exchange writes it (local time with its offset): the lines, the marks and the
    bundle's links and files, so that an export of an import gives the same bytes."""
    return timezone.localtime(value).isoformat() if value else None


def parse_exchange_time(value) -> datetime | None:
    """A time read from an exchange file: aware (a time without an offset is taken in the current zone), or None
    when the value is not an ISO 8601 time."""
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def event_marks(action: str, payload: dict) -> dict:
    """The marks of one history row for its exchange record (nothing for most rows)."""
    if action in AUTO_ACTIONS and payload.get("auto"):
        deadline = parse_datetime(payload["deadline"]) if payload.get("deadline") else None
        return {"auto": True, "deadline": exchange_time(deadline)}
    if action == "dispatch" and payload.get("suggested"):
        return {"suggested": True}
    return {}


def case_flags(case) -> dict:
    return {name: bool(getattr(case, name)) for name in FLAGS}


def check_marks(data: dict, events: list, error) -> None:
    """Refuse malformed marks: `error(message, event=index, field=name)` builds the exception to raise."""
    for name in FLAGS:
        if name in data and not isinstance(data[name], bool):
            raise error(f"{name} must be true or false", field=name)
    for i, ev in enumerate(events):
        if "auto" in ev:
            if ev["action"] not in AUTO_ACTIONS or ev["auto"] is not True:
                raise error(
                    "auto: only an urge or a supervise is automatic (auto: true)", event=i, field="auto"
                )
            deadline = ev.get("deadline")
            parsed = parse_datetime(deadline) if isinstance(deadline, str) else None
            if deadline is not None and parsed is None:
                raise error(f"deadline is not an ISO 8601 time: {deadline!r}", event=i, field="deadline")
        if "suggested" in ev and (
            ev["action"] != "dispatch" or ev["suggested"] is not True or ev.get("district")
        ):
            raise error("suggested: only a dispatch to a department takes the routing suggestion (suggested: true)",
                        event=i, field="suggested")  # fmt: skip


def auto_payload(ev: dict, deadline: datetime | None) -> dict:
    """The payload the sweeper writes: the file's deadline, else the step's (`deadline`), in UTC as the sweeper
    writes it (it formats the deadline it read from the database)."""
    if ev.get("deadline"):
        deadline = parse_datetime(ev["deadline"])
        if timezone.is_naive(deadline):
            deadline = timezone.make_aware(deadline)
    return {"auto": True, "deadline": deadline.astimezone(UTC).isoformat() if deadline else None}


def line_flags(data: dict) -> dict:
    """The flags a line states (a line without them keeps what its history gives: an automatic urge sets
    `overdue_notified`, a supervise `escalated`, a new step or an approved extension clears both)."""
    return {name: data[name] for name in FLAGS if name in data}


def restore_event_marks(case, ev: dict) -> None:
    """Replaying import: the row the service just wrote for `ev` gets the marks it had (and an automatic urge
    sets the flag, as the sweeper does)."""
    from .models import Case, CaseEvent

    auto = ev.get("auto") and ev["action"] in AUTO_ACTIONS
    if not (auto or (ev.get("suggested") and ev["action"] == "dispatch")):
        return
    event = CaseEvent.objects.filter(case_id=case.pk).order_by("-pk").first()
    if auto:
        event.payload = auto_payload(ev, event.deadline)
        if ev["action"] == "urge":
            Case.objects.filter(pk=case.pk).update(overdue_notified=True)
            case.overdue_notified = True
    else:
        event.payload = {"suggested": True, **event.payload}
    event.save(update_fields=["payload"])


def restore_flags(pairs) -> None:
    """Replaying import, after the replay: each line's stated flags (pairs of (case, line data))."""
    from .models import Case

    groups = {}
    for case, data in pairs:
        for name, value in line_flags(data).items():
            if getattr(case, name) != value:  # the replayed case object is current (the services update it)
                groups.setdefault((name, value), []).append(case.pk)
                setattr(case, name, value)
    for (name, value), pks in sorted(groups.items()):
        for start in range(0, len(pks), 2000):
            Case.objects.filter(pk__in=pks[start : start + 2000]).update(**{name: value})
