"""Clue, summary procedure, filing and investigation acts."""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import PermissionDenied, ValidationError

from .. import deadlines, needs
from ..audit import audit_append
from ..models import (
    CaseEvent,
    EnforcementBody,
    EnforcementCase,
    Evidence,
    Payment,
    PowerItem,
    PowerType,
    Source,
    State,
)
from ..permissions import can_register, covering_roles, require_assistant_may_act
from ..workflow import PARTY
from .base import SUBJECT, Act, cn_datetime
from .documents import CLUE_SERIES, next_number

SUMMARY_CAP = {"person": 200, "organisation": 3000}  # 行政处罚法第51条
CASH_CAP = 100  # 行政处罚法第68条第1项
PARTY_FIELDS = [p.name for p in PARTY]


def body_for(department) -> EnforcementBody:
    """The enforcement body issuing decisions for a handling department: itself or its nearest ancestor."""
    bodies = {b.department_id: b for b in EnforcementBody.objects.filter(department__in=department.ancestors())}
    for dept in reversed(list(department.ancestors())):
        if dept.pk in bodies:
            return bodies[dept.pk]
    raise ValidationError(_("%(department)s belongs to no enforcement body; configure one in admin")
                          % {"department": department}, field="department")


def _power_item(code: str) -> PowerItem:
    item = PowerItem.objects.filter(code=code).first()
    if item is None:
        raise ValidationError(_("no power item %(code)s in the power list") % {"code": code}, field="power_item")
    if item.power_type not in (PowerType.PENALTY, PowerType.COERCION):
        raise ValidationError(_("the item is not a penalty or coercive power"), field="power_item")
    return item


def _apply_particulars(case: EnforcementCase, data: dict) -> dict:
    changed = {}
    for name in PARTY_FIELDS:
        if name not in data:
            continue
        value = data[name]
        if name == "power_item":
            value = _power_item(value) if value else None
        old = getattr(case, name)
        if old != value:
            setattr(case, name, value)
            changed[name] = str(value) if value is not None else ""
    if case.violation_end_date and case.violation_date and case.violation_end_date < case.violation_date:
        raise ValidationError(_("the violation cannot end before it began"), field="violation_end_date")
    return changed


@transaction.atomic
def case_register_clue(*, actor, region, department, source: str, title: str, now=None, source_reference: str = "",
                       lng: float | None = None, lat: float | None = None, source_case=None,
                       **particulars) -> EnforcementCase:
    """Record a clue (线索登记). Officers and assistants may; the clue must be verified within 15 days.
    A clue may come from a 数字城管 case (`source_case`, a cases.Case), which is then linked."""
    now = now or timezone.now()
    if not can_register(actor, region=region, department=department):
        raise PermissionDenied(_("only officers and assistants of this area may register clues"), field="actor")
    if "officer" not in covering_roles(actor, region=region, department=department):
        require_assistant_may_act(actor, timezone.localtime(now).date())
    if source not in Source.values:
        raise ValidationError(_("source must be one of %(values)s") % {"values": ", ".join(Source.values)},
                              field="source")
    if not (title or "").strip():
        raise ValidationError(_("the cause of action is required"), field="title")
    unknown = set(particulars) - set(PARTY_FIELDS)
    if unknown:
        raise ValidationError(_("unknown field %(name)s") % {"name": sorted(unknown)[0]}, field=sorted(unknown)[0])
    if source_case is not None:
        source, source_reference = Source.DIGITAL_CASE, source_reference or source_case.number
    body = body_for(department)
    case = EnforcementCase(
        clue_number=next_number(body, CLUE_SERIES, timezone.localtime(now).year),
        body=body,
        department=department,
        region=region,
        source=source,
        source_reference=source_reference,
        source_case=source_case,
        title=title.strip(),
        lng=lng,
        lat=lat,
        registered_at=now,
        registered_by=actor,
        verification_due=deadlines.due("clue_verification", now),
        last_act_at=now,
    )
    _apply_particulars(case, particulars)
    case.save()
    roles = covering_roles(actor, region=region, department=department)
    event = CaseEvent.objects.create(case=case, act="register_clue", from_state="", to_state=State.CLUE, actor=actor,
                                     actor_role="officer" if "officer" in roles else "assistant", at=now,
                                     deadline=case.verification_due, payload={"source": source, "title": case.title})
    record = audit_append(actor=actor, subject_type=SUBJECT, subject_id=case.pk, act="register_clue", at=now,
                          payload={"case": case.clue_number, "to": State.CLUE, "event": event.pk,
                                   "data": {"source": source, "title": case.title}})
    event.audit_seq = record.seq
    event.save(update_fields=["audit_seq"])
    return case


@transaction.atomic
def case_update_particulars(*, actor, case, now=None, **data) -> EnforcementCase:
    act = Act(actor=actor, case=case, code="update_particulars", now=now)
    changed = _apply_particulars(act.case, data)
    act.done(fields=list(changed), payload={"changed": changed})
    return act.case


@transaction.atomic
def case_extend_verification(*, actor, case, reason: str, now=None) -> EnforcementCase:
    act = Act(actor=actor, case=case, code="extend_verification", now=now)
    c = act.case
    if c.verification_extended:
        act.refuse(_("the verification period may be extended only once"), field="act")
    if c.verification_due and act.now > c.verification_due:
        act.refuse(_("the verification period has already passed"), field="act", code="deadline_passed")
    p = deadlines.period("clue_verification_extension")
    c.verification_due = deadlines.add_period(c.verification_due, p.amount, p.unit, lenient=True)
    c.verification_extended = True
    act.done(fields=["verification_due", "verification_extended"], reason=reason, deadline=c.verification_due)
    return c


@transaction.atomic
def case_dismiss_clue(*, actor, case, reason: str, resolution: str, now=None) -> EnforcementCase:
    act = Act(actor=actor, case=case, code="dismiss_clue", now=now)
    c = act.case
    c.resolution, c.resolved_at, c.closed_at = resolution, act.now, act.now
    act.done(to=State.DISMISSED, fields=["resolution", "resolved_at", "closed_at"], reason=reason)
    return c


def _require_particulars(act: Act, *, facts: bool = True) -> None:
    c = act.case
    act.require(c.power_item is not None, _("choose the power item (legal basis) first"), field="power_item")
    act.require(bool(c.party_type), _("the party type is required"), field="party_type")
    act.require(bool(c.party_name), _("the party is required"), field="party_name")
    act.require(c.violation_date is not None, _("the violation date is required"), field="violation_date")
    if facts:
        act.require(bool(c.facts), _("the facts are required"), field="facts")


def _check_limitation(act: Act) -> None:
    c = act.case
    deadlines.limitation_check(
        violation_date=c.violation_date,
        violation_end_date=c.violation_end_date,
        years=c.power_item.limitation_years,
        discovered_on=timezone.localtime(c.registered_at).date(),
    )


@transaction.atomic
def case_decide_on_the_spot(*, actor, case, co_officer, penalty: str, now=None, fine_amount=None,
                            collect_cash: bool = False, hard_to_enforce: bool = False,
                            receipt_number: str = "") -> EnforcementCase:
    """简易程序 (行政处罚法第51–53条, 第68–71条): warning or a small fine decided and handed over on the spot."""
    act = Act(actor=actor, case=case, code="decide_on_the_spot", now=now, co_officer=co_officer)
    c = act.case
    _require_particulars(act, facts=False)
    act.require(c.power_item.is_penalty, _("the summary procedure is for penalty items"), field="power_item")
    _check_limitation(act)
    fine = fine_amount or 0
    if penalty == "fine":
        act.require(fine > 0, _("the fine is required"), field="fine_amount")
        cap = SUMMARY_CAP[c.party_type]
        act.require(fine <= cap, _("the summary procedure allows fines up to %(cap)s yuan for this party "
                                   "(行政处罚法第51条); use the ordinary procedure") % {"cap": cap},
                    field="fine_amount", code="summary_cap")
    else:
        act.require(not fine, _("a warning carries no fine"), field="fine_amount")
    if collect_cash:
        act.require(penalty == "fine", _("there is nothing to collect"), field="collect_cash")
        act.require(fine <= CASH_CAP or hard_to_enforce,
                    _("cash may be collected on the spot only for fines up to %(cap)s yuan or when later "
                      "enforcement would be hard (行政处罚法第68条); the party pays at the bank") % {"cap": CASH_CAP},
                    field="collect_cash", code="cash_not_allowed")
        act.require(bool(receipt_number), _("give the number of the official financial receipt (第70条)"),
                    field="receipt_number")
    c.procedure, c.outcome, c.penalty_kinds, c.fine_amount = "summary", "penalty", [penalty], fine
    c.decided_at = c.served_at = act.now
    c.decided_by, c.service_method = actor, "direct"
    c.resolution, c.resolved_at = "enforcement", act.now
    c.review_deadline = deadlines.due("review_window", act.now)
    c.lawsuit_deadline = deadlines.due("lawsuit_window", act.now)
    act.assign_officers()
    payment_terms = f"当场收缴（财政票据号{receipt_number}）" if collect_cash else "十五日内到指定银行缴纳"
    doc = act.document("spot_decision", payment=payment_terms if penalty == "fine" else "无")
    c.decision_number = doc.number
    fields = ["procedure", "outcome", "penalty_kinds", "fine_amount", "decided_at", "served_at", "decided_by",
              "service_method", "resolution", "resolved_at", "review_deadline", "lawsuit_deadline", "decision_number"]
    to = State.PERFORMED
    if collect_cash:
        Payment.objects.create(case=c, fine=fine, channel="cash", paid_on=act.today, receipt_number=receipt_number,
                               recorded_by=actor, recorded_at=act.now,
                               cash_handover_due=deadlines.due("cash_handover", act.now))
        c.cash_collected, c.performed_at = True, act.now
        fields += ["cash_collected", "performed_at"]
    elif penalty == "fine":
        c.payment_due = deadlines.due("payment", act.now)
        fields.append("payment_due")
        to = State.SERVED
    else:
        c.performed_at = act.now
        fields.append("performed_at")
    act.done(to=to, fields=fields, deadline=c.payment_due,
             payload={"penalty": penalty, "fine": fine, "cash": collect_cash})
    return c


@transaction.atomic
def case_propose_filing(*, actor, case, co_officer, opinion: str, now=None) -> EnforcementCase:
    act = Act(actor=actor, case=case, code="propose_filing", now=now, co_officer=co_officer)
    _require_particulars(act)
    needs.check_act("propose_filing", act.case)  # the 立案审批表 the leader signs prints all of it
    _check_limitation(act)
    act.done(to=State.PENDING_FILING, reason=opinion)
    return act.case


@transaction.atomic
def case_approve_filing(*, actor, case, now=None, opinion: str = "") -> EnforcementCase:
    """立案: the limitation is checked again, the case gets its number and its 90-day decision period."""
    act = Act(actor=actor, case=case, code="approve_filing", now=now)
    c = act.case
    _require_particulars(act)
    _check_limitation(act)
    c.filed_at = act.now
    c.decision_due = deadlines.due("decision", act.now)
    proposal = c.events.filter(act="propose_filing").order_by("-at").first()
    act.document("filing_approval", opinion=proposal.reason if proposal else "",
                 approval=f"{opinion or '同意立案。'} {actor} {cn_datetime(act.now)}")
    act.done(to=State.INVESTIGATING, fields=["filed_at", "decision_due"], reason=opinion, deadline=c.decision_due)
    return c


@transaction.atomic
def case_reject_filing(*, actor, case, reason: str, now=None) -> EnforcementCase:
    act = Act(actor=actor, case=case, code="reject_filing", now=now)
    act.case.closed_at = act.now
    act.done(to=State.DISMISSED, fields=["closed_at"], reason=reason)
    return act.case


@transaction.atomic
def case_record_inspection(*, actor, case, co_officer, place: str, findings: str, now=None, started_at=None,
                           party_present: str = "") -> EnforcementCase:
    act = Act(actor=actor, case=case, code="record_inspection", now=now, co_officer=co_officer)
    started_at = started_at or act.now
    act.require(started_at <= act.now, _("the inspection cannot start in the future"), field="started_at")
    act.assign_officers()
    act.document("inspection_record", place=place, findings=findings, started_at=cn_datetime(started_at),
                 ended_at=cn_datetime(act.now), party_present=party_present)
    Evidence.objects.create(case=act.case, kind="site_record", description=f"现场检查笔录（{cn_datetime(started_at)}）",
                            collected_at=started_at, collected_by=actor, co_officer=co_officer)
    act.done(payload={"place": place, "findings": findings})
    return act.case


@transaction.atomic
def case_record_inquiry(*, actor, case, co_officer, person: str, content: str, now=None, started_at=None,
                        place: str = "", person_identity: str = "") -> EnforcementCase:
    """询问笔录: from `started_at` (default: now) to now, at `place` (default: the bureau), of `person`
    (`person_identity`: ID type and number, address, relation to the case)."""
    act = Act(actor=actor, case=case, code="record_inquiry", now=now, co_officer=co_officer)
    started_at = started_at or act.now
    act.require(started_at <= act.now, _("the inquiry cannot start in the future"), field="started_at")
    act.assign_officers()
    # 问 and 答 each on their own line, however the text was typed
    content = re.sub(r"\s*(?=[问答][:：])", "\n", content).strip()
    act.document("inquiry_record", person=person, content=content, started_at=cn_datetime(started_at),
                 ended_at=cn_datetime(act.now), inquiry_place=place or act.case.body.address or act.case.body.name,
                 person_identity=person_identity or (
                     f"{act.case.party_id_number}，{act.case.party_address}" if person == act.case.party_name else ""))
    kind = "party_statement" if person == act.case.party_name else "witness"
    Evidence.objects.create(case=act.case, kind=kind, description=f"询问笔录（{person}）", collected_at=act.now,
                            collected_by=actor, co_officer=co_officer)
    act.done(payload={"person": person})
    return act.case


@transaction.atomic
def case_order_correction(*, actor, case, co_officer, requirement: str, correct_by, now=None) -> EnforcementCase:
    act = Act(actor=actor, case=case, code="order_correction", now=now, co_officer=co_officer)
    act.require(correct_by >= act.today, _("the date to correct by lies in the past"), field="correct_by")
    c = act.case
    c.correction_order, c.correction_due = requirement, correct_by
    act.document("correction_order", requirement=requirement, correct_by=f"{correct_by.year}年{correct_by.month}月{correct_by.day}日")
    act.done(fields=["correction_order", "correction_due"], payload={"requirement": requirement,
                                                                     "correct_by": correct_by})
    return c
