"""The legal transitions of an application, as data: act → (from statuses, to status, roles)."""

from chengguan.org.models import Role

from .models import Application

S = Application.Status
CLERKS = {Role.OFFICER.value, Role.LEGAL_REVIEWER.value, Role.LEADER.value, Role.ADMIN.value}
DECIDERS = {Role.LEADER.value, Role.ADMIN.value}
APPROVERS = {Role.LEADER.value}

TRANSITIONS = {
    "accept": ({S.SUBMITTED}, S.ACCEPTED, CLERKS),
    "notice": ({S.SUBMITTED}, S.NOTICE, CLERKS),
    "resubmit": ({S.NOTICE}, S.SUBMITTED, None),  # the applicant (or the counter on their behalf)
    "not_accept": ({S.SUBMITTED, S.NOTICE}, S.NOT_ACCEPTED, CLERKS),
    "extend": ({S.ACCEPTED}, S.ACCEPTED, APPROVERS),
    "grant": ({S.ACCEPTED}, S.GRANTED, DECIDERS),
    "refuse": ({S.ACCEPTED}, S.REFUSED, DECIDERS),
    "withdraw": ({S.SUBMITTED, S.NOTICE, S.ACCEPTED}, S.WITHDRAWN, None),
    "expire": ({S.GRANTED}, S.EXPIRED, None),  # the daily job
    "revoke": ({S.GRANTED}, S.REVOKED, DECIDERS),
}


def allowed(act: str, status: str) -> bool:
    sources, _to, _roles = TRANSITIONS[act]
    return status in sources
