"""From the end of the investigation to the decision: proposal with discretion, prior notice, statements,
hearing, legal review, collective discussion, extension and the decision itself."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chengguan.core.errors import PermissionDenied

from .. import deadlines
from ..discretion import age_on, check_choice, clean_facts, departs, suggest_for_case
from ..models import LegalReview, State
from ..permissions import covering_roles
from .base import HEARING_KINDS, MAJOR_KINDS, PENALTY_KINDS, Act, cn_datetime, penalty_text
from .documents import rmb_upper

RECORD_ACTS = ("record_inspection", "record_inquiry")


def _thresholds(case, prefix: str) -> Decimal:
    return getattr(case.body, f"{prefix}_threshold_{case.party_type or 'person'}")


@transaction.atomic
def case_conclude_investigation(*, actor, case, outcome: str, report: str, now=None, penalty_kinds=None,
                                fine_amount=None, departure_reason: str = "", complex: bool = False,
                                major: bool = False, **facts) -> object:
    """调查终结: the proposal, with the benchmark's suggestion and the reason for any departure from it."""
    act = Act(actor=actor, case=case, code="conclude_investigation", now=now)
    c = act.case
    act.require(c.events.filter(act__in=RECORD_ACTS).exists(),
                _("record at least one on-site inspection or inquiry first (行政处罚法第55条)"), field="report")
    act.require(c.power_item is not None, _("choose the power item (legal basis) first"), field="power_item")
    cleaned = clean_facts({**facts, "party_type": c.party_type})
    age = age_on(c.party_birth_date, c.violation_date)
    if age is not None:
        cleaned["age"] = age
    suggestion = suggest_for_case(c, facts)
    kinds = list(penalty_kinds or [])
    if outcome == "penalty":
        if not kinds:
            kinds = ["fine"] if fine_amount else []
        act.require(bool(kinds), _("name at least one penalty kind"), field="penalty_kinds")
        unknown = [k for k in kinds if k not in PENALTY_KINDS]
        act.require(not unknown, _("unknown penalty kind %(kind)s") % {"kind": unknown[0] if unknown else ""},
                    field="penalty_kinds")
        if "fine" in kinds:
            act.require(bool(fine_amount), _("the proposed fine is required"), field="fine_amount")
            benchmark_max = _statutory_max(c)
            act.require(benchmark_max is None or fine_amount <= benchmark_max,
                        _("the fine exceeds the statutory maximum of %(max)s yuan") % {"max": benchmark_max},
                        field="fine_amount",
                        code="above_statutory_max")
        else:
            act.require(not fine_amount, _("add the kind 'fine' to propose a fine"), field="penalty_kinds")
        check_choice(suggestion, no_penalty=False)
    else:
        kinds, fine_amount = [], None
    departed = departs(suggestion, no_penalty=outcome == "no_penalty", amount=fine_amount)
    act.require(not departed or bool(departure_reason.strip()),
                _("the proposal departs from the discretion benchmark's suggestion (%(level)s %(low)s–%(high)s): "
                  "record the reason") % {"level": suggestion.level or _("no penalty"), "low": suggestion.amount_min or "",
                                          "high": suggestion.amount_max or ""},
                field="departure_reason", code="departure_reason_required")
    fine = fine_amount or Decimal(0)
    c.proposed_outcome, c.penalty_kinds, c.proposed_fine = outcome, kinds, fine_amount
    c.discretion_facts = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in cleaned.items()}
    c.suggested_level, c.suggested_min, c.suggested_max = suggestion.level, suggestion.amount_min, suggestion.amount_max
    c.suggestion_reasons = suggestion.reasons
    c.chosen_level = "" if departed else suggestion.level
    c.departure_reason = departure_reason.strip() if departed else ""
    c.hearing_required = bool(set(kinds) & HEARING_KINDS) or fine > _thresholds(c, "hearing")
    c.is_major = major or bool(set(kinds) & MAJOR_KINDS) or fine >= _thresholds(c, "major")
    c.is_complex = complex
    c.notified_at = c.rights_due = c.hearing_requested_at = c.hearing_at = c.hearing_held_at = None
    c.rights_waived = False
    act.done(
        to=State.INVESTIGATED,
        fields=["proposed_outcome", "penalty_kinds", "proposed_fine", "discretion_facts", "suggested_level",
                "suggested_min", "suggested_max", "suggestion_reasons", "chosen_level", "departure_reason",
                "hearing_required", "is_major", "is_complex", "notified_at", "rights_due", "hearing_requested_at",
                "hearing_at", "hearing_held_at", "rights_waived"],
        reason=report,
        payload={"outcome": outcome, "kinds": kinds, "fine": fine_amount, "suggestion": suggestion.as_dict(),
                 "departed": departed},
    )
    return c


def _statutory_max(case):
    from ..discretion import benchmark_for

    benchmark = benchmark_for(case.power_item, case.party_type)
    return benchmark.statutory_max if benchmark else None


@transaction.atomic
def case_notify(*, actor, case, now=None):
    """事先告知 (第44条), with the hearing notice when the intended penalty carries that right (第63条)."""
    act = Act(actor=actor, case=case, code="notify", now=now)
    c = act.case
    if c.proposed_outcome != "penalty":
        act.refuse(_("a no-penalty proposal needs no prior notice: decide directly"), field="act")
    c.notified_at, c.notified_fine = act.now, c.proposed_fine
    c.rights_due = deadlines.due("hearing_request", act.now)
    act.document("prior_notice", penalty=penalty_text(c, c.proposed_fine))
    if c.hearing_required:
        act.document("hearing_notice", penalty=penalty_text(c, c.proposed_fine))
    act.done(to=State.NOTIFIED, fields=["notified_at", "notified_fine", "rights_due"], deadline=c.rights_due)
    return c


@transaction.atomic
def case_record_statement(*, actor, case, now=None, statement: str = "", adopted: bool = False, review: str = "",
                          waived: bool = False):
    act = Act(actor=actor, case=case, code="record_statement", now=now)
    act.require(bool(statement) or waived, _("record the statements, or that the party waives them"), field="statement")
    act.require(waived or bool(review), _("review the statements (第45条: 复核)"), field="review")
    c = act.case
    if waived:
        c.rights_waived = True
    act.done(fields=["rights_waived"], reason=review,
             payload={"statement": statement, "adopted": adopted, "waived": waived})
    return c


@transaction.atomic
def case_request_hearing(*, actor, case, now=None, requested_at=None):
    act = Act(actor=actor, case=case, code="request_hearing", now=now)
    c = act.case
    requested_at = requested_at or act.now
    act.require(requested_at <= act.now, _("the request cannot lie in the future"), field="requested_at")
    if not c.hearing_required:
        act.refuse(_("the intended penalty carries no right to a hearing (行政处罚法第63条)"), field="act")
    if requested_at > c.rights_due:
        act.refuse(_("a hearing must be requested within 5 working days of the notice, by %(day)s (第64条)")
                   % {"day": f"{timezone.localtime(c.rights_due):%Y-%m-%d}"}, field="requested_at",
                   code="deadline_passed")
    c.hearing_requested_at = requested_at
    act.done(to=State.HEARING_REQUESTED, fields=["hearing_requested_at"])
    return c


@transaction.atomic
def case_schedule_hearing(*, actor, case, hearing_at, place: str, presider, now=None):
    act = Act(actor=actor, case=case, code="schedule_hearing", now=now)
    c = act.case
    earliest = deadlines.due("hearing_notice", act.now)
    if timezone.localtime(hearing_at).date() < timezone.localtime(earliest).date():
        act.refuse(_("the party must be notified 7 working days before the hearing (第64条): the earliest date is "
                     "%(day)s") % {"day": f"{timezone.localtime(earliest):%Y-%m-%d}"}, field="hearing_at",
                   code="too_early")
    if presider.pk in c.officer_ids():
        raise PermissionDenied(_("the presider must not have investigated the case (第64条第4项)"), field="presider")
    if not covering_roles(presider, region=c.region, department=c.department) & {"officer", "legal_reviewer", "leader"}:
        raise PermissionDenied(_("the presider must belong to the body"), field="presider")
    c.hearing_at, c.hearing_place, c.hearing_presider = hearing_at, place, presider
    act.done(to=State.HEARING_SCHEDULED, fields=["hearing_at", "hearing_place", "hearing_presider"],
             deadline=hearing_at, payload={"hearing_at": hearing_at, "place": place, "presider": presider})
    return c


@transaction.atomic
def case_hold_hearing(*, actor, case, record: str, now=None, party_absent: bool = False):
    act = Act(actor=actor, case=case, code="hold_hearing", now=now)
    c = act.case
    if c.hearing_presider_id != actor.pk:
        raise PermissionDenied(_("only the designated presider holds the hearing"), field="actor")
    if timezone.localtime(act.now).date() < timezone.localtime(c.hearing_at).date():
        act.refuse(_("the hearing is set for %(time)s") % {"time": cn_datetime(c.hearing_at)}, field="act",
                   code="too_early")
    c.hearing_held_at = act.now
    if not party_absent:
        c.is_major = True  # 第58条第1款第2项: decisions after a hearing need legal review
    act.done(to=State.HEARD, fields=["hearing_held_at", "is_major"], reason=record,
             payload={"party_absent": party_absent})
    return c


def _rights_window_over(c, now) -> bool:
    return c.rights_waived or c.hearing_held_at is not None or (c.rights_due is not None and now > c.rights_due)


@transaction.atomic
def case_submit_legal_review(*, actor, case, now=None):
    act = Act(actor=actor, case=case, code="submit_legal_review", now=now)
    c = act.case
    if c.state == State.INVESTIGATED and c.proposed_outcome == "penalty":
        act.refuse(_("give the prior notice first"), field="act")
    if c.state == State.NOTIFIED and not _rights_window_over(c, act.now):
        act.refuse(_("the party may make statements until %(time)s") % {"time": cn_datetime(c.rights_due)},
                   field="act",
                   code="rights_pending")
    LegalReview.objects.create(case=c, submitted_at=act.now, submitted_by=actor)
    act.done(to=State.IN_LEGAL_REVIEW)
    return c


@transaction.atomic
def case_legal_review(*, actor, case, opinion: str, text: str, now=None):
    act = Act(actor=actor, case=case, code="legal_review", now=now)
    c = act.case
    if actor.pk in c.officer_ids():
        raise PermissionDenied(_("a handler of the case may not review it"), field="actor")
    review = c.legal_reviews.filter(reviewed_at__isnull=True).order_by("-submitted_at").first()
    review.reviewer, review.reviewed_at, review.opinion, review.text = actor, act.now, opinion, text
    review.save(update_fields=["reviewer", "reviewed_at", "opinion", "text"])
    act.done(to=State.REVIEWED if opinion == "approve" else State.INVESTIGATING, reason=text,
             payload={"opinion": opinion})
    return c


@transaction.atomic
def case_collective_discussion(*, actor, case, participants: str, conclusion: str, now=None):
    act = Act(actor=actor, case=case, code="collective_discussion", now=now)
    act.case.discussed_at = act.now
    act.done(fields=["discussed_at"], reason=conclusion, payload={"participants": participants})
    return act.case


@transaction.atomic
def case_extend_decision(*, actor, case, days: int, reason: str, now=None):
    act = Act(actor=actor, case=case, code="extend_decision", now=now)
    c = act.case
    limit = deadlines.period("decision_extension").amount
    act.require(1 <= days <= limit, _("an extension is 1 to %(limit)s days") % {"limit": limit}, field="days")
    if act.now > c.decision_due:
        act.refuse(_("the decision period has already passed; it can no longer be extended"), field="decision_due",
                   code="deadline_passed")
    if c.decision_extended_days and not c.discussed_at:
        act.refuse(_("a further extension needs a collective discussion first"), field="act")
    c.decision_due = deadlines.add_period(c.decision_due, days, "natural_days", lenient=True)
    c.decision_extended_days += days
    act.done(fields=["decision_due", "decision_extended_days"], reason=reason, deadline=c.decision_due,
             payload={"days": days})
    return c


@transaction.atomic
def case_decide(*, actor, case, now=None, fine_amount=None, departure_reason: str = "", text: str = ""):
    """The decision (第57条), within the 90-day period (第60条), never before the party could be heard (第62条),
    never heavier than notified (第45条), after legal review (第58条) and collective discussion where due."""
    act = Act(actor=actor, case=case, code="decide", now=now)
    c = act.case
    if act.now > c.decision_due:
        act.refuse(_("the decision period ended on %(time)s (行政处罚法第60条); extensions must be approved before "
                     "it ends") % {"time": cn_datetime(c.decision_due)}, field="decision_due", code="deadline_passed")
    if c.is_major and not c.legal_reviews.filter(opinion="approve").exists():
        act.refuse(_("a major decision needs the legal reviewer's approval first (第58条)"), field="act",
                   code="legal_review_required")
    if (c.is_major or c.is_complex) and not c.discussed_at:
        act.refuse(_("a complex or major case is decided by collective discussion (第57条第2款)"), field="act",
                   code="discussion_required")
    penalty = c.proposed_outcome == "penalty"
    fields = ["outcome", "fine_amount", "decision_text", "decided_at", "decided_by", "service_due", "resolution",
              "resolved_at", "decision_number"]
    if penalty:
        if not c.notified_at:
            act.refuse(_("give the prior notice first (第44条)"), field="act")
        if not _rights_window_over(c, act.now):
            act.refuse(_("the party may make statements or request a hearing until %(time)s (第62条)")
                       % {"time": cn_datetime(c.rights_due)}, field="act", code="rights_pending")
        fine = (c.proposed_fine or Decimal(0)) if fine_amount is None else fine_amount
        if "fine" in c.penalty_kinds:
            act.require(fine <= (c.notified_fine or 0),
                        _("the fine may not exceed the %(fine)s yuan notified: statements never make a penalty "
                          "heavier (第45条)") % {"fine": c.notified_fine}, field="fine_amount",
                        code="heavier_than_notified")
            outside = c.suggested_min is not None and not (c.suggested_min <= fine <= c.suggested_max)
            if outside and fine != c.proposed_fine:
                act.require(bool(departure_reason.strip()), _("the fine departs from the benchmark: record the reason"),
                            field="departure_reason", code="departure_reason_required")
                c.departure_reason = departure_reason.strip()
                fields.append("departure_reason")
        c.fine_amount, c.resolution = fine, "enforcement"
        c.disclosure_due = deadlines.due("disclosure", act.now)
        fields.append("disclosure_due")
    else:
        act.require(bool(text), _("state the grounds for not imposing a penalty"), field="text")
        c.fine_amount, c.resolution = Decimal(0), "management"
    c.outcome = c.proposed_outcome
    c.decision_text = text or penalty_text(c, c.fine_amount)
    c.decided_at, c.decided_by, c.resolved_at = act.now, actor, act.now
    c.service_due = deadlines.due("service", act.now)
    terms = ""
    if penalty and "fine" in c.penalty_kinds:
        terms = (f"当事人应当自收到本决定书之日起十五日内，持本决定书到{c.body.bank or '指定银行'}缴纳罚款"
                 f"（{rmb_upper(c.fine_amount)}）。逾期不缴纳的，每日按罚款数额的百分之三加处罚款，加处罚款的数额不超出罚款的数额。")
    doc = act.document("decision", statements=_statements(c), performance_terms=terms)
    c.decision_number = doc.number
    act.done(to=State.DECIDED, fields=fields, deadline=c.service_due, reason=c.decision_text,
             payload={"outcome": c.outcome, "fine": c.fine_amount})
    return c


def _statements(case) -> str:
    parts = []
    for event in case.events.filter(act__in=("record_statement", "hold_hearing")).order_by("at"):
        if event.act == "hold_hearing":
            parts.append(f"{cn_datetime(event.at)}举行听证")
        elif event.payload.get("waived"):
            parts.append("当事人放弃陈述、申辩")
        else:
            parts.append(f"当事人提出陈述、申辩，复核意见：{event.reason}")
    return "；".join(parts) or "当事人在规定期限内未提出陈述、申辩和听证要求"
