JOBS = [
    {"name": "jobsapp.count", "run": "chengguan.ops.tests.jobsapp.jobs:count", "every_seconds": 30},
    {"name": "jobsapp.monthly", "run": "chengguan.ops.tests.jobsapp.jobs:count", "monthly_day": 31, "at": "02:00"},
    {"name": "jobsapp.broken", "run": "chengguan.ops.tests.jobsapp.jobs:broken", "daily_at": "03:00"},
]
CALLS: list[str] = []


def count():
    CALLS.append("count")
    return f"called {len(CALLS)} times"


def broken():
    raise RuntimeError("this job fails on purpose")
