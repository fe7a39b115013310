"""Indicators per evaluated party (standards.md §5.1), as sums and ratios over the fact tables.

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

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth, TruncQuarter, TruncWeek, TruncYear
from django.utils.translation import gettext_lazy as _

from .models import CaseFact, StepFact
from .periods import Period

PROACTIVE_SOURCES = ("supervisor", "camera", "department", "leader")
ACCEPT_DECISIONS = ("accept", "reject", "merge")
REGION_LEVELS = ("district", "street", "community", "grid")
LEVEL_FIELD = {"district": "district", "street": "street", "community": "community", "grid": "unit_grid"}
LEVEL_LABELS = {
    "district": _("district"),
    "street": _("street"),
    "community": _("community"),
    "grid": _("unit grid"),
}


@dataclass(frozen=True)
class Indicator:
    key: str
    label: object
    num: str = ""  # a rate: measure keys of numerator and denominator
    den: str = ""
    better: str = "higher"  # "higher", "lower" or "" (information only)

    @property
    def is_rate(self) -> bool:
        return bool(self.den)


def rate(key, label, num, den, better="higher"):
    return Indicator(key, label, num, den, better)


def count(key, label, better=""):
    return Indicator(key, label, better=better)


@dataclass(frozen=True)
class Source:
    model: type
    date_field: str
    group: str
    filter: Q
    measures: Callable[[dict], dict]


@dataclass(frozen=True)
class PartySpec:
    key: str
    label: object
    sources: Callable[[dict], list[Source]]
    indicators: tuple
    derived: Callable[[dict], dict] = lambda m: {}
    trend: tuple = ()
    scope: str = "region"


def _sum(name, **where):
    return Sum(name, filter=Q(**where)) if where else Sum(name)


def _count(**where):
    return Count("pk", filter=Q(**where)) if where else Count("pk")


# ---- supervisor (监督员) ------------------------------------------------------------------------------------


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


# ---- running the sources ------------------------------------------------------------------------------------


@dataclass
class Measured:
    """Measures (raw sums) and indicator values per party member."""

    measures: dict = field(default_factory=lambda: defaultdict(int))

    def add(self, values: dict) -> None:
        for k, v in values.items():
            self.measures[k.removeprefix(PREFIX)] += v or 0


# Annotation names must not clash with fact columns of the same name (closed, handled, ...).
PREFIX = "m__"


def _annotations(source: Source, opts: dict) -> dict:
    return {PREFIX + k: v for k, v in source.measures(opts).items()}


def _scoped(source: Source, viewer, period: Period, opts: dict):
    qs = source.model.objects.filter(source.filter)
    qs = qs.filter(viewer.step_q() if source.model is StepFact else viewer.region_q())
    parent = opts.get("parent")
    if parent is not None:
        qs = qs.filter(community__path__startswith=parent.path)
    department = opts.get("department")
    if department is not None and source.model is StepFact:
        qs = qs.filter(department__path__startswith=department.path)
    return qs.filter(**{f"{source.date_field}__gte": period.start, f"{source.date_field}__lt": period.end})


def collect(spec: PartySpec, period: Period, viewer, **opts) -> dict:
    """{member key: Measured} for the period, within the viewer's scope."""
    out: dict = defaultdict(Measured)
    for source in spec.sources(opts):
        rows = (
            _scoped(source, viewer, period, opts)
            .values(source.group)
            .annotate(**_annotations(source, opts))
            .order_by()
        )
        for row in rows:
            key = row.pop(source.group)
            if key is not None:
                out[key].add(row)
    return out


TRUNC = {"week": TruncWeek, "month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


def collect_series(spec: PartySpec, periods: list[Period], viewer, **opts) -> list[dict]:
    """Total measures of each period (all members together), one query per source when the kind allows."""
    kind = periods[0].kind
    whole = Period(kind, periods[0].start, periods[-1].end)
    totals = {p.start: Measured() for p in periods}
    for source in spec.sources(opts):
        qs = _scoped(source, viewer, whole, opts)
        if kind in TRUNC or kind == "day":
            bucket = F(source.date_field) if kind == "day" else TRUNC[kind](source.date_field)
            rows = (
                qs.annotate(bucket=bucket).values("bucket").annotate(**_annotations(source, opts)).order_by()
            )
            for row in rows:
                start = row.pop("bucket")
                if hasattr(start, "date"):
                    start = start.date()
                if start in totals:
                    totals[start].add(row)
        else:
            for p in periods:
                row = _scoped(source, viewer, p, opts).aggregate(**_annotations(source, opts))
                totals[p.start].add(row)
    return [finish(spec, totals[p.start].measures) for p in periods]


def finish(spec: PartySpec, measures: dict) -> dict:
    """Measures plus derived counts plus every indicator's value (rates in %, None on a zero denominator)."""
    values = defaultdict(int, measures)
    values.update(spec.derived(values))
    out = dict(values)
    for ind in spec.indicators:
        if ind.is_rate:
            den = values[ind.den]
            out[ind.key] = round(100.0 * values[ind.num] / den, 2) if den else None
        else:
            out[ind.key] = values[ind.key]
    return out
