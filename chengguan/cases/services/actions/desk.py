"""The acceptance desk and the supervisors' own reports: accept, reject, verify, merge, self-handle."""

from datetime import datetime

from django.utils.translation import gettext as _

from chengguan.catalog.models import MatterType
from chengguan.core.errors import ValidationError

from ...models import Case
from ..engine import perform
from .common import (
    check_severity,
    grid_supervisor_id,
    need_reason,
    tell_reporter,
)


def case_accept(
    *,
    actor,
    case: Case,
    matter: MatterType | None = None,
    severity: str | None = None,
    reason: str = "",
    at: datetime | None = None,
    system_role: str | None = None,
) -> Case:
    check_severity(severity)

    def apply(c, ctx):
        if matter is not None and matter.pk != c.matter_id:
            ctx.payload["matter_code"] = {"from": c.matter.code, "to": matter.code}
            c.matter = matter
        if severity:
            c.severity = severity
            ctx.payload["severity"] = severity

    return perform(
        actor=actor, case=case, action="accept", at=at, reason=reason, apply=apply, system_role=system_role
    )


def case_reject(
    *, actor, case: Case, reason: str, at: datetime | None = None, system_role: str | None = None
) -> Case:
    reason = need_reason(reason)

    def apply(c, ctx):
        if ctx.loud:
            tell_reporter(c, ctx, "rejected", f"您反映的问题 {c.number} 未予受理：{reason}")

    return perform(
        actor=actor, case=case, action="reject", at=at, reason=reason, apply=apply, system_role=system_role
    )


def case_request_verification(
    *, actor, case: Case, reason: str = "", at: datetime | None = None, system_role: str | None = None
) -> Case:
    def apply(c, ctx):
        c.assignee_id = grid_supervisor_id(c)
        if c.assignee_id and ctx.loud:
            ctx.tell("verify_task", f"请核实 {c.number}：{c.matter.name}，{c.address}", [c.assignee_id])

    return perform(
        actor=actor,
        case=case,
        action="request_verification",
        at=at,
        reason=reason,
        apply=apply,
        system_role=system_role,
    )


def case_verify(
    *,
    actor,
    case: Case,
    confirmed: bool | None,
    reason: str = "",
    photos=(),
    at: datetime | None = None,
    system_role: str | None = None,
) -> Case:
    if confirmed is None:
        raise ValidationError(_("Say whether the problem exists (confirmed true/false)."), field="confirmed")

    def apply(c, ctx):
        c.verified = bool(confirmed)
        c.assignee = None
        ctx.payload["confirmed"] = bool(confirmed)

    return perform(
        actor=actor,
        case=case,
        action="verify",
        at=at,
        reason=reason,
        apply=apply,
        photos=photos,
        photo_kind="before",
        system_role=system_role,
    )


def case_merge(
    *,
    actor,
    case: Case,
    target: Case,
    reason: str = "",
    at: datetime | None = None,
    system_role: str | None = None,
) -> Case:
    if target is None:
        raise ValidationError(_("Choose the open case to merge into."), field="target_id")

    def apply(c, ctx):
        t = Case.objects.select_for_update(of=("self",)).get(pk=target.pk)
        if t.pk == c.pk:
            raise ValidationError(_("A case cannot be merged into itself."), field="target_id")
        if not t.is_open:
            raise ValidationError(
                _("%(t_number)s is no longer open.") % {"t_number": t.number}, field="target_id"
            )
        if ctx.at < t.reported_at:
            # a link never precedes its target: an import replays history in time order and must find it
            raise ValidationError(
                _("%(t_number)s was reported after this merge's time; a case can only be merged into an "
                  "earlier report.") % {"t_number": t.number},
                field="target_id",
            )
        c.merged_into = t
        c.assignee = None
        ctx.payload["target"] = t.number
        if ctx.loud:
            tell_reporter(
                c, ctx, "merged", f"您反映的问题 {c.number} 已并入案卷 {t.number} 一并处理，结案时将通知您"
            )

    return perform(
        actor=actor, case=case, action="merge", at=at, reason=reason, apply=apply, system_role=system_role
    )


def case_self_handle(
    *, actor, case: Case, reason: str, photos=(), at: datetime | None = None, system_role: str | None = None
) -> Case:
    reason = need_reason(reason)
    if not photos and system_role is None:
        raise ValidationError(_("Add a photo of the fixed problem."), field="photos")
    return perform(
        actor=actor,
        case=case,
        action="self_handle",
        at=at,
        reason=reason,
        photos=photos,
        photo_kind="after",
        system_role=system_role,
    )
