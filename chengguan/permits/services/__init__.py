"""Every state change of the permits app: applications (submit → accept / one-time notice → decide), renewal,
vending zones' capacity, and findings on patrol that become enforcement clues."""

from .applications import (
    application_accept,
    application_extend,
    application_grant,
    application_not_accept,
    application_notice,
    application_refuse,
    application_resubmit,
    application_submit,
    application_withdraw,
    permit_renew,
)
from .findings import finding_open_clue, finding_record, permits_near
from .sweeps import expire_permits, warn_deadlines

__all__ = [
    "application_accept", "application_extend", "application_grant", "application_not_accept",
    "application_notice", "application_refuse", "application_resubmit", "application_submit",
    "application_withdraw", "permit_renew", "finding_open_clue", "finding_record", "permits_near",
    "expire_permits", "warn_deadlines",
]  # fmt: skip
