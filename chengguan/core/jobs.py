"""Scheduled jobs of the core app (run by `chengguan worker`)."""

JOBS = [
    # From 1 October: an inbox notice to the administrators while next year's holiday arrangement is missing.
    {"name": "core.calendar_reminder", "run": "chengguan.core.calendar_service:remind", "daily_at": "08:00"},
]
