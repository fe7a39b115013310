"""The supervisor's check on site: pass, or fail into rework."""

from datetime import datetime

from ...models import Case
from ...notify import handlers_of
from ..engine import perform
from .common import (
    need_reason,
)


def case_check_pass(
    *,
    actor,
    case: Case,
    reason: str = "",
    photos=(),
    at: datetime | None = None,
    system_role: str | None = None,
) -> Case:
    def apply(c, ctx):
        c.assignee = None

    return perform(
        actor=actor,
        case=case,
        action="check_pass",
        at=at,
        reason=reason,
        apply=apply,
        photos=photos,
        photo_kind="after",
        system_role=system_role,
    )


def case_check_fail(
    *, actor, case: Case, reason: str, photos=(), at: datetime | None = None, system_role: str | None = None
) -> Case:
    reason = need_reason(reason)

    def apply(c, ctx):
        c.assignee = None
        c.rework_count += 1
        ctx.payload["rework"] = c.rework_count
        if ctx.loud:
            ctx.tell("rework", f"{c.number} 核查未通过，请返工：{reason}", handlers_of(c.current_department))

    return perform(
        actor=actor,
        case=case,
        action="check_fail",
        at=at,
        reason=reason,
        apply=apply,
        photos=photos,
        photo_kind="after",
        system_role=system_role,
    )
