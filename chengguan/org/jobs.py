"""Scheduled jobs of org (run by `chengguan worker`)."""

JOBS = [
    {"name": "org.purge_login_throttles", "run": "chengguan.org.throttle:purge", "daily_at": "04:10"},
]
