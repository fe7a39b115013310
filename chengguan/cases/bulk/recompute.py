"""A `recompute_deadline` row in the in-memory replay (`simulate`): the same check, effect and row as the replaying
import's `exchange_recompute.replay_recompute` (and `provisional.recompute_cases`, which wrote it)."""

from django.utils.translation import gettext as _

from ..exchange_recompute import check_open_step, recompute_payload
from ..provisional import RECOMPUTE_ACTION, apply_recompute


def recompute(out, ev: dict, at, world, event) -> None:
    """Apply the row to the line's case; `event` is simulate's `_event` (the row without the INSERT)."""
    c = out.case
    check_open_step(c)
    if world.validate_only:  # deadlines are not computed while validating
        return
    new, payload = recompute_payload(ev)
    apply_recompute(c, c.step_started_at or c.deadline or new, new)
    out.events.append(event(c, action=RECOMPUTE_ACTION, actor=world.user(ev.get("actor")),
                            role=ev.get("actor_role") or "system", at=at, from_state=c.state, ended=("", None, None),
                            reason=ev.get("reason") or "", payload=payload,
                            actor_name=_("working calendar")))  # fmt: skip
