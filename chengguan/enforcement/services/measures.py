"""Sealing and seizure (行政强制法第18–28条): approval, execution by two officers, 30 (+30) days, release."""

from django.db import transaction
from django.utils.translation import gettext as _

from .. import deadlines
from ..models import CoerciveMeasure
from .base import Act, cn_datetime

Status = CoerciveMeasure.Status
KIND_LABEL = {"seal": "查封", "seize": "扣押"}


def _measure(act: Act, pk: int) -> CoerciveMeasure:
    measure = act.case.measures.select_for_update().filter(pk=pk).first()
    act.require(measure is not None, _("no such measure on this case"), field="measure")
    return measure


def _items_text(items) -> str:
    return "；".join(f"{i['name']} {i.get('quantity', '')}{i.get('unit', '')}".strip() for i in items)


@transaction.atomic
def case_request_seizure(*, actor, case, kind: str, reason: str, items: list, now=None, place: str = ""):
    act = Act(actor=actor, case=case, code="request_seizure", now=now)
    measure = CoerciveMeasure.objects.create(case=act.case, kind=kind, status=Status.REQUESTED, reason=reason,
                                             place=place, items=items, requested_by=actor, requested_at=act.now)
    act.done(reason=reason, payload={"measure": measure.pk, "kind": kind, "items": items})
    return act.case


@transaction.atomic
def case_approve_seizure(*, actor, case, measure: int, now=None, approve: bool = False, reason: str = ""):
    """Prior approval (第18条第1项), or approval within 24 h of an emergency measure (第19条)."""
    act = Act(actor=actor, case=case, code="approve_seizure", now=now)
    m = _measure(act, measure)
    if m.status == Status.REQUESTED:
        m.status = Status.APPROVED if approve else Status.REFUSED
    elif m.status == Status.IN_FORCE and m.emergency and m.approved_at is None:
        if act.now > m.approval_due:
            act.refuse(_("more than 24 hours have passed: the emergency measure must be released (第19条)"),
                       field="measure", code="deadline_passed")
        if not approve:
            m.status, m.ended_at = Status.RELEASED, act.now
    else:
        act.refuse(_("this measure awaits no approval"), field="measure")
    m.approved_by, m.approved_at = actor, act.now
    m.save(update_fields=["status", "approved_by", "approved_at", "ended_at"])
    act.done(reason=reason, deadline=m.approval_due, payload={"measure": m.pk, "approve": approve})
    return act.case


@transaction.atomic
def case_seize(*, actor, case, co_officer, now=None, measure: int | None = None, emergency: bool = False,
               kind: str = "", reason: str = "", place: str = "", items: list | None = None):
    act = Act(actor=actor, case=case, code="seize", now=now, co_officer=co_officer)
    if measure is not None:
        m = _measure(act, measure)
        act.require(m.status == Status.APPROVED, _("the measure has not been approved"), field="measure")
    else:
        act.require(emergency, _("carry out an approved measure, or mark it as an emergency"), field="measure")
        act.require(kind in KIND_LABEL, _("choose sealing or seizure"), field="kind")
        act.require(bool(reason), _("the reason is required"), field="reason")
        act.require(bool(items), _("list the items"), field="items")
        m = CoerciveMeasure(case=act.case, kind=kind, reason=reason, place=place, items=items, emergency=True,
                            requested_by=actor, requested_at=act.now,
                            approval_due=deadlines.due("emergency_approval", act.now))
    m.status, m.executed_at = Status.IN_FORCE, act.now
    m.ends_at = deadlines.due("seizure", act.now)
    m.save()
    act.assign_officers()
    act.document("seizure_decision", reason=m.reason, measure=KIND_LABEL[m.kind], start=cn_datetime(act.now),
                 end=cn_datetime(m.ends_at), items=_items_text(m.items))
    act.done(deadline=m.ends_at, payload={"measure": m.pk, "emergency": m.emergency, "items": m.items})
    return act.case


@transaction.atomic
def case_extend_seizure(*, actor, case, measure: int, days: int, reason: str, now=None):
    act = Act(actor=actor, case=case, code="extend_seizure", now=now)
    m = _measure(act, measure)
    limit = deadlines.period("seizure_extension").amount
    act.require(m.status == Status.IN_FORCE, _("the measure is not in force"), field="measure")
    act.require(1 <= days <= limit, _("the extension is 1 to %(limit)s days (第25条)") % {"limit": limit},
                field="days")
    if m.extended_days:
        act.refuse(_("a measure may be extended only once (第25条)"), field="measure")
    if m.emergency and m.approved_at is None:
        act.refuse(_("approve the emergency measure first"), field="measure")
    if act.now > m.ends_at:
        act.refuse(_("the period has ended: the items must be released (第28条)"), field="measure", code="deadline_passed")
    m.ends_at = deadlines.add_period(m.ends_at, days, "natural_days", lenient=True)
    m.extended_days, m.extension_reason = days, reason
    m.save(update_fields=["ends_at", "extended_days", "extension_reason"])
    act.done(reason=reason, deadline=m.ends_at, payload={"measure": m.pk, "days": days})
    return act.case


@transaction.atomic
def case_end_seizure(*, actor, case, co_officer, measure: int, outcome: str, now=None, note: str = ""):
    act = Act(actor=actor, case=case, code="end_seizure", now=now, co_officer=co_officer)
    m = _measure(act, measure)
    act.require(m.status == Status.IN_FORCE, _("the measure is not in force"), field="measure")
    if outcome != Status.RELEASED and act.now > m.ends_at:
        act.refuse(_("the period has ended: the items must be released (第28条)"), field="outcome",
                   code="deadline_passed")
    m.status, m.ended_at = outcome, act.now
    m.save(update_fields=["status", "ended_at"])
    act.done(reason=note, payload={"measure": m.pk, "outcome": outcome})
    return act.case
