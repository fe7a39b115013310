"""Links to the case loop (`cases` app), kept in one place so the rest of the app does not depend on it."""

import logging

logger = logging.getLogger("chengguan.patrol")


def open_case_for_violation(*, actor, violation) -> None:
    """Open a case for a frontage violation once the cases app offers `case_report` (follow-up; see
    docs/patrol.md). Until then the violation itself is the record."""
    return None
