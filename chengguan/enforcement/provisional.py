"""Provisional deadlines of penalty cases (issue 12).

A statutory period counted over a year whose official holiday arrangement is not entered yet follows the
calendar's fallback rule (Monday–Friday, fixed-date holidays). The names of such deadline fields are kept in
`EnforcementCase.provisional_deadlines` (shown as 暂定), and `chengguan calendar recompute` counts them again
once the arrangement is entered, writing one `recompute_deadline` event (and audit record) per changed field.
"""

from django.db import transaction
from django.utils import timezone

from chengguan.core import workcalendar

from . import deadlines

# field -> (statutory period, field holding the moment that started it)
RECIPES = {
    "verification_due": ("clue_verification", "registered_at"),
    "decision_due": ("decision", "filed_at"),
    "rights_due": ("hearing_request", "notified_at"),
    "service_due": ("service", "decided_at"),
    "disclosure_due": ("disclosure", "decided_at"),
    "payment_due": ("payment", "served_at"),
    "review_deadline": ("review_window", "served_at"),
    "lawsuit_deadline": ("lawsuit_window", "served_at"),
}


def flags_for(case) -> list[str]:
    flagged = []
    for field, (_period, start_field) in RECIPES.items():
        value = getattr(case, field)
        if value is not None and workcalendar.touches_provisional(getattr(case, start_field) or value, value):
            flagged.append(field)
    return flagged


def mark_provisional(sender, instance, raw=False, **kwargs):
    """post_save: keep the list of provisional deadline fields true to the stored deadlines (services save
    with update_fields, so the list is written with its own UPDATE, only when it changes)."""
    if raw:
        return
    flagged = flags_for(instance)
    if flagged != list(instance.provisional_deadlines or []):
        instance.provisional_deadlines = flagged
        type(instance).objects.filter(pk=instance.pk).update(provisional_deadlines=flagged)


def _compute(case, field):
    period, start_field = RECIPES[field]
    start = getattr(case, start_field)
    if start is None:
        return None
    value = deadlines.due(period, start)
    if field == "verification_due" and case.verification_extended:
        p = deadlines.period("clue_verification_extension")
        value = deadlines.add_period(value, p.amount, p.unit, lenient=True)
    if field == "decision_due" and case.decision_extended_days:
        value = deadlines.add_period(value, case.decision_extended_days, "natural_days", lenient=True)
    return value


def recompute_cases(years, *, at=None, actor=None) -> list[dict]:
    """Count the provisional deadlines of open penalty cases again now that `years` are official. A deadline
    is changed only when counting it with those years unofficial reproduces the stored value (otherwise it
    was set by hand or by a rule this module does not know, and stays provisional for a person to check)."""
    from .audit import audit_append
    from .models import CaseEvent, EnforcementCase
    from .models.cases import OPEN_STATES
    from .services.base import SUBJECT

    at = at or timezone.now()
    years = set(years)
    changes = []
    pks = list(
        EnforcementCase.objects.filter(state__in=OPEN_STATES).exclude(provisional_deadlines=[]).values_list(
            "pk", flat=True
        )
    )
    for pk in pks:
        with transaction.atomic():
            case = EnforcementCase.objects.select_for_update().get(pk=pk)
            changed = {}
            for field in list(case.provisional_deadlines or []):
                if field not in RECIPES:
                    continue
                old = getattr(case, field)
                with workcalendar.as_unofficial(years):
                    again = _compute(case, field)
                if again is None or again != old:
                    continue
                new = _compute(case, field)
                if new != old:
                    setattr(case, field, new)
                    changed[field] = (old, new)
            if changed:
                case.save(update_fields=sorted(changed))
            else:
                mark_provisional(EnforcementCase, case)
            for field, (old, new) in changed.items():
                payload = {"field": field, "old_deadline": timezone.localtime(old).isoformat(), "new_deadline": timezone.localtime(new).isoformat(),
                           "years": sorted(years)}
                event = CaseEvent.objects.create(
                    case=case, act="recompute_deadline", from_state=case.state, to_state=case.state,
                    actor=actor, actor_role="system", at=at, deadline=new,
                    reason=f"{'、'.join(str(y) for y in sorted(years))}年节假日安排已录入，期限重新计算", payload=payload,
                )
                if actor is not None:
                    record = audit_append(actor=actor, subject_type=SUBJECT, subject_id=case.pk,
                                          act="recompute_deadline", at=at, payload={**payload, "event": event.pk})
                    event.audit_seq = record.seq
                    event.save(update_fields=["audit_seq"])
                changes.append({"kind": "enforcement", "id": case.pk, "number": case.reference, "field": field,
                                "old": old, "new": new, "provisional": field in case.provisional_deadlines})
    return changes


def on_arrangement_entered(sender, years, at, actor, **kwargs) -> list[dict]:
    return recompute_cases(years, at=at, actor=actor)
