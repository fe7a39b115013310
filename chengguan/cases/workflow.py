"""The case loop as data: which role may do which action in which state, and where it leads.

`TRANSITIONS` is the only place legal transitions are declared. Services look actions up here, the API and
the pages ask `can()` / `allowed_actions()`, and a test walks the whole table (every legal action from every
state, every illegal one rejected). docs/cases.md carries a copy generated from this table
(`markdown_table()`); a test fails when the copy is stale.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from chengguan.catalog import steps
from chengguan.org.models import Role


class State:
    REPORTED = "reported"  # awaiting acceptance (受理)
    VERIFYING = "verifying"  # a supervisor verifies the report on site (核实)
    ACCEPTED = "accepted"  # awaiting filing (立案)
    FILED = "filed"  # awaiting dispatch (派遣)
    DISTRICT_DISPATCHED = "district_dispatched"  # sent to a district; awaiting its second-level dispatch
    RETURNED = "returned"  # the department returned it (回退); awaiting re-dispatch
    DISPATCHED = "dispatched"  # the department handles it (处置)
    HUNG_UP = "hung_up"  # cannot be solved now (挂账); resumable
    CHECKING = "checking"  # replied; a supervisor checks on site (核查)
    CHECK_PASSED = "check_passed"  # awaiting closure (结案)
    SELF_HANDLED = "self_handled"  # fixed on the spot by the supervisor; awaiting closure
    CLOSED = "closed"
    REJECTED = "rejected"  # not accepted (不予受理)
    VOIDED = "voided"  # filed in error (作废)
    MERGED = "merged"  # a duplicate merged into another open case


STATE_LABELS = {
    State.REPORTED: _("awaiting acceptance"),
    State.VERIFYING: _("verifying"),
    State.ACCEPTED: _("awaiting filing"),
    State.FILED: _("awaiting dispatch"),
    State.DISTRICT_DISPATCHED: _("awaiting district dispatch"),
    State.RETURNED: _("returned, awaiting re-dispatch"),
    State.DISPATCHED: _("being handled"),
    State.HUNG_UP: _("hung up"),
    State.CHECKING: _("checking"),
    State.CHECK_PASSED: _("awaiting closure"),
    State.SELF_HANDLED: _("self-handled, awaiting closure"),
    State.CLOSED: _("closed"),
    State.REJECTED: _("rejected"),
    State.VOIDED: _("voided"),
    State.MERGED: _("merged"),
}
STATES = tuple(STATE_LABELS)
FINAL_STATES = frozenset({State.CLOSED, State.REJECTED, State.VOIDED, State.MERGED})
OPEN_STATES = frozenset(STATES) - FINAL_STATES

# The step (and so the time limit and the traffic light) each open state is in. HUNG_UP has no deadline.
STATE_STEP = {
    State.REPORTED: steps.ACCEPT,
    State.VERIFYING: steps.VERIFY,
    State.ACCEPTED: steps.FILE,
    State.FILED: steps.DISPATCH,
    State.DISTRICT_DISPATCHED: steps.DISPATCH,
    State.RETURNED: steps.DISPATCH,
    State.DISPATCHED: steps.HANDLE,
    State.HUNG_UP: "",
    State.CHECKING: steps.CHECK,
    State.CHECK_PASSED: steps.CLOSE,
    State.SELF_HANDLED: steps.CLOSE,
}

SUPERVISOR = Role.SUPERVISOR.value
OPERATOR = Role.OPERATOR.value
SHIFT_LEADER = Role.SHIFT_LEADER.value
DISPATCHER = Role.DISPATCHER.value
DEPARTMENT = Role.DEPARTMENT_HANDLER.value
LEADER = Role.LEADER.value


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str | None  # None: the state does not change (urge, supervise, requests)
    roles: frozenset
    variant: str = ""  # a second row for the same action and state, chosen by the service from the input
    label: str = ""

    def leads_to(self, state: str) -> str:
        return self.target or state


def T(action, sources, target, roles, *, variant="", label=""):
    return Transition(action, frozenset(sources), target, frozenset(roles), variant, label)


S = State
DISPATCH_QUEUE = (S.FILED, S.RETURNED)
WATCHED = tuple(sorted(OPEN_STATES - {S.HUNG_UP}))

TRANSITIONS: tuple[Transition, ...] = (
    T("accept", [S.REPORTED], S.ACCEPTED, [OPERATOR], label=_("accept")),
    T("reject", [S.REPORTED], S.REJECTED, [OPERATOR], label=_("reject")),
    T("request_verification", [S.REPORTED], S.VERIFYING, [OPERATOR], label=_("request verification")),
    T("verify", [S.VERIFYING], S.REPORTED, [SUPERVISOR], label=_("verify")),
    T("merge", [S.REPORTED, S.VERIFYING, S.ACCEPTED], S.MERGED, [OPERATOR, SHIFT_LEADER], label=_("merge")),
    T("self_handle", [S.REPORTED], S.SELF_HANDLED, [SUPERVISOR], label=_("self-handle")),
    T("file", [S.ACCEPTED], S.FILED, [SHIFT_LEADER], label=_("file")),
    T("void", [S.ACCEPTED, S.FILED, S.RETURNED], S.VOIDED, [SHIFT_LEADER], label=_("void")),
    T("dispatch", DISPATCH_QUEUE, S.DISPATCHED, [DISPATCHER], variant="department", label=_("dispatch")),
    T(
        "dispatch",
        DISPATCH_QUEUE,
        S.DISTRICT_DISPATCHED,
        [DISPATCHER],
        variant="district",
        label=_("dispatch"),
    ),
    T(
        "dispatch",
        [S.DISTRICT_DISPATCHED],
        S.DISPATCHED,
        [DISPATCHER],
        variant="department",
        label=_("dispatch"),
    ),
    T("return", [S.DISPATCHED], S.RETURNED, [DEPARTMENT], label=_("return")),
    T("request_extension", [S.DISPATCHED], None, [DEPARTMENT], label=_("request extension")),
    T("approve_extension", [S.DISPATCHED], None, [DISPATCHER], label=_("approve extension")),
    T("deny_extension", [S.DISPATCHED], None, [DISPATCHER], label=_("deny extension")),
    T("request_hang_up", [S.DISPATCHED], None, [DEPARTMENT], label=_("request hang-up")),
    T("hang_up", [S.DISPATCHED], S.HUNG_UP, [DISPATCHER], label=_("hang up")),
    T("deny_hang_up", [S.DISPATCHED], None, [DISPATCHER], label=_("deny hang-up")),
    T("resume", [S.HUNG_UP], S.DISPATCHED, [DISPATCHER], label=_("resume")),
    T("reply", [S.DISPATCHED], S.CHECKING, [DEPARTMENT], label=_("reply")),
    T("check_pass", [S.CHECKING], S.CHECK_PASSED, [SUPERVISOR], label=_("check passed")),
    T("check_fail", [S.CHECKING], S.DISPATCHED, [SUPERVISOR], label=_("check failed (rework)")),
    T("close", [S.CHECK_PASSED, S.SELF_HANDLED], S.CLOSED, [SHIFT_LEADER], label=_("close")),
    T("urge", WATCHED, None, [DISPATCHER, LEADER], label=_("urge")),
    T("supervise", WATCHED, None, [DISPATCHER, LEADER], label=_("supervise")),
)

ACTIONS = tuple(dict.fromkeys(t.action for t in TRANSITIONS))
ACTION_LABELS = {t.action: t.label for t in TRANSITIONS}
# Actions that take a pending request's decision; they need a pending request of this kind.
REQUEST_DECISIONS = {
    "approve_extension": "extension",
    "deny_extension": "extension",
    "deny_hang_up": "hang_up",
}
# Actions whose transition is the same for a pending request or none: hang_up approves one if it exists.
REQUEST_OPENERS = {"request_extension": "extension", "request_hang_up": "hang_up"}


def transitions_for(action: str, state: str) -> list[Transition]:
    return [t for t in TRANSITIONS if t.action == action and state in t.sources]


def find(action: str, state: str, variant: str = "") -> Transition | None:
    rows = transitions_for(action, state)
    if variant:
        rows = [t for t in rows if t.variant == variant]
    return rows[0] if rows else None


def actions_from(state: str) -> list[str]:
    return list(dict.fromkeys(t.action for t in TRANSITIONS if state in t.sources))


def can(user, case, action: str) -> bool:
    """May `user` do `action` on `case` now? The state, the role and the role's scope all have to agree."""
    from .permissions import acting_role

    rows = transitions_for(action, case.state)
    return any(acting_role(user, case, t.roles, action) for t in rows)


def allowed_actions(user, case) -> list[str]:
    return [a for a in actions_from(case.state) if can(user, case, a)]


def markdown_table() -> str:
    lines = [
        "| action | from states | to state | roles |",
        "|---|---|---|---|",
    ]
    for t in TRANSITIONS:
        sources = ", ".join(f"`{s}`" for s in STATES if s in t.sources)
        target = f"`{t.target}`" if t.target else "(unchanged)"
        variant = f" ({t.variant})" if t.variant else ""
        roles = ", ".join(sorted(t.roles))
        lines.append(f"| `{t.action}`{variant} | {sources} | {target} | {roles} |")
    return "\n".join(lines)
