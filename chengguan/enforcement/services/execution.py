"""After the decision: service, disclosure, payment (罚缴分离, late fee), remedies, reminders, court
application, forced demolition of illegal buildings, closing and archiving."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import deadlines
from ..models import CoerciveMeasure, Payment, RemedyProceeding, State
from .base import Act, cn_date, cn_datetime, money
from .cases import CASH_CAP

SERVICE_METHODS = {"direct": "直接送达", "left": "留置送达", "post": "邮寄送达", "announcement": "公告送达",
                   "electronic": "电子送达"}
OPEN_MEASURES = (CoerciveMeasure.Status.REQUESTED, CoerciveMeasure.Status.APPROVED, CoerciveMeasure.Status.IN_FORCE)


def _paused(case) -> list:
    return [(r.started_on, r.ended_on) for r in case.remedies.all()]


def _demolition_pending(case) -> bool:
    return bool(case.demolition_due and not case.demolished_at)


def amount_due(case, paid_on) -> tuple[Decimal, Decimal, int]:
    """(fine, late fee, late days) if paid on `paid_on`."""
    if case.payment_due is None or paid_on <= timezone.localtime(case.payment_due).date():
        return case.fine_amount, Decimal(0), 0
    fee, days = deadlines.late_fee(fine=case.fine_amount, payment_due=case.payment_due, paid_on=paid_on,
                                   paused=_paused(case))
    return case.fine_amount, fee, days


@transaction.atomic
def case_serve(*, actor, case, method: str, recipient: str, now=None, served_at=None, late_reason: str = ""):
    act = Act(actor=actor, case=case, code="serve", now=now)
    c = act.case
    served_at = served_at or act.now
    act.require(served_at <= act.now, _("the service time cannot lie in the future"), field="served_at")
    act.require(served_at >= c.decided_at, _("the decision cannot be served before it was made"), field="served_at")
    if served_at > c.service_due:
        act.on_time(c.service_due, late_reason, _("serve the decision (7 working days, 第61条)"))
    c.served_at, c.service_method = served_at, method
    c.review_deadline = deadlines.due("review_window", served_at)
    c.lawsuit_deadline = deadlines.due("lawsuit_window", served_at)
    fields = ["served_at", "service_method", "review_deadline", "lawsuit_deadline"]
    act.document("service_receipt", documents=f"行政处罚决定书（{c.decision_number}）", method=SERVICE_METHODS[method],
                 served_at=cn_datetime(served_at), recipient=recipient, note=late_reason)
    to = State.PERFORMED
    if c.outcome == "penalty" and c.fine_amount > 0:
        c.payment_due = deadlines.due("payment", served_at)
        fields.append("payment_due")
        to = State.SERVED
    elif _demolition_pending(c):
        to = State.SERVED
    else:
        c.performed_at = act.now
        fields.append("performed_at")
    act.done(to=to, fields=fields, reason=late_reason, deadline=c.payment_due,
             payload={"method": method, "recipient": recipient, "served_at": served_at})
    return c


@transaction.atomic
def case_disclose(*, actor, case, now=None, late_reason: str = ""):
    """事后公开 within 7 working days (国办发〔2018〕118号); the public page masks personal names."""
    act = Act(actor=actor, case=case, code="disclose", now=now)
    c = act.case
    if c.outcome != "penalty":
        act.refuse(_("only penalty decisions are disclosed"), field="act")
    if c.disclosed_at:
        act.refuse(_("the decision is already disclosed"), field="act")
    act.on_time(c.disclosure_due, late_reason, _("disclose the decision (7 working days)"))
    c.disclosed_at = act.now
    act.done(fields=["disclosed_at"], reason=late_reason, deadline=c.disclosure_due)
    return c


@transaction.atomic
def case_withdraw_disclosure(*, actor, case, reason: str, changed_on, now=None, late_reason: str = ""):
    act = Act(actor=actor, case=case, code="withdraw_disclosure", now=now)
    c = act.case
    if not c.disclosed_at or c.disclosure_withdrawn_at:
        act.refuse(_("nothing is disclosed"), field="act")
    act.require(changed_on <= act.today, _("the change cannot lie in the future"), field="changed_on")
    start = timezone.make_aware(datetime.combine(changed_on, time.min))
    deadline = deadlines.due("disclosure_withdrawal", start)
    act.on_time(deadline, late_reason, _("withdraw the disclosure (3 working days, 第48条)"))
    c.disclosure_withdrawn_at = act.now
    act.done(fields=["disclosure_withdrawn_at"], reason=reason, deadline=deadline,
             payload={"changed_on": changed_on})
    return c


@transaction.atomic
def case_file_summary_record(*, actor, case, now=None):
    act = Act(actor=actor, case=case, code="file_summary_record", now=now)
    c = act.case
    if c.procedure != "summary" or c.summary_filed_at:
        act.refuse(_("only an on-the-spot decision is filed, once"), field="act")
    c.summary_filed_at = act.now
    act.done(fields=["summary_filed_at"])
    return c


@transaction.atomic
def case_record_payment(*, actor, case, amount: Decimal, paid_on, channel: str, now=None, receipt_number: str = ""):
    """Payment is confirmed by the bank (罚缴分离, 第67条); the amount must include any late fee (第72条)."""
    act = Act(actor=actor, case=case, code="record_payment", now=now)
    c = act.case
    act.require(paid_on <= act.today, _("the payment date cannot lie in the future"), field="paid_on")
    act.require(paid_on >= timezone.localtime(c.decided_at).date(), _("paid before the decision?"), field="paid_on")
    if channel == "cash":
        act.require(c.procedure == "summary" and c.fine_amount <= CASH_CAP,
                    _("officers may not collect fines (罚缴分离, 第67条) except on-the-spot fines up to %(cap)s "
                      "yuan (第68条)") % {"cap": CASH_CAP}, field="channel", code="cash_not_allowed")
        act.require(bool(receipt_number), _("give the official financial receipt number (第70条)"),
                    field="receipt_number")
    fine, fee, days = amount_due(c, paid_on)
    act.require(amount == fine + fee,
                _("the amount due on %(day)s is %(total)s yuan (fine %(fine)s + late fee %(fee)s for %(days)s "
                  "days)") % {"day": f"{paid_on:%Y-%m-%d}", "total": money(fine + fee), "fine": money(fine),
                              "fee": money(fee), "days": days}, field="amount", code="amount_mismatch")
    Payment.objects.create(case=c, fine=fine, late_fee=fee, channel=channel, paid_on=paid_on,
                           receipt_number=receipt_number, recorded_by=actor, recorded_at=act.now,
                           cash_handover_due=deadlines.due("cash_handover", act.now) if channel == "cash" else None)
    to, fields = None, []
    if not _demolition_pending(c):  # an illegal building still standing keeps the case open
        c.performed_at, to, fields = act.now, State.PERFORMED, ["performed_at"]
    act.done(to=to, fields=fields,
             payload={"fine": fine, "late_fee": fee, "late_days": days, "channel": channel, "paid_on": paid_on})
    return c


@transaction.atomic
def case_start_remedy(*, actor, case, kind: str, started_on, now=None):
    act = Act(actor=actor, case=case, code="start_remedy", now=now)
    c = act.case
    act.require(started_on <= act.today, _("the date cannot lie in the future"), field="started_on")
    if c.remedies.filter(ended_on__isnull=True).exists():
        act.refuse(_("a review or lawsuit is already running"), field="act")
    RemedyProceeding.objects.create(case=c, kind=kind, started_on=started_on)
    act.done(payload={"kind": kind, "started_on": started_on})
    return c


@transaction.atomic
def case_end_remedy(*, actor, case, ended_on, outcome: str, now=None, result: str = ""):
    """`result` (upheld, revoked, changed, illegal, withdrawn) counts an overturned decision in the officers'
    evaluation (oversight app)."""
    act = Act(actor=actor, case=case, code="end_remedy", now=now)
    remedy = act.case.remedies.filter(ended_on__isnull=True).first()
    if remedy is None:
        act.refuse(_("no review or lawsuit is running"), field="act")
    act.require(remedy.started_on <= ended_on <= act.today, _("the end date is not plausible"), field="ended_on")
    act.require(result in ("", *RemedyProceeding.Result.values), _("unknown result"), field="result")
    remedy.ended_on, remedy.outcome, remedy.result = ended_on, outcome, result or ""
    remedy.save(update_fields=["ended_on", "outcome", "result"])
    act.done(reason=outcome, payload={"kind": remedy.kind, "ended_on": ended_on, "result": result or ""})
    return act.case


@transaction.atomic
def case_urge(*, actor, case, now=None):
    """催告 (行政强制法第35条) once the payment period has passed."""
    act = Act(actor=actor, case=case, code="urge", now=now)
    c = act.case
    fine_overdue = c.payment_due is not None and act.now > c.payment_due and not c.payments.exists()
    demolition_overdue = _demolition_pending(c) and act.today > c.demolition_due
    if not (fine_overdue or demolition_overdue):
        act.refuse(_("the party may still perform until the date set"), field="act", code="too_early")
    _fine, fee, _days = amount_due(c, act.today)
    c.urged_at = act.now
    act.document("urge_notice", late_fee=money(fee))
    act.done(to=State.ENFORCING, fields=["urged_at"], payload={"late_fee_so_far": fee})
    return c


def remedy_windows_end(case):
    """When the party's review and lawsuit periods end, counted on the published calendar (strict)."""
    return max(deadlines.due("review_window", case.served_at, strict=True),
               deadlines.due("lawsuit_window", case.served_at, strict=True))


def court_window(case):
    """(earliest, latest) moments to apply to the court (行政强制法第53–54条)."""
    remedies_end = remedy_windows_end(case)
    earliest = max(deadlines.due("urge_to_court", case.urged_at), remedies_end) + timedelta(seconds=1)
    p = deadlines.period("court_application")
    return earliest, deadlines.add_period(remedies_end, p.amount, p.unit, lenient=True)


@transaction.atomic
def case_apply_to_court(*, actor, case, now=None):
    act = Act(actor=actor, case=case, code="apply_to_court", now=now)
    c = act.case
    earliest, latest = court_window(c)
    if c.remedies.filter(ended_on__isnull=True).exists():
        act.refuse(_("a review or lawsuit is running"), field="act", code="remedy_running")
    if act.now < earliest:
        act.refuse(_("apply from %(day)s: 10 days after the reminder and after the review and lawsuit periods "
                     "have run (行政强制法第53–54条)") % {"day": cn_date(earliest)}, field="act", code="too_early")
    if act.now > latest:
        act.refuse(_("the 3-month period to apply ended on %(day)s (第53条)") % {"day": cn_date(latest)},
                   field="act", code="deadline_passed")
    c.court_applied_at = act.now
    act.done(fields=["court_applied_at"], deadline=latest)
    return c


@transaction.atomic
def case_order_demolition(*, actor, case, co_officer, demolish_by, announcement: str, now=None):
    act = Act(actor=actor, case=case, code="order_demolition", now=now, co_officer=co_officer)
    c = act.case
    act.require(demolish_by > act.today, _("give the party time to demolish"), field="demolish_by")
    c.demolition_due, c.demolition_announced_at = demolish_by, act.now
    act.document("correction_order", requirement=f"自行拆除违法建设。{announcement}",
                 correct_by=f"{demolish_by.year}年{demolish_by.month}月{demolish_by.day}日")
    act.done(fields=["demolition_due", "demolition_announced_at"], reason=announcement)
    return c


@transaction.atomic
def case_decide_forced_demolition(*, actor, case, now=None):
    """行政强制法第44条: announcement, the party's own deadline, and the review (60 days) and lawsuit (6 months)
    periods must all have run, with no remedy pending, and a reminder given (第35条)."""
    act = Act(actor=actor, case=case, code="decide_forced_demolition", now=now)
    c = act.case
    if not c.demolition_due or not c.demolition_announced_at:
        act.refuse(_("announce the demolition order with a deadline first"), field="act")
    if act.today <= c.demolition_due:
        act.refuse(_("the party may demolish until %(day)s") % {"day": cn_date(c.demolition_due)}, field="act",
                   code="too_early")
    if not c.served_at:
        act.refuse(_("serve the decision first"), field="act")
    remedies_end = remedy_windows_end(c)
    if act.now <= remedies_end:
        act.refuse(_("the review and lawsuit periods run until %(day)s") % {"day": cn_date(remedies_end)},
                   field="act", code="remedy_window_open")
    if c.remedies.filter(ended_on__isnull=True).exists():
        act.refuse(_("a review or lawsuit is running"), field="act", code="remedy_running")
    if not c.urged_at:
        act.refuse(_("remind the party in writing first (行政强制法第35条)"), field="act")
    c.forced_demolition_decided_at = act.now
    act.done(fields=["forced_demolition_decided_at"])
    return c


@transaction.atomic
def case_carry_out_demolition(*, actor, case, co_officer, now=None):
    act = Act(actor=actor, case=case, code="carry_out_demolition", now=now, co_officer=co_officer)
    c = act.case
    if not c.forced_demolition_decided_at:
        act.refuse(_("the forced demolition has not been decided"), field="act")
    if not deadlines.enforcement_time_allowed(act.now):
        act.refuse(_("no enforcement at night or on public holidays (行政强制法第43条)"), field="act",
                   code="night_or_holiday")
    c.demolished_at = c.performed_at = act.now
    act.done(to=State.PERFORMED, fields=["demolished_at", "performed_at"])
    return c


@transaction.atomic
def case_close(*, actor, case, summary: str, now=None):
    act = Act(actor=actor, case=case, code="close", now=now)
    c = act.case
    if c.measures.filter(status__in=OPEN_MEASURES).exists():
        act.refuse(_("end every sealing or seizure first"), field="act", code="measures_open")
    if c.procedure == "summary" and not c.summary_filed_at:
        act.refuse(_("file the on-the-spot decision with the body first (第52条)"), field="act")
    if c.procedure == "ordinary" and c.outcome == "penalty" and not c.disclosed_at:
        act.refuse(_("disclose the decision first"), field="act", code="not_disclosed")
    payments = "；".join(f"{p.paid_on:%Y-%m-%d} {p.get_channel_display()} {money(p.total)}元" for p in c.payments.all())
    c.closed_at = act.now
    act.document("closing_report", summary=summary, performance=payments or "已履行")
    act.done(to=State.CLOSED, fields=["closed_at"], reason=summary)
    return c


@transaction.atomic
def case_archive(*, actor, case, now=None):
    """一案一卷: the archive is the case's documents, evidence and full-process record."""
    act = Act(actor=actor, case=case, code="archive", now=now)
    c = act.case
    c.archived_at = act.now
    act.done(to=State.ARCHIVED, fields=["archived_at"],
             payload={"documents": [d.sha256 for d in c.documents.all()],
                      "evidence": [e.sha256 or e.description for e in c.evidence.all()]})
    return c
