"""Scheduled jobs of the cases app (run by `chengguan worker`)."""

JOBS = [
    {"name": "cases.expire_uploads", "run": "chengguan.cases.uploads:expire_unattached_job", "every_seconds": 3600},
]
