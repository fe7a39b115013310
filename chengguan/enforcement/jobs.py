"""Scheduled jobs of the enforcement app (run by `chengguan worker`)."""

JOBS = [
    {"name": "enforcement.deadline_reminders", "run": "chengguan.enforcement.reminders:run", "daily_at": "08:00"},
]
