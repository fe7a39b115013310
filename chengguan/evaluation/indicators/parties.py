"""The evaluated parties and their indicators (standards.md §5.1), as sums and ratios over the fact tables.

Each party declares *sources* (a fact table, a date column that places a row in a period, the column that
names the party member, a filter and the sums to take) and *indicators* (counts, or rates = numerator /
denominator × 100). A rate whose denominator is 0 is None ("—"), never 0 %.

Definitions that the public implementations leave open are decided here and documented in docs/evaluation.md:
- a case belongs to the period it was reported in; a step to the period it started in;
- 有效上报 = filed and not voided, or fixed on the spot by the supervisor (self-handled);
- 漏报 = a public report (citizen, hotline) filed in a supervisor's responsibility grid; 漏报率 = 漏报数 / 立案数
  of the grid;
- departments are measured per assignment (a dispatch with its rework and resume steps), not per attempt;
  应处置 = assignments − returned (wrong department) − hung up now (挂账 leaves the denominators);
- 准确派遣 = dispatches not returned by the department (a return means the wrong department was chosen);
- 按期结案 = closed with every handling step on time (extended deadlines count).
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..models import CaseFact, StepFact
from .base import (
    ACCEPT_DECISIONS,
    LEVEL_FIELD,
    PROACTIVE_SOURCES,
    Indicator,
    PartySpec,
    Source,
    _count,
    _sum,
    count,
    rate,
)

# ---- supervisor (监督员) ------------------------------------------------------------------------------------


def _grid_supervisors(grid_ids) -> dict:
    """responsibility grid → its supervisors now (the same join the fact query makes)."""
    from chengguan.grids.models import ResponsibilityGrid

    out: dict = {}
    rows = ResponsibilityGrid.supervisors.through.objects.filter(responsibilitygrid_id__in=list(grid_ids))
    for grid, user in rows.values_list("responsibilitygrid_id", "user_id"):
        out.setdefault(grid, []).append(user)
    return out


def _supervisor_sources(opts):
    return [
        Source(
            CaseFact,
            "reported_on",
            "reporter",
            Q(source="supervisor", reporter__isnull=False),
            lambda o: {"reports": _count(), "valid": _sum("valid")},
        ),
        Source(
            CaseFact,
            "reported_on",
            "responsibility_grid__supervisors",
            Q(responsibility_grid__supervisors__isnull=False),
            lambda o: {"grid_filed": _sum("filed_valid"), "missed": _sum("filed_valid", is_public=1)},
            rollup_group="responsibility_grid",
            rollup_filter=Q(responsibility_grid__isnull=False),
            expand=_grid_supervisors,
        ),
        Source(
            StepFact,
            "started_on",
            "user",
            Q(step="verify", user__isnull=False),
            lambda o: {
                "need_verify": _count(),
                "verified": _sum("ended"),
                "verified_on_time": _sum("on_time"),
            },
        ),
        Source(
            StepFact,
            "started_on",
            "user",
            Q(step="check", user__isnull=False),
            lambda o: {"need_check": _count(), "checked": _sum("ended"), "checked_on_time": _sum("on_time")},
        ),
    ]


SUPERVISOR = PartySpec(
    "supervisor",
    _("supervisor"),
    _supervisor_sources,
    (
        count("reports", _("reports")),
        count("valid", _("valid reports")),
        rate("valid_rate", _("valid report rate"), "valid", "reports"),
        count("missed", _("missed reports")),
        rate("missed_rate", _("missed report rate"), "missed", "grid_filed", better="lower"),
        count("need_verify", _("to verify")),
        count("verified_on_time", _("verified on time")),
        rate("verify_on_time_rate", _("on-time verification rate"), "verified_on_time", "need_verify"),
        count("need_check", _("to check")),
        count("checked_on_time", _("checked on time")),
        rate("check_on_time_rate", _("on-time check rate"), "checked_on_time", "need_check"),
    ),
    trend=("valid_rate", "verify_on_time_rate", "check_on_time_rate"),
    activity=("reports", "need_verify", "need_check"),
)

# ---- operator (受理员) --------------------------------------------------------------------------------------


def _operator_sources(opts):
    first_public = {"is_public": 1, "round": 1}
    return [
        Source(
            StepFact,
            "started_on",
            "user",
            Q(step="accept", ended=1, user__isnull=False),
            lambda o: {
                "decisions": _count(end_action__in=ACCEPT_DECISIONS),
                "decisions_on_time": _count(end_action__in=ACCEPT_DECISIONS, on_time=1),
                "decisions_faulted": _count(end_action__in=ACCEPT_DECISIONS, faulted=1),
                "to_send_verify": _count(**first_public),
                "sent_verify_on_time": _count(end_action="request_verification", on_time=1, **first_public),
            },
        )
    ]


OPERATOR = PartySpec(
    "operator",
    _("operator"),
    _operator_sources,
    (
        count("decisions", _("reports accepted or rejected")),
        count("decisions_on_time", _("accepted on time")),
        rate("accept_on_time_rate", _("on-time acceptance rate"), "decisions_on_time", "decisions"),
        rate("accept_accuracy_rate", _("accurate acceptance rate"), "decisions_accurate", "decisions"),
        count("to_send_verify", _("public reports to send for verification")),
        count("sent_verify_on_time", _("sent for verification on time")),
        rate(
            "send_verify_on_time_rate",
            _("on-time verification dispatch rate"),
            "sent_verify_on_time",
            "to_send_verify",
        ),
    ),
    derived=lambda m: {"decisions_accurate": m["decisions"] - m["decisions_faulted"]},
    trend=("accept_on_time_rate", "send_verify_on_time_rate"),
    activity=("decisions", "to_send_verify"),
)

# ---- shift leader (值班长) ----------------------------------------------------------------------------------


def _shift_leader_sources(opts):
    return [
        Source(
            StepFact,
            "started_on",
            "user",
            Q(step__in=("file", "close"), ended=1, user__isnull=False),
            lambda o: {
                "filed": _count(step="file", end_action="file"),
                "filed_on_time": _count(step="file", end_action="file", on_time=1),
                "filed_faulted": _count(step="file", end_action="file", faulted=1),
                "voided": _count(step="file", end_action="void"),
                "closed": _count(step="close", end_action="close"),
                "closed_on_time": _count(step="close", end_action="close", on_time=1),
            },
        )
    ]


SHIFT_LEADER = PartySpec(
    "shift_leader",
    _("shift leader"),
    _shift_leader_sources,
    (
        count("filed", _("cases filed")),
        rate("file_on_time_rate", _("on-time filing rate"), "filed_on_time", "filed"),
        count("filed_accurate", _("accurately filed")),
        rate("file_accuracy_rate", _("accurate filing rate"), "filed_accurate", "filed"),
        count("voided", _("voided")),
        count("closed", _("cases closed")),
        rate("close_on_time_rate", _("on-time closing rate"), "closed_on_time", "closed"),
    ),
    derived=lambda m: {"filed_accurate": m["filed"] - m["filed_faulted"]},
    trend=("file_on_time_rate", "file_accuracy_rate", "close_on_time_rate"),
    activity=("filed", "voided", "closed"),
)

# ---- dispatcher (派遣员) ------------------------------------------------------------------------------------


def _dispatcher_sources(opts):
    return [
        Source(
            StepFact,
            "started_on",
            "user",
            Q(step="dispatch", ended=1, end_action="dispatch", user__isnull=False),
            lambda o: {
                "dispatched": _count(),
                "dispatched_on_time": _sum("on_time"),
                "dispatched_faulted": _sum("faulted"),
            },
        )
    ]


DISPATCHER = PartySpec(
    "dispatcher",
    _("dispatcher"),
    _dispatcher_sources,
    (
        count("dispatched", _("dispatches")),
        count("dispatched_on_time", _("dispatched on time")),
        rate("dispatch_on_time_rate", _("on-time dispatch rate"), "dispatched_on_time", "dispatched"),
        count("dispatched_accurate", _("accurate dispatches")),
        rate("dispatch_accuracy_rate", _("accurate dispatch rate"), "dispatched_accurate", "dispatched"),
    ),
    derived=lambda m: {"dispatched_accurate": m["dispatched"] - m["dispatched_faulted"]},
    trend=("dispatch_on_time_rate", "dispatch_accuracy_rate"),
    activity=("dispatched",),
)

# ---- department (专业部门) ----------------------------------------------------------------------------------


def _department_sources(opts):
    now = opts["now"]
    return [
        Source(
            StepFact,
            "started_on",
            "department",
            Q(step="handle", department__isnull=False),
            lambda o: {
                "assigned": _sum("assignment"),
                "returned": _sum("a_returned"),
                "hung_now": _sum("a_hung_now"),
                "handled": _sum("a_handled"),
                "handled_on_time": _sum("a_on_time"),
                "handled_overdue": _sum("a_overdue"),
                "reworked": _sum("a_reworked"),
                "extended": _sum("a_extended"),
                "hung_up": _sum("a_hung_up"),
                "closed": _sum("a_closed"),
                "closed_on_time": _sum("a_closed_on_time"),
                "overdue_open": _count(ended=0, deadline__lt=now),
            },
            live=("overdue_open",),
            live_filter=Q(ended=0),
        )
    ]


DEPARTMENT = PartySpec(
    "department",
    _("department"),
    _department_sources,
    (
        count("need_handle", _("to handle")),
        count("handled", _("handled")),
        rate("handle_rate", _("disposal rate"), "handled", "need_handle"),
        count("handled_on_time", _("handled on time")),
        rate("handle_on_time_rate", _("on-time disposal rate"), "handled_on_time", "need_handle"),
        count("handled_overdue", _("handled late")),
        rate(
            "handle_overdue_rate", _("late disposal rate"), "handled_overdue", "need_handle", better="lower"
        ),
        count("overdue_open", _("overdue, not yet handled")),
        count("reworked", _("reworked")),
        rate("rework_rate", _("rework rate"), "reworked", "need_handle", better="lower"),
        count("extended", _("extended")),
        rate("extension_rate", _("extension rate"), "extended", "need_handle", better="lower"),
        count("hung_up", _("hung up")),
        count("returned", _("returned")),
        rate("return_rate", _("return rate"), "returned", "assigned", better="lower"),
        count("closed", _("closed")),
        rate("close_rate", _("closure rate"), "closed", "need_handle"),
        rate("close_on_time_rate", _("on-time closure rate"), "closed_on_time", "need_handle"),
    ),
    derived=lambda m: {"need_handle": m["assigned"] - m["returned"] - m["hung_now"]},
    trend=("handle_rate", "handle_on_time_rate", "close_rate", "rework_rate"),
    scope="step",
    activity=("assigned",),
)

# ---- region (区域: district, street, community, unit grid) -------------------------------------------------


def _region_sources(opts):
    return [
        Source(
            CaseFact,
            "reported_on",
            LEVEL_FIELD[opts.get("level") or "district"],
            Q(),
            lambda o: {
                "reported": _count(),
                "proactive": _count(source__in=PROACTIVE_SOURCES),
                "public": _sum("is_public"),
                "filed": _sum("filed_valid"),
                "public_filed": _sum("filed_valid", is_public=1),
                "valid": _sum("valid"),
                "need_close": _sum("need_close"),
                "closed": _sum("closed"),
                "closed_on_time": _sum("closed_on_time"),
                "dispatched": _sum("dispatched"),
                "handled": _sum("handled"),
                "rectified": _sum("rectified"),
                "public_need_close": _sum("need_close", is_public=1),
                "public_closed": _sum("closed", is_public=1),
                "overdue_handled": _sum("handled_overdue"),
            },
        )
    ]


REGION = PartySpec(
    "region",
    _("region"),
    _region_sources,
    (
        count("reported", _("reports")),
        count("filed", _("cases filed")),
        count("public_filed", _("public reports confirmed")),
        rate("public_report_rate", _("public report rate"), "public_filed", "filed", better="lower"),
        count("closed", _("closed")),
        rate("close_rate", _("closure rate"), "closed", "need_close"),
        rate("close_on_time_rate", _("on-time closure rate"), "closed_on_time", "need_close"),
        rate("discovery_rate", _("discovery rate"), "proactive", "reported"),
        rate("disposal_rate", _("disposal rate"), "handled", "dispatched"),
        rate("rectification_rate", _("rectification rate"), "rectified", "valid"),
        rate("complaint_close_rate", _("complaint closure rate"), "public_closed", "public_need_close"),
    ),
    trend=("close_rate", "close_on_time_rate", "discovery_rate", "rectification_rate"),
    activity=("reported",),
)

PARTIES = {p.key: p for p in (SUPERVISOR, OPERATOR, SHIFT_LEADER, DISPATCHER, DEPARTMENT, REGION)}


def party_spec(key: str) -> PartySpec | None:
    return PARTIES.get(key)


def indicator_for(party: str, key: str) -> Indicator | None:
    spec = PARTIES.get(party)
    return next((i for i in spec.indicators if i.key == key), None) if spec else None


def indicator_choices(party: str | None = None) -> list[tuple[str, str]]:
    seen = {}
    for spec in PARTIES.values():
        if party and spec.key != party:
            continue
        for i in spec.indicators:
            seen.setdefault(i.key, f"{i.key} ({i.label})")
    return sorted(seen.items())
