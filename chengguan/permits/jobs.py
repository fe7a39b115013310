"""Scheduled jobs (run by `chengguan worker`; plain data, no import from the runner)."""

JOBS = [
    {"name": "permits.deadlines", "run": "chengguan.permits.services.sweeps:warn_deadlines", "every_seconds": 3600},
    {"name": "permits.expiry", "run": "chengguan.permits.services.sweeps:expire_permits", "daily_at": "00:10"},
]
