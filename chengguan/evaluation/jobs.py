"""Scheduled jobs of the evaluation app (run by `chengguan worker`)."""

JOBS = [
    {"name": "evaluation.monthly_report", "run": "chengguan.evaluation.monthly:monthly_job", "monthly_day": 1,
     "at": "02:00"},
]
