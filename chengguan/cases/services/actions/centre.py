"""The supervision centre (filing, voiding, closing) and its pressure on late work (urge, supervise)."""

from datetime import datetime

from django.utils.translation import gettext as _

from chengguan.catalog.models import FilingCondition, MatterType, Severity
from chengguan.core.errors import ValidationError

from ...models import Case
from ...notify import users_with_role_over_region
from ..engine import perform
from .common import (
    check_severity,
    need_reason,
    responsible,
    tell_reporter,
)


def case_file(
    *,
    actor,
    case: Case,
    filing_condition: FilingCondition | None = None,
    severity: str | None = None,
    matter: MatterType | None = None,
    reason: str = "",
    at: datetime | None = None,
    system_role: str | None = None,
) -> Case:
    check_severity(severity)

    def apply(c, ctx):
        if matter is not None and matter.pk != c.matter_id:
            ctx.payload["matter_code"] = {"from": c.matter.code, "to": matter.code}
            c.matter = matter
        condition = filing_condition
        if condition is None:
            options = list(FilingCondition.objects.filter(matter_id=c.matter_id, is_active=True)[:2])
            if len(options) > 1 and system_role is None:
                raise ValidationError(
                    _("Choose the filing condition this case meets."), field="filing_condition_id"
                )
            # A replayed history that never recorded one keeps none (limits fall back to severity/area).
            condition = options[0] if len(options) == 1 else None
        if condition is not None and condition.matter_id != c.matter_id:
            raise ValidationError(
                _("The filing condition belongs to another matter."), field="filing_condition_id"
            )
        c.filing_condition = condition
        if severity:
            c.severity = severity
        elif condition is not None and c.severity == Severity.NORMAL:
            c.severity = condition.default_severity
        c.filed_at = ctx.at
        ctx.payload.update(
            {
                "filing_condition": condition.code if condition else "",
                "severity": c.severity,
                "area_class": c.area_class,
            }
        )

    return perform(
        actor=actor, case=case, action="file", at=at, reason=reason, apply=apply, system_role=system_role
    )


def case_void(
    *, actor, case: Case, reason: str, at: datetime | None = None, system_role: str | None = None
) -> Case:
    return perform(
        actor=actor, case=case, action="void", at=at, reason=need_reason(reason), system_role=system_role
    )


def case_close(
    *, actor, case: Case, reason: str = "", at: datetime | None = None, system_role: str | None = None
) -> Case:
    def apply(c, ctx):
        c.closed_at = ctx.at
        if not ctx.loud:
            return
        tell_reporter(c, ctx, "closed", f"您反映的问题 {c.number} 已处理完毕并结案，感谢您的监督")
        for merged in c.merged_cases.all():
            tell_reporter(
                merged, ctx, "closed", f"您反映的问题 {merged.number}（并入 {c.number}）已处理完毕并结案"
            )

    return perform(
        actor=actor, case=case, action="close", at=at, reason=reason, apply=apply, system_role=system_role
    )


def case_urge(
    *, actor, case: Case, reason: str = "", at: datetime | None = None, system_role: str | None = None
) -> Case:
    def apply(c, ctx):
        c.urge_count += 1
        if ctx.loud:
            ctx.tell("urge", f"催办：{c.number} {reason}".strip(), responsible(c))

    return perform(
        actor=actor, case=case, action="urge", at=at, reason=reason, apply=apply, system_role=system_role
    )


def case_supervise(
    *, actor, case: Case, reason: str = "", at: datetime | None = None, system_role: str | None = None
) -> Case:
    def apply(c, ctx):
        c.supervised = True
        c.escalated = True
        recipients = responsible(c) + users_with_role_over_region("leader", c.community)
        if ctx.loud:
            ctx.tell("supervise", f"督办：{c.number} {reason}".strip(), recipients)

    return perform(
        actor=actor, case=case, action="supervise", at=at, reason=reason, apply=apply, system_role=system_role
    )
