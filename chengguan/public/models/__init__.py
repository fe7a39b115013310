"""Tables of the public app: Open311 keys and submissions, hotline work orders and webhooks, the citizen
portal's ratings and points, rate-limit counters and the personal-data reveal log."""

from .citizen import PersonalDataReveal, PointsEntry, RateCounter, Satisfaction
from .citizen_login import OutboxMessage, PhoneCode, Reopening
from .hotline import (
    HotlineCategory,
    HotlineSystem,
    HotlineWorkOrder,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscriber,
)
from .open311 import Open311Changeset, Open311Key, Open311Submission

__all__ = [
    "HotlineCategory",
    "HotlineSystem",
    "HotlineWorkOrder",
    "Open311Changeset",
    "Open311Key",
    "Open311Submission",
    "OutboxMessage",
    "PersonalDataReveal",
    "PhoneCode",
    "PointsEntry",
    "RateCounter",
    "Reopening",
    "Satisfaction",
    "WebhookAttempt",
    "WebhookDelivery",
    "WebhookSubscriber",
]
