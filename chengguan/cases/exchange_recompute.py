"""The exchange's `recompute_deadline` rows (docs/case-exchange.md): a provisional deadline counted again when the
official holiday arrangement of a year was entered (`provisional.recompute_cases`). Not a case action — no user
asks for it and the transition table does not know it — but part of the record: it moved the open step's deadline
(and with it the escalation point, the traffic light, the on-time facts) and cleared the sweeper's flags.

The export writes its payload (`recompute_fields`: `old_deadline`, `new_deadline`, `years`); `check_recompute`
refuses a malformed one at parse time, naming the field; both imports restore the row as it was and apply its
effect the way `recompute_cases` does (`provisional.apply_recompute`): the replaying import through
`replay_recompute` (the same writer as `recompute_cases`), the bulk import in memory (`bulk/recompute.py`).
"""

from datetime import datetime

from django.utils.translation import gettext as _

from chengguan.core.errors import ValidationError

from .exchange_marks import exchange_time
from .exchange_marks import parse_exchange_time as _time
from .provisional import RECOMPUTE_ACTION

FIELDS = ("old_deadline", "new_deadline", "years")


def _year(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1900 < value < 10000


def recompute_fields(action: str, payload: dict) -> dict:
    """The payload of a `recompute_deadline` row for its exchange record (nothing for other rows)."""
    if action != RECOMPUTE_ACTION:
        return {}
    return {
        "old_deadline": exchange_time(_time(payload.get("old_deadline"))),
        "new_deadline": exchange_time(_time(payload.get("new_deadline"))),
        "years": list(payload.get("years") or []),
    }


def check_recompute(events: list, error) -> None:
    """Refuse a malformed row at parse time: `error(message, event=index, field=name)` builds the exception."""
    for i, ev in enumerate(events):
        if ev["action"] != RECOMPUTE_ACTION:
            for name in FIELDS:
                if name in ev:
                    raise error(f"{name}: only a {RECOMPUTE_ACTION} row carries it", event=i, field=name)
            continue
        for name in ("old_deadline", "new_deadline"):
            if _time(ev.get(name)) is None:
                raise error(f"{name} is not an ISO 8601 time: {ev.get(name)!r}", event=i, field=name)
        years = ev.get("years")
        if not isinstance(years, list) or not years or not all(_year(y) for y in years):
            raise error(f"years must be a list of years (the arrangements entered), not {years!r}", event=i,
                        field="years")  # fmt: skip


def recompute_payload(ev: dict) -> tuple[datetime, dict]:
    """The new deadline and the payload of a (checked) row, as `recompute_cases` writes it: local times."""
    return _time(ev["new_deadline"]), recompute_fields(RECOMPUTE_ACTION, ev)


def check_open_step(case) -> None:
    """Only the deadline of an open step is recomputed (`recompute_cases` revisits open cases only)."""
    if not case.is_open or not case.step:
        raise ValidationError(
            _("A deadline can only be recomputed on a case's open step; the case is %(state)s.")
            % {"state": case.state},
            field="action",
        )


def replay_recompute(case, ev: dict, at: datetime, actor):
    """The replaying import: the row `recompute_cases` wrote, with the file's time, actor, role, reason and payload,
    on the locked case (the caller's object is updated, as the action services do)."""
    from .models import Case
    from .provisional import apply_recompute, write_recompute_event

    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    check_open_step(locked)
    new, payload = recompute_payload(ev)
    apply_recompute(locked, locked.step_started_at or locked.deadline or new, new)
    locked.save()
    write_recompute_event(locked, at=at, actor=actor, role=ev.get("actor_role") or "system",
                          reason=ev.get("reason") or "", payload=payload)  # fmt: skip
    case.__dict__.update(locked.__dict__)
    return case
