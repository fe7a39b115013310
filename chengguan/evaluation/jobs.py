"""Scheduled jobs of the evaluation app (run by `chengguan worker`)."""

JOBS = [
    {"name": "evaluation.monthly_report", "run": "chengguan.evaluation.monthly:monthly_job", "monthly_day": 1,
     "at": "02:00"},
    # stale stored months and days of the rollups recomputed, the rest of the change log emptied (docs/evaluation.md)
    {"name": "evaluation.rollups", "run": "chengguan.evaluation.rollups:refresh_all", "daily_at": "03:45"},
]
