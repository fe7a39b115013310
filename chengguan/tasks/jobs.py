"""Scheduled jobs (run by `chengguan worker`; plain data, no import from the runner)."""

JOBS = [
    {"name": "tasks.overdue", "run": "chengguan.tasks.ladder:sweep_job", "every_seconds": 900},
]
