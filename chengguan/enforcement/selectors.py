"""Reads of the enforcement app, already filtered by the reader's data scope where it applies.

For other apps:
- `enforcement_721_counts(period_start, period_end, region=None)` — the "721" feed: how many problems handled by
  the enforcement app were solved by service (education, persuasion: clues closed without filing), management
  (orders to correct, no-penalty decisions) and enforcement (penalty decisions, criminal referral), counted by
  the moment they were resolved. The `resolution` column of `EnforcementCase` is queryable directly too.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .deadlines import light
from .models import (
    OPEN_STATES,
    CoerciveMeasure,
    CriminalReferral,
    EnforcementCase,
    PowerItem,
    Resolution,
    State,
)
from .permissions import visible_cases

LIST_RELATED = ("body", "department", "region", "power_item")


def case_list(user, *, state: str = "", q: str = "", open_only: bool = False) -> QuerySet:
    cases = visible_cases(user).select_related(*LIST_RELATED)
    if state:
        cases = cases.filter(state=state)
    if open_only:
        cases = cases.filter(state__in=OPEN_STATES)
    if q:
        cases = cases.filter(
            Q(number__icontains=q) | Q(clue_number__icontains=q) | Q(title__icontains=q) | Q(party_name__icontains=q)
        )
    return cases


@dataclass
class Deadline:
    code: str
    label: str
    start: datetime | None
    due: datetime
    done: datetime | None
    basis: str
    light: str
    provisional: bool = False  # counted over a year without an official holiday arrangement (暂定)


# Row code -> the case column it shows, for EnforcementCase.provisional_deadlines.
DEADLINE_FIELDS = {"clue_verification": "verification_due", "decision": "decision_due", "hearing_request": "rights_due",
                   "service": "service_due", "disclosure": "disclosure_due", "payment": "payment_due"}


def _deadline_rows(case: EnforcementCase) -> list[tuple]:
    """(code, label, start, due, done at, legal basis) for every deadline the case has."""
    rows = [
        ("clue_verification", _("verify the clue"), case.registered_at, case.verification_due,
         case.filed_at or case.decided_at or case.closed_at, "住建部令第55号第15条"),
        ("decision", _("decide"), case.filed_at, case.decision_due, case.decided_at or case.closed_at, "行政处罚法第60条"),
        ("hearing_request", _("statements / hearing request"), case.notified_at, case.rights_due,
         case.hearing_requested_at or (case.rights_due if case.decided_at else None), "行政处罚法第64条"),
        ("service", _("serve the decision"), case.decided_at, case.service_due, case.served_at, "行政处罚法第61条"),
        ("disclosure", _("disclose the decision"), case.decided_at, case.disclosure_due, case.disclosed_at,
         "国办发〔2018〕118号"),
        ("payment", _("pay the fine"), case.served_at, case.payment_due, case.performed_at, "行政处罚法第67条"),
    ]
    if case.hearing_at:
        rows.append(("hearing", _("hearing"), case.hearing_requested_at, case.hearing_at, case.hearing_held_at,
                     "行政处罚法第64条"))
    if case.demolition_due:
        due = timezone.make_aware(datetime.combine(case.demolition_due, datetime.max.time().replace(microsecond=0)))
        rows.append(("demolition", _("demolish"), case.demolition_announced_at, due, case.demolished_at,
                     "行政强制法第44条"))
    for m in case.measures.all():
        if m.ends_at:
            rows.append((f"measure-{m.pk}", _("sealing / seizure ends"), m.executed_at, m.ends_at, m.ended_at,
                         "行政强制法第25条"))
        if m.approval_due:
            rows.append((f"measure-approval-{m.pk}", _("approve the emergency measure"), m.executed_at,
                         m.approval_due, m.approved_at or m.ended_at, "行政强制法第19条"))
    for r in case.referrals.all():
        rows.append(("referral_decision", _("decide on referral"), r.reported_at, r.decision_due, r.decided_at,
                     "国务院令第310号第5条"))
        if r.handover_due:
            rows.append(("referral_handover", _("hand over to the police"), r.decided_at, r.handover_due,
                         r.handed_over_at, "国务院令第310号第5条"))
        if r.reply_due:
            rows.append(("police_reply", _("police decision"), r.handed_over_at, r.reply_due, r.replied_at,
                         "国务院令第310号第8条"))
    return rows


def case_deadlines(case: EnforcementCase, now=None) -> list[Deadline]:
    now = now or timezone.now()
    finished = not case.is_open
    out = []
    for code, label, start, due, done, basis in _deadline_rows(case):
        if due is None:
            continue
        status = light(start, due, now, done)
        if finished and done is None:
            status = "closed"
        provisional = DEADLINE_FIELDS.get(code, "") in (case.provisional_deadlines or [])
        out.append(Deadline(code, label, start, due, done, basis, status, provisional))
    return sorted(out, key=lambda d: d.due)


# Deadline columns that are open while their "done" column is empty, for the warning list.
OPEN_DEADLINES = [
    ("verification_due", ("filed_at", "closed_at", "decided_at"), _("verify the clue")),
    ("decision_due", ("decided_at", "closed_at"), _("decide")),
    ("rights_due", ("hearing_requested_at", "decided_at"), _("statements / hearing request")),
    ("service_due", ("served_at",), _("serve the decision")),
    ("disclosure_due", ("disclosed_at",), _("disclose the decision")),
    ("payment_due", ("performed_at", "urged_at"), _("pay the fine")),
]


def deadline_warnings(user, *, now=None, within_days: int = 3) -> list[dict]:
    """Open deadlines that pass within `within_days` days or have passed, soonest first (for the list page)."""
    now = now or timezone.now()
    horizon = now + timedelta(days=within_days)
    cases = visible_cases(user).filter(state__in=OPEN_STATES)
    warnings = []
    for column, done_columns, label in OPEN_DEADLINES:
        open_q = Q(**{f"{column}__lte": horizon}) & Q(**{f"{c}__isnull": True for c in done_columns})
        for case in cases.filter(open_q).only("pk", "number", "clue_number", "title", column):
            due = getattr(case, column)
            warnings.append({"case": case, "label": label, "due": due, "overdue": due < now})
    measures = CoerciveMeasure.objects.filter(case__in=cases, status="in_force", ends_at__lte=horizon)
    for m in measures.select_related("case"):
        warnings.append({"case": m.case, "label": _("sealing / seizure ends"), "due": m.ends_at,
                         "overdue": m.ends_at < now})
    referrals = CriminalReferral.objects.filter(case__in=cases, decided_at__isnull=True, decision_due__lte=horizon)
    for r in referrals.select_related("case"):
        warnings.append({"case": r.case, "label": _("decide on referral"), "due": r.decision_due,
                         "overdue": r.decision_due < now})
    replies = CriminalReferral.objects.filter(case__in=cases, handed_over_at__isnull=False, replied_at__isnull=True,
                                              reply_due__lte=horizon)
    for r in replies.select_related("case"):
        warnings.append({"case": r.case, "label": _("police decision"), "due": r.reply_due,
                         "overdue": r.reply_due < now})
    return sorted(warnings, key=lambda w: w["due"])


def legal_review_queue(user) -> QuerySet:
    return case_list(user, state=State.IN_LEGAL_REVIEW).order_by("last_act_at")


def leader_queue(user) -> dict:
    cases = case_list(user)
    return {
        "filing": cases.filter(state=State.PENDING_FILING),
        "referral": cases.filter(state=State.REFERRAL_PENDING),
        "decision": cases.filter(state__in=(State.REVIEWED, State.HEARD, State.NOTIFIED, State.INVESTIGATED)),
        "closing": cases.filter(state=State.PERFORMED),
        "measures": CoerciveMeasure.objects.filter(case__in=cases, status="requested").select_related("case"),
    }


def idle_report(user, *, now=None, idle_days: int = 30, unclosed_days: int = 30) -> dict:
    """立而不办: filed cases with no act for `idle_days`; 办而不结: cases past their decision period or
    performed/decided but not closed after `unclosed_days`."""
    now = now or timezone.now()
    cases = case_list(user, open_only=True).exclude(filed_at__isnull=True)
    idle = cases.filter(last_act_at__lt=now - timedelta(days=idle_days), decided_at__isnull=True)
    overdue = cases.filter(decided_at__isnull=True, decision_due__lt=now)
    unclosed = cases.filter(decided_at__lt=now - timedelta(days=unclosed_days)).exclude(
        state__in=(State.ENFORCING,)
    )
    return {"idle": idle.order_by("last_act_at"), "overdue": overdue.order_by("decision_due"),
            "unclosed": unclosed.order_by("decided_at")}


def enforcement_721_counts(period_start, period_end, region=None) -> dict:
    """Problems resolved in [period_start, period_end) by resolution type, optionally within a region subtree."""
    cases = EnforcementCase.objects.filter(resolved_at__gte=period_start, resolved_at__lt=period_end)
    if region is not None:
        cases = cases.filter(region__path__startswith=region.path)
    counts = dict(cases.exclude(resolution="").values_list("resolution").annotate(n=Count("pk")))
    return {r: counts.get(r, 0) for r in Resolution.values}


def public_powers(*, q: str = "", power_type: str = "", level: str = "") -> QuerySet:
    items = PowerItem.objects.filter(is_public=True)
    if q:
        items = items.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(legal_basis__icontains=q)
                             | Q(law__icontains=q))
    if power_type:
        items = items.filter(power_type=power_type)
    if level:
        items = items.filter(level=level)
    return items


def public_decisions() -> QuerySet:
    """Disclosed penalty decisions that have not been withdrawn."""
    return (EnforcementCase.objects.filter(disclosed_at__isnull=False, disclosure_withdrawn_at__isnull=True,
                                           outcome="penalty")
            .select_related("body", "power_item").order_by("-decided_at"))


def stats_by_state(user) -> dict:
    return dict(visible_cases(user).values_list("state").annotate(n=Count("pk")))


def _measures(case, *statuses) -> bool:
    return any(m.status in statuses for m in case.measures.all())


def _remedy_running(case) -> bool:
    return any(r.ended_on is None for r in case.remedies.all())


# Acts whose precondition is a fact of the case, not its state: offered only when it holds (the services check
# the same conditions and explain them when called anyway).
RELEVANT = {
    "approve_seizure": lambda c: _measures(c, "requested") or any(
        m.status == "in_force" and m.emergency and m.approved_at is None for m in c.measures.all()),
    "seize": lambda c: True,
    "extend_seizure": lambda c: _measures(c, "in_force"),
    "end_seizure": lambda c: _measures(c, "in_force"),
    "file_summary_record": lambda c: c.procedure == "summary" and not c.summary_filed_at,
    "disclose": lambda c: c.outcome == "penalty" and not c.disclosed_at,
    "withdraw_disclosure": lambda c: bool(c.disclosed_at) and not c.disclosure_withdrawn_at,
    "start_remedy": lambda c: not _remedy_running(c),
    "end_remedy": _remedy_running,
    "apply_to_court": lambda c: not c.court_applied_at,
    "decide_forced_demolition": lambda c: bool(c.demolition_due) and not c.forced_demolition_decided_at,
    "carry_out_demolition": lambda c: bool(c.forced_demolition_decided_at) and not c.demolished_at,
    "notify": lambda c: c.proposed_outcome == "penalty",
    "request_hearing": lambda c: c.hearing_required,
    "record_payment": lambda c: c.fine_amount > 0 and not c.payments.exists(),
    "urge": lambda c: (c.fine_amount > 0 and not c.payments.exists()) or bool(c.demolition_due and not c.demolished_at),
}


def available_acts(user, case, today) -> list:
    """The acts `user` may do on `case` now: allowed from its state, permitted, and relevant to its facts."""
    from .permissions import deny_reason
    from .workflow import acts_from

    return [a for a in acts_from(case.state)
            if RELEVANT.get(a.code, lambda c: True)(case) and deny_reason(user, case, a, today) is None]

