"""Scheduled jobs of the patrol app (run by `chengguan worker`)."""

JOBS = [
    {"name": "patrol.certificate_reminders", "run": "chengguan.patrol.reminders:run", "daily_at": "08:00"},
]
