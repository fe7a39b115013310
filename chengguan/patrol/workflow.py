"""Legal status transitions, declared as data; services refuse anything not listed here."""

from django.utils.translation import gettext as _

from chengguan.core.errors import Conflict

from .models import AdPhone, Campaign, JointOperation, RequestStatus

REQUEST = {
    (RequestStatus.PENDING, RequestStatus.APPROVED),
    (RequestStatus.PENDING, RequestStatus.REJECTED),
    (RequestStatus.PENDING, RequestStatus.CANCELLED),
}

OPERATION = {
    (JointOperation.Status.PLANNED, JointOperation.Status.IN_PROGRESS),
    (JointOperation.Status.PLANNED, JointOperation.Status.CANCELLED),
    (JointOperation.Status.IN_PROGRESS, JointOperation.Status.COMPLETED),
}

CAMPAIGN = {
    (Campaign.Status.DRAFT, Campaign.Status.RUNNING),
    (Campaign.Status.DRAFT, Campaign.Status.CANCELLED),
    (Campaign.Status.RUNNING, Campaign.Status.FINISHED),
    (Campaign.Status.RUNNING, Campaign.Status.CANCELLED),
}

AD_PHONE = {
    (AdPhone.Status.ACTIVE, AdPhone.Status.NOTIFIED),
    (AdPhone.Status.ACTIVE, AdPhone.Status.SUSPENDED),
    (AdPhone.Status.NOTIFIED, AdPhone.Status.SUSPENDED),
    (AdPhone.Status.NOTIFIED, AdPhone.Status.CLEARED),
    (AdPhone.Status.SUSPENDED, AdPhone.Status.CLEARED),
    # A new sighting after the number was notified or cleared puts it back on the active list (relapse).
    (AdPhone.Status.NOTIFIED, AdPhone.Status.ACTIVE),
    (AdPhone.Status.CLEARED, AdPhone.Status.ACTIVE),
}

TABLES = {"request": REQUEST, "operation": OPERATION, "campaign": CAMPAIGN, "ad_phone": AD_PHONE}


def can(table: str, source: str, target: str) -> bool:
    return (source, target) in TABLES[table]


def check(table: str, source: str, target: str, *, field: str = "status") -> None:
    if not can(table, source, target):
        raise Conflict(
            _("Cannot go from “%(source)s” to “%(target)s”.") % {"source": source, "target": target},
            field=field,
            code="illegal_transition",
        )
