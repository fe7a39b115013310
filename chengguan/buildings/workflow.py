"""Legal transitions of a ledger item, as data: act → (from statuses, to status, roles)."""

from chengguan.org.models import Role

from .models import Status

OFFICERS = {Role.OFFICER.value}
VIEWERS = {Role.OFFICER.value, Role.ASSISTANT.value, Role.LEGAL_REVIEWER.value, Role.LEADER.value, Role.ADMIN.value}
REGISTRARS = {Role.OFFICER.value, Role.ASSISTANT.value, Role.LEADER.value, Role.ADMIN.value}
LEADERS = {Role.LEADER.value, Role.ADMIN.value}

TRANSITIONS = {
    # 立即制止: an order to stop building is an enforcement act — officers only, assistants report
    "stop": ({Status.PENDING}, Status.STOPPED, OFFICERS),
    "retain": ({Status.PENDING, Status.STOPPED}, Status.RETAINED, LEADERS),
    "demolish": ({Status.PENDING, Status.STOPPED, Status.RETAINED}, Status.DEMOLISHED, OFFICERS | LEADERS),
}
