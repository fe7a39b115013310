"""Scheduled jobs (run by `chengguan worker`; plain data, no import from the runner)."""

JOBS = [
    {"name": "participation.comments_overdue", "run": "chengguan.participation.supervision:overdue_job",
     "every_seconds": 3600},
    {"name": "participation.consultations_close", "run": "chengguan.participation.consultation:close_job",
     "every_seconds": 300},
]
