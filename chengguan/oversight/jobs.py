"""Scheduled jobs of the oversight app (run by `chengguan worker`)."""

JOBS = [
    {"name": "oversight.complaint_deadlines", "run": "chengguan.oversight.reminders:run", "daily_at": "08:20"},
    {"name": "oversight.rotation_due", "run": "chengguan.oversight.rotation:run", "daily_at": "08:30"},
]
